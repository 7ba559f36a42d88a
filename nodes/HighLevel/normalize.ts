/**
 * A parsed HighLevel request body -> the item of SPEC section 4.
 *
 * Pure functions, no n8n types: the node, the tests and the benchmark call the
 * same code. `toMessage` never throws for any JSON object: every field is coerced
 * or null (see schema.ts), and unknown channels go to Other.
 */
import { type Channel, channelOf, detectChannel, OTHER_CHANNEL } from './channel';
import { htmlToText } from './html-to-text';
import { sentByHuman } from './sender';
import {
	type AppMessage,
	isJsonObject,
	type JsonObject,
	MESSAGE_EVENTS,
	type MessageEvent,
	type ProviderMessage,
	schemas,
	toId,
	toNumber,
	toText,
	toTextList,
	type WorkflowWebhook,
} from './schema';

export type ItemEvent = MessageEvent | 'WorkflowWebhook';

export interface CallDetails {
	durationSeconds: number | null;
	status: string | null;
	recordingUrl: string | null;
}

export interface EmailDetails {
	subject: string | null;
	fromName: string | null;
	fromAddress: string | null;
	to: string[];
	cc: string[];
	bcc: string[];
	threadId: string | null;
	emailMessageId: string | null;
	provider: string | null;
}

/** Workflow webhooks carry the contact; app webhooks only its id. */
export interface ContactDetails {
	id: string | null;
	name: string | null;
	email: string | null;
	phone: string | null;
	tags: string[];
	/** IANA name (`America/New_York`) as HighLevel has it; null when it has none. */
	timezone: string | null;
}

/** The item's `json`, key for key as SPEC section 4 lists them. */
export interface MessageItem {
	event: ItemEvent;
	channel: Channel;
	messageType: string | null;
	direction: 'inbound' | 'outbound' | null;
	locationId: string | null;
	contactId: string | null;
	conversationId: string | null;
	messageId: string | null;
	userId: string | null;
	conversationProviderId: string | null;
	dateAdded: string | null;
	status: string | null;
	text: string;
	html: string | null;
	contentType: string | null;
	attachments: string[];
	from: string | null;
	to: string[];
	call: CallDetails | null;
	email: EmailDetails | null;
	chatWidgetId: string | null;
	webhookId: string | null;
	timestamp: string | null;
	/** Outbound only: HighLevel's `source` as received (`app`, `workflow`, `campaign`, `bulk_actions`, `api`); else null. */
	source: string | null;
	/** A person wrote it (the contact, or a user in the HighLevel app): true; an automation: false; unknown: null. */
	sentByHuman: boolean | null;
	/** WorkflowWebhook items, and app events with Include Contact. */
	contact?: ContactDetails;
	/** With Fill In From HighLevel API: each part tried, and why it added nothing. */
	enrichment?: Record<string, { ok: boolean; error: string | null }>;
	raw?: JsonObject;
}

export type Classification =
	| { family: 'app'; event: MessageEvent }
	| { family: 'provider' }
	| { family: 'workflow' }
	| { family: 'not-a-message'; eventType: string | null };

/**
 * Workflow webhooks name no event: they are known by the `workflow` object
 * HighLevel always adds, or by a `location` object beside the contact fields.
 */
function isWorkflowWebhook(body: JsonObject): boolean {
	if (isJsonObject(body.workflow)) return true;
	return isJsonObject(body.location) && ('contact_id' in body || isJsonObject(body.customData));
}

/**
 * Which family a body belongs to. HighLevel app events name themselves in
 * `type`; a provider delivery has a channel as `type`; anything else with a
 * `type` is a HighLevel event that is not a message (ContactCreate, ...).
 */
export function classify(body: JsonObject): Classification {
	const type = body.type;
	// Stryker disable next-line ConditionalExpression: includes() finds no event name for a type that is not a string anyway
	if (typeof type === 'string' && (MESSAGE_EVENTS as readonly string[]).includes(type)) {
		return { family: 'app', event: type as MessageEvent };
	}
	if (isWorkflowWebhook(body)) return { family: 'workflow' };
	if (typeof type !== 'string') return { family: 'not-a-message', eventType: null };
	if (channelOf(type) !== undefined && body.messageId !== undefined && body.locationId !== undefined) {
		return { family: 'provider' };
	}
	return { family: 'not-a-message', eventType: type };
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * `"Jane Doe" <jane@example.com>` -> name and address; a bare address has no
 * name. Read by position (the last `<`, a final `>`), not by a pattern: the
 * sender is the caller's text, and a backtracking pattern over it took
 * cubic time on a long run of spaces.
 */
export function splitAddress(from: string | null): { name: string | null; address: string | null } {
	if (from === null) return { name: null, address: null };
	const bare = { name: null, address: from.trim() || null };
	const text = from.trimEnd();
	// Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut; without a final '>' the position check below returns bare too
	if (!text.endsWith('>')) return bare;
	const open = text.lastIndexOf('<');
	if (open === -1 || text.indexOf('>', open) !== text.length - 1) return bare;
	// A display name is one line; a multi-line sender is kept whole as the address.
	let name = text.slice(0, open).trim();
	if (LINE_BREAK.test(name)) return bare;
	if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
	name = name.trim();
	return { name: name || null, address: text.slice(open + 1, -1).trim() || null };
}

function unique(list: string[]): string[] {
	// Stryker disable next-line ConditionalExpression: a shortcut; a list of 0 or 1 has nothing to remove
	return list.length < 2 ? list : [...new Set(list)];
}

/** Call and Voicemail items always carry a call block; every other channel has null. */
function callDetails(
	channel: Channel,
	attachments: string[],
	durationSeconds: number | null = null,
	status: string | null = null,
): CallDetails | null {
	if (channel !== 'Call' && channel !== 'Voicemail') return null;
	return { durationSeconds, status, recordingUrl: attachments[0] ?? null };
}

function emailDetails(message: AppMessage): EmailDetails {
	const { name, address } = splitAddress(message.from);
	return {
		subject: message.subject,
		fromName: name,
		fromAddress: address,
		to: message.to,
		cc: unique([...message.cc, ...message.ccList]),
		bcc: unique([...message.bcc, ...message.bccList]),
		threadId: message.threadId,
		emailMessageId: message.emailMessageId,
		provider: message.provider,
	};
}

function fromAppMessage(message: AppMessage): MessageItem {
	const channel = detectChannel(message);
	const isEmail = channel === 'Email';
	const body = message.body ?? '';
	let text = body;
	if (isEmail) text = body.trim() !== '' ? htmlToText(body) : (message.plainText ?? '');
	return {
		event: message.type,
		channel,
		messageType: message.messageType,
		direction: message.direction,
		locationId: message.locationId,
		contactId: message.contactId,
		conversationId: message.conversationId,
		messageId: message.messageId,
		userId: message.userId,
		conversationProviderId: message.conversationProviderId,
		dateAdded: message.dateAdded,
		status: message.status,
		text,
		html: isEmail ? (message.body ?? null) : null,
		contentType: message.contentType,
		attachments: message.attachments,
		from: message.from,
		to: message.to,
		call: callDetails(channel, message.attachments, message.callDuration, message.callStatus),
		email: isEmail ? emailDetails(message) : null,
		chatWidgetId: message.chatWidgetId,
		webhookId: message.webhookId,
		timestamp: message.timestamp,
		// The event says outbound even when a body leaves `direction` out.
		...senderOf(message.type === 'OutboundMessage' ? 'outbound' : message.direction, message.source),
	};
}

/** `source` means something only on outbound messages. */
function senderOf(direction: 'inbound' | 'outbound' | null, source: string | null): Pick<MessageItem, 'source' | 'sentByHuman'> {
	const outboundSource = direction === 'outbound' ? source : null;
	return { source: outboundSource, sentByHuman: sentByHuman(direction, outboundSource) };
}

function fromProviderMessage(message: ProviderMessage): MessageItem {
	const channel = channelOf(message.type) ?? OTHER_CHANNEL;
	const isEmail = channel === 'Email';
	const to = isEmail ? message.emailTo : toTextList(message.phone);
	const { name, address } = splitAddress(message.emailFrom);
	return {
		event: 'OutboundMessage',
		channel,
		messageType: message.type,
		direction: 'outbound',
		locationId: message.locationId,
		contactId: message.contactId,
		conversationId: null,
		messageId: message.messageId,
		userId: message.userId,
		conversationProviderId: null,
		dateAdded: null,
		status: null,
		text: isEmail ? htmlToText(message.html ?? message.message ?? '') : (message.message ?? ''),
		html: isEmail ? message.html : null,
		contentType: null,
		attachments: message.attachments,
		from: isEmail ? message.emailFrom : null,
		to,
		call: callDetails(channel, message.attachments),
		email: isEmail
			? {
					subject: message.subject,
					fromName: name,
					fromAddress: address,
					to,
					cc: message.emailCc,
					bcc: message.emailBcc,
					threadId: message.threadId,
					emailMessageId: message.emailMessageId,
					provider: null,
				}
			: null,
		chatWidgetId: null,
		webhookId: message.webhookId,
		timestamp: message.timestamp,
		// HighLevel does not say who asked it to deliver: a user, a workflow or the API.
		source: null,
		sentByHuman: null,
	};
}

/** A key of the user's customData, else of the message object, else null. */
function pick(custom: JsonObject, message: JsonObject, customKey: string, messageKey = customKey): unknown {
	const value = custom[customKey];
	return value === undefined || value === null || value === '' ? message[messageKey] : value;
}

function fromWorkflowWebhook(payload: WorkflowWebhook): MessageItem {
	const { customData: custom, message, location } = payload;
	const rawType = pick(custom, message, 'messageType', 'type');
	const status = toId(pick(custom, message, 'status'));
	const channel = detectChannel({
		messageTypeString: custom.messageTypeString,
		messageType: rawType,
		messageTypeId: custom.messageTypeId,
		status,
	});
	const isEmail = channel === 'Email';
	const body = toText(pick(custom, message, 'body')) ?? '';
	const attachments = toTextList(pick(custom, message, 'attachments'));
	const folded = toId(pick(custom, message, 'direction'))?.toLowerCase();
	const direction = folded === 'inbound' || folded === 'outbound' ? folded : null;
	const from = toId(pick(custom, message, 'from'));
	const to = toTextList(pick(custom, message, 'to'));
	const { name, address } = splitAddress(from);
	// Stryker disable next-line MethodExpression: a missing part joins as a space, which the trim below removes
	const fullName = payload.full_name ?? ([payload.first_name, payload.last_name].filter(Boolean).join(' ') || null);
	return {
		event: 'WorkflowWebhook',
		channel,
		messageType: toText(rawType),
		direction,
		locationId: toId(location.id) ?? toId(custom.locationId),
		contactId: payload.contact_id ?? toId(custom.contactId),
		conversationId: toId(pick(custom, message, 'conversationId')),
		messageId: toId(pick(custom, message, 'messageId', 'id')),
		userId: toId(custom.userId),
		conversationProviderId: toId(custom.conversationProviderId),
		dateAdded: toId(pick(custom, message, 'dateAdded')),
		status,
		text: isEmail ? htmlToText(body) : body,
		html: isEmail ? body || null : null,
		contentType: toId(pick(custom, message, 'contentType')),
		attachments,
		from,
		to,
		call: callDetails(channel, attachments, toNumber(pick(custom, message, 'callDuration')), toId(pick(custom, message, 'callStatus'))),
		email: isEmail
			? {
					subject: toText(pick(custom, message, 'subject')),
					fromName: name,
					fromAddress: address,
					to,
					cc: toTextList(pick(custom, message, 'cc')),
					bcc: toTextList(pick(custom, message, 'bcc')),
					threadId: toId(pick(custom, message, 'threadId')),
					emailMessageId: toId(pick(custom, message, 'emailMessageId')),
					provider: null,
				}
			: null,
		chatWidgetId: null,
		webhookId: null,
		timestamp: null,
		...senderOf(direction, toId(pick(custom, message, 'source'))),
		contact: {
			id: payload.contact_id,
			name: fullName?.trim() || null,
			email: payload.email,
			phone: payload.phone,
			tags: payload.tags,
			timezone: payload.timezone,
		},
	};
}

export type MessageResult =
	| { ok: true; item: MessageItem }
	| { ok: false; reason: 'not-a-message'; eventType: string | null };

/**
 * Body -> item, or the reason there is none. `includeRaw` keeps the body as
 * received under `raw` (the same object: nothing is copied).
 */
export function toMessage(body: JsonObject, includeRaw = true): MessageResult {
	const kind = classify(body);
	let item: MessageItem;
	if (kind.family === 'app') item = fromAppMessage(schemas().appMessageSchema.parse(body));
	else if (kind.family === 'provider') item = fromProviderMessage(schemas().providerMessageSchema.parse(body));
	else if (kind.family === 'workflow') item = fromWorkflowWebhook(schemas().workflowWebhookSchema.parse(body));
	else return { ok: false, reason: 'not-a-message', eventType: kind.eventType };
	if (includeRaw) item.raw = body;
	return { ok: true, item };
}

/**
 * What identifies one delivery: HighLevel's `webhookId` (the same on every retry
 * and on a dashboard Resend), else the message id and event.
 */
export function deliveryKey(item: MessageItem): string | null {
	if (item.webhookId !== null) return `webhook:${item.webhookId}`;
	if (item.messageId !== null) return `message:${item.event}:${item.messageId}`;
	return null;
}

/** When HighLevel first produced the event: the envelope `timestamp`, else `dateAdded`. */
export function eventTime(item: MessageItem): number | null {
	// An unreadable envelope time must not switch the age check off: fall back.
	for (const stamp of [item.timestamp, item.dateAdded]) {
		// Stryker disable next-line ConditionalExpression: Date.parse(null) is NaN as well
		const time = stamp === null ? Number.NaN : Date.parse(stamp);
		if (!Number.isNaN(time)) return time;
	}
	return null;
}

