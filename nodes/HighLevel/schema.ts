/**
 * zod schemas of the payload families HighLevel sends to one URL.
 *
 * Every field is lenient on purpose: HighLevel types `to` as a string but sends
 * arrays, types `callDuration` as a number but its REST API returns strings, and
 * leaves out `messageId` or `attachments` in some events. A field of the wrong
 * type is coerced when its meaning is clear and otherwise becomes null; it never
 * rejects the event (SPEC section 4), so these schemas only fail on the few
 * fields that decide which family a body belongs to.
 */
import { z } from 'zod';

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Text or null: numbers become their decimal string, a one-element array its
 * element. Booleans, objects and longer arrays have no clear text: null.
 */
export function toText(value: unknown): string | null {
	// A loop, not recursion: `[[[...]]]` nested a million deep must not overflow the stack.
	let current = value;
	while (Array.isArray(current) && current.length === 1) current = current[0];
	if (typeof current === 'string') return current;
	// Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number, so the type test only reads clearer
	if (typeof current === 'number') return Number.isFinite(current) ? String(current) : null;
	return null;
}

/** Non-empty trimmed text or null, for ids and names. */
export function toId(value: unknown): string | null {
	const text = toText(value);
	if (text === null) return null;
	const trimmed = text.trim();
	return trimmed.length > 0 ? trimmed : null;
}

/** A list of strings: an array keeps its text elements, a string is split on commas. */
export function toTextList(value: unknown): string[] {
	if (Array.isArray(value)) {
		const list: string[] = [];
		for (const element of value) {
			const text = toId(isJsonObject(element) ? (element.url ?? element.email) : element);
			if (text !== null) list.push(text);
		}
		return list;
	}
	const text = toText(value);
	if (text === null) return [];
	return text
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part.length > 0);
}

/** A finite number or null: `"120"` -> 120, `"abc"` -> null. */
export function toNumber(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && value.trim() !== '') {
		const number = Number(value);
		return Number.isFinite(number) ? number : null;
	}
	return null;
}

/** Names of app events that carry a conversation message. */
export const MESSAGE_EVENTS = ['InboundMessage', 'OutboundMessage'] as const;
export type MessageEvent = (typeof MESSAGE_EVENTS)[number];

/**
 * The schemas are built on first use, not at module load: n8n loads every
 * installed node at start-up, and building them costs more than all the rest
 * of this package's loading.
 */
function buildSchemas() {
	const text = z.unknown().transform(toText);
	const id = z.unknown().transform(toId);
	const textList = z.unknown().transform(toTextList);
	const numberOrNull = z.unknown().transform(toNumber);
	const direction = z.unknown().transform((value): 'inbound' | 'outbound' | null => {
		const folded = toId(value)?.toLowerCase();
		return folded === 'inbound' || folded === 'outbound' ? folded : null;
	});

	/** Fields shared by InboundMessage and OutboundMessage (HighLevel app webhooks). */
	const appMessageSchema = z.object({
		type: z.enum(['InboundMessage', 'OutboundMessage']),
		locationId: id,
		contactId: id,
		conversationId: id,
		messageId: id,
		userId: id,
		conversationProviderId: id,
		chatWidgetId: id,
		dateAdded: id,
		direction,
		status: id,
		messageType: id,
		messageTypeString: id,
		messageTypeId: z.unknown(),
		body: text,
		plainText: text,
		contentType: id,
		attachments: textList,
		from: id,
		to: textList,
		// Calls
		callDuration: numberOrNull,
		callStatus: id,
		// Email
		subject: text,
		cc: textList,
		ccList: textList,
		bcc: textList,
		bccList: textList,
		threadId: id,
		emailMessageId: id,
		provider: id,
		// Outbound: who sent it (app, workflow, campaign, bulk_actions, api)
		source: id,
		// Delivery envelope
		webhookId: id,
		timestamp: id,
	});

	/**
	 * ProviderOutboundMessage: what HighLevel sends to a custom conversation
	 * provider's delivery URL. Its `type` is the channel itself (`SMS`, `Email`).
	 */
	const providerMessageSchema = z.object({
		type: id,
		locationId: id,
		contactId: id,
		messageId: id,
		userId: id,
		emailMessageId: id,
		phone: id,
		message: text,
		attachments: textList,
		emailTo: textList,
		emailFrom: id,
		emailCc: textList,
		emailBcc: textList,
		html: text,
		subject: text,
		threadId: id,
		webhookId: id,
		timestamp: id,
	});

	const object = z.unknown().transform((value): Record<string, unknown> => (isJsonObject(value) ? value : {}));

	/**
	 * A HighLevel workflow "Webhook" action: snake_case contact fields, `location`,
	 * `workflow`, an optional `message` (whose `type` may be a number) and the
	 * user's own `customData`. No event type, no id, no signature.
	 */
	const workflowWebhookSchema = z.object({
		contact_id: id,
		first_name: text,
		last_name: text,
		full_name: text,
		email: id,
		phone: id,
		tags: textList,
		timezone: id,
		location: object,
		message: object,
		customData: object,
	});

	return { appMessageSchema, providerMessageSchema, workflowWebhookSchema };
}

let built: ReturnType<typeof buildSchemas> | undefined;

export function schemas(): ReturnType<typeof buildSchemas> {
	built ??= buildSchemas();
	return built;
}

type Schemas = ReturnType<typeof buildSchemas>;
export type AppMessage = z.infer<Schemas['appMessageSchema']>;
export type ProviderMessage = z.infer<Schemas['providerMessageSchema']>;
export type WorkflowWebhook = z.infer<Schemas['workflowWebhookSchema']>;
