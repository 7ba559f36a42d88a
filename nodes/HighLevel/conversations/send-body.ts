/**
 * The body of `POST /conversations/messages` (HighLevel's SendMessageBodyDto),
 * shared by Send and Reply.
 */
import { channelOf, foldSpelling, SEND_TYPE } from '../channel';
import { emailHtml } from './email-html';

/** HighLevel's send types, as its API spells them. */
export const SEND_TYPES = ['SMS', 'Email', 'WhatsApp', 'FB', 'IG', 'Live_Chat', 'Custom'] as const;
export type SendType = (typeof SEND_TYPES)[number];

/**
 * A send type from how a person or an AI agent may write it ("sms",
 * "Facebook", "live chat", "TYPE_WHATSAPP"), or null when it names none.
 * HighLevel's own spellings (SEND_TYPES) fold to themselves.
 */
export function toSendType(value: unknown): SendType | null {
	if (typeof value !== 'string') return null;
	const folded = foldSpelling(value);
	if (folded === 'custom' || folded === 'customprovider') return 'Custom';
	const channel = channelOf(value);
	return ((channel && SEND_TYPE[channel]) as SendType | undefined) ?? null;
}

export interface SendBody {
	type: SendType;
	contactId: string;
	message?: string;
	html?: string;
	subject?: string;
	attachments?: string[];
	scheduledTimestamp?: number;
	conversationProviderId?: string;
	fromNumber?: string;
	toNumber?: string;
	emailFrom?: string;
	emailTo?: string;
	emailCc?: string[];
	emailBcc?: string[];
	threadId?: string;
	replyMessageId?: string;
	emailReplyMode?: 'reply' | 'reply_all';
	templateId?: string;
}

export type SendFields = Omit<SendBody, 'type' | 'contactId' | 'message' | 'html'> & { text?: string };

/**
 * Keeps only fields with a value (HighLevel rejects empty strings in some of
 * them) and puts the text where the channel reads it: `html` for email,
 * `message` for every other channel.
 */
export function buildSendBody(type: SendType, contactId: string, fields: SendFields): SendBody {
	const { text, ...rest } = fields;
	const body: SendBody = { type, contactId };
	if (text) {
		if (type === 'Email') body.html = emailHtml(text);
		else body.message = text;
	}
	for (const [key, value] of Object.entries(rest)) {
		// Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: Send and Reply pass no null or '' (optionalText, toId), and a field left undefined is not in the JSON body either
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value) && value.length === 0) continue;
		(body as unknown as Record<string, unknown>)[key] = value;
	}
	return body;
}
