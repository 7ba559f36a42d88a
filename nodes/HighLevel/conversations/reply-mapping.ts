/**
 * A HighLevel Message Trigger item -> the send that answers it on the same
 * channel, or the reason HighLevel cannot answer there.
 *
 * The channel decides the send type (channel.ts), the contact comes from the
 * item, email replies thread with the original (Re: subject, threadId,
 * replyMessageId, reply mode), and an SMS reply goes from the number the contact
 * wrote to. HighLevel picks the conversation itself from contact and channel.
 */
import { CHANNELS, type Channel, detectChannel, foldSpelling, SEND_TYPE } from '../channel';
import { toMessage } from '../normalize';
import { isJsonObject, type JsonObject, toId, toTextList } from '../schema';
import { buildSendBody, type SendBody, type SendFields, type SendType, toSendType } from './send-body';

export const SAME_CHANNEL = 'same';

export interface ReplyOptions {
	text: string;
	/** `same`, or a send type to answer on another channel (a call answered by SMS). */
	replyChannel?: string;
	subject?: string;
	attachments?: string[];
	emailReplyMode?: 'reply' | 'reply_all';
	conversationProviderId?: string;
}

export type ReplyPlan =
	| { ok: true; channel: Channel; body: SendBody }
	| { ok: false; channel: Channel | null; reason: string; hint: string };

const OTHER_CHANNEL_HINT =
	'Set Options > Reply Channel to the channel to answer on (for example SMS), or use Message > Send.';

const NOT_A_TRIGGER_ITEM_HINT =
	"Reply answers an item of the HighLevel Message Trigger. When other nodes (such as an AI Agent) come in between, set 'Message to Reply To' to {{ $('HighLevel Message Trigger').item.json }}.";

function refusal(channel: Channel, messageType: string | null): { reason: string; hint: string } {
	switch (channel) {
		case 'Call':
			return {
				reason: 'HighLevel cannot answer a call with a message on the call itself',
				hint: `To text the caller back (a missed-call text-back), set Options > Reply Channel to SMS. ${OTHER_CHANNEL_HINT}`,
			};
		case 'Voicemail':
			return {
				reason: 'HighLevel cannot answer a voicemail on the voicemail itself',
				hint: `To text the caller back, set Options > Reply Channel to SMS. ${OTHER_CHANNEL_HINT}`,
			};
		case 'Google Business':
			return {
				reason: "HighLevel's send-message API has no Google Business channel (its send types are SMS, Email, WhatsApp, FB, IG, Live_Chat and Custom)",
				hint: `Answer Google Business messages in HighLevel, or reach the contact on another channel: ${OTHER_CHANNEL_HINT}`,
			};
		default:
			if (messageType !== null && foldSpelling(messageType) === 'internalcomment') {
				return {
					reason: 'An internal comment is a note between team members, not a message from the contact, so there is nothing to answer',
					hint: OTHER_CHANNEL_HINT,
				};
			}
			return {
				reason: `A message of type "${messageType ?? 'unknown'}" (output Other) has no channel HighLevel can send on`,
				hint: OTHER_CHANNEL_HINT,
			};
	}
}

function isTriggerItem(item: JsonObject): boolean {
	return (CHANNELS as readonly unknown[]).includes(item.channel);
}

/** A trigger item as it is; a raw HighLevel webhook body (from n8n's Webhook node) normalised the trigger's way. */
function asTriggerItem(input: JsonObject): JsonObject {
	// Stryker disable next-line ConditionalExpression: `false` only normalises trigger items too, and the normaliser hands them back unchanged (no `type`, `workflow` or `location` key); `true` is killed by the raw-webhook test
	if (isTriggerItem(input)) return input;
	// Stryker disable next-line BooleanLiteral: the reply never reads the item's raw body, so keeping it or not sends the same request
	const normalised = toMessage(input, false);
	return normalised.ok ? (normalised.item as unknown as JsonObject) : input;
}

function channelOfItem(item: JsonObject): Channel {
	if (isTriggerItem(item)) return item.channel as Channel;
	return detectChannel({
		messageTypeString: item.messageTypeString,
		messageType: item.messageType,
		messageTypeId: item.messageTypeId,
		status: item.status,
	});
}

/** The item's own send type, or null when HighLevel cannot send on its channel. */
function sameChannelType(channel: Channel, messageType: string | null): SendType | null {
	const type = SEND_TYPE[channel];
	if (type !== undefined) return type as SendType;
	// Custom conversation providers deliver as type "Custom" (output Other) and are answered the same way.
	if (channel === 'Other' && messageType !== null && foldSpelling(messageType) === 'custom') return 'Custom';
	return null;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** The number when it is E.164, the only form HighLevel sends from and to; else none. */
function e164(value: string | null): string | undefined {
	return value?.match(E164)?.[0];
}

/** The contact's side and our side of the exchange, by direction. */
function sides(item: JsonObject, contactSide: unknown, ourSide: unknown): { contact: string | null; ours: string | null } {
	const outbound = item.direction === 'outbound';
	return {
		contact: toId(outbound ? ourSide : contactSide),
		ours: toId(outbound ? contactSide : ourSide),
	};
}

function phoneFields(item: JsonObject): SendFields {
	const to = toTextList(item.to);
	const { contact, ours } = sides(item, item.from, to[0]);
	return {
		toNumber: e164(contact),
		fromNumber: e164(ours),
	};
}

/** `subject` is trimmed and non-empty already (toId). */
function reSubject(subject: string | null): string | undefined {
	if (subject === null) return undefined;
	return /^re\s*:/i.test(subject) ? subject : `Re: ${subject}`;
}

function emailThreadFields(item: JsonObject, options: ReplyOptions): SendFields {
	const email = isJsonObject(item.email) ? item.email : {};
	const to = toTextList(email.to);
	const { contact } = sides(item, email.fromAddress, to[0]);
	return {
		subject: options.subject || reSubject(toId(email.subject)),
		threadId: toId(email.threadId) ?? undefined,
		replyMessageId: toId(email.emailMessageId) ?? toId(item.messageId) ?? undefined,
		emailReplyMode: options.emailReplyMode ?? 'reply',
		emailTo: contact !== null && contact.includes('@') ? contact : undefined,
	};
}

export function planReply(input: unknown, options: ReplyOptions): ReplyPlan {
	if (!isJsonObject(input)) {
		return { ok: false, channel: null, reason: 'The message to reply to is not an object', hint: NOT_A_TRIGGER_ITEM_HINT };
	}
	const item = asTriggerItem(input);
	const channel = channelOfItem(item);
	const contactId = toId(item.contactId) ?? toId(item.contact_id);
	if (contactId === null) {
		return { ok: false, channel, reason: 'The message to reply to has no contactId', hint: NOT_A_TRIGGER_ITEM_HINT };
	}
	const messageType = toId(item.messageType);
	let type: SendType | null;
	if (options.replyChannel && options.replyChannel !== SAME_CHANNEL) {
		type = toSendType(options.replyChannel);
		if (type === null) {
			return {
				ok: false,
				channel,
				reason: `Reply Channel "${options.replyChannel}" is not a channel HighLevel can send on`,
				hint: 'Use SMS, Email, WhatsApp, FB, IG, Live_Chat or Custom.',
			};
		}
	} else {
		type = sameChannelType(channel, messageType);
		if (type === null) return { ok: false, channel, ...refusal(channel, messageType) };
	}

	const fields: SendFields = { text: options.text, attachments: options.attachments };
	if (type === 'SMS') Object.assign(fields, phoneFields(item));
	if (type === 'Email') {
		Object.assign(fields, channel === 'Email' ? emailThreadFields(item, options) : { subject: options.subject });
	}
	if (type === 'Custom') {
		const provider = options.conversationProviderId || toId(item.conversationProviderId);
		if (!provider) {
			return {
				ok: false,
				channel,
				reason: 'A reply through a custom conversation provider needs its conversationProviderId, and the item has none',
				hint: 'Set Options > Conversation Provider ID.',
			};
		}
		fields.conversationProviderId = provider;
	}
	return { ok: true, channel, body: buildSendBody(type, contactId, fields) };
}
