/**
 * Which HighLevel message-type spelling means which channel.
 *
 * HighLevel spells the same channel differently in webhooks (`SMS`, `CALL`,
 * `VoiceMail`), the REST API (`Live_Chat`, `FB`) and the conversations API
 * (`TYPE_LIVE_CHAT`, `TYPE_WEBCHAT`), and adds numeric ids (`messageTypeId`).
 * Every spelling is folded (lower case, no spaces, `_`, `-`, no `TYPE_` prefix)
 * and looked up in one table, so adding a spelling is one line here.
 */

/** Output names in their fixed output order. Never reorder within a node version. */
export const CHANNELS = [
	'SMS',
	'Call',
	'Voicemail',
	'Email',
	'WhatsApp',
	'Facebook',
	'Instagram',
	'Google Business',
	'Live Chat',
	'Other',
] as const;

export type Channel = (typeof CHANNELS)[number];

export const OTHER_CHANNEL: Channel = 'Other';

/** Output index of each channel in "One Output per Channel" mode. */
export const CHANNEL_INDEX: Readonly<Record<Channel, number>> = Object.freeze(
	Object.fromEntries(CHANNELS.map((name, index) => [name, index])) as Record<Channel, number>,
);

/** Folded spelling -> channel. Spellings not listed here go to Other. */
const SPELLINGS: ReadonlyMap<string, Channel> = new Map<string, Channel>([
	// SMS and SMS-like: custom / provider SMS and campaign SMS are still texts.
	['sms', 'SMS'],
	['customsms', 'SMS'],
	['providersms', 'SMS'],
	['customprovidersms', 'SMS'],
	['campaignsms', 'SMS'],
	// Calls, including IVR and campaign calls.
	['call', 'Call'],
	['ivrcall', 'Call'],
	['campaigncall', 'Call'],
	['campaignmanualcall', 'Call'],
	['customcall', 'Call'],
	// Voicemail: inbound voicemail and outbound ringless voicemail.
	['voicemail', 'Voicemail'],
	['campaignvoicemail', 'Voicemail'],
	['ringlessvoicemail', 'Voicemail'],
	// Email, including custom-provider and campaign email.
	['email', 'Email'],
	['customemail', 'Email'],
	['provideremail', 'Email'],
	['customprovideremail', 'Email'],
	['campaignemail', 'Email'],
	['whatsapp', 'WhatsApp'],
	['campaignwhatsapp', 'WhatsApp'],
	['fb', 'Facebook'],
	['facebook', 'Facebook'],
	['fbcomment', 'Facebook'],
	['fbcomments', 'Facebook'],
	['facebookcomment', 'Facebook'],
	['facebookcomments', 'Facebook'],
	['campaignfb', 'Facebook'],
	['campaignfacebook', 'Facebook'],
	['ig', 'Instagram'],
	['instagram', 'Instagram'],
	['igcomment', 'Instagram'],
	['igcomments', 'Instagram'],
	['instagramcomment', 'Instagram'],
	['instagramcomments', 'Instagram'],
	['campaignig', 'Instagram'],
	['campaigninstagram', 'Instagram'],
	['gmb', 'Google Business'],
	['googlebusiness', 'Google Business'],
	['googlemybusiness', 'Google Business'],
	['campaigngmb', 'Google Business'],
	['livechat', 'Live Chat'],
	['webchat', 'Live Chat'],
]);

/**
 * HighLevel's numeric message type ids. Official for 1, 2 and 10; the others are
 * consistent observations (see FACTS.md), so an unknown id still falls to Other.
 */
const TYPE_IDS: ReadonlyMap<number, Channel> = new Map<number, Channel>([
	[1, 'Call'],
	[2, 'SMS'],
	[3, 'Email'],
	[10, 'Voicemail'],
	[11, 'Facebook'],
	[15, 'Google Business'],
	[18, 'Instagram'],
	[19, 'WhatsApp'],
	[29, 'Live Chat'],
]);

// Stryker disable next-line Regex: removing separators one at a time or in runs leaves the same string
const SEPARATORS = /[\s_-]+/g;
const TYPE_PREFIX = /^type(?=.)/;

/** `TYPE_Live-Chat ` -> `livechat`. */
export function foldSpelling(spelling: string): string {
	return spelling.toLowerCase().replace(SEPARATORS, '').replace(TYPE_PREFIX, '');
}

/** Channel of one spelling or id, or undefined when it names no known channel. */
export function channelOf(value: unknown): Channel | undefined {
	if (typeof value === 'number') return TYPE_IDS.get(value);
	if (
		typeof value !== 'string' ||
		// Stryker disable next-line ConditionalExpression: '' folds to '', which is neither a spelling nor an id
		value.length === 0 ||
		value.length > 100
	) {
		return undefined;
	}
	const folded = foldSpelling(value);
	const named = SPELLINGS.get(folded);
	if (named) return named;
	// Workflow webhooks and some REST payloads send the numeric id as a string.
	return /^\d{1,3}$/.test(folded) ? TYPE_IDS.get(Number(folded)) : undefined;
}

export interface ChannelFields {
	messageTypeString?: unknown;
	messageType?: unknown;
	messageTypeId?: unknown;
	/** Message status: an inbound call whose status is `voicemail` is a voicemail. */
	status?: unknown;
}

/**
 * Decides the channel: `messageTypeString`, then `messageType`, then
 * `messageTypeId`; the first that names a known channel wins, except that
 * voicemail wins over call (HighLevel sends an inbound voicemail as
 * `messageType: "CALL"` with `status: "voicemail"`). Unknown or missing: Other.
 */
export function detectChannel(fields: ChannelFields): Channel {
	const candidates = [
		channelOf(fields.messageTypeString),
		channelOf(fields.messageType),
		channelOf(fields.messageTypeId),
	];
	const first = candidates.find((candidate) => candidate !== undefined);
	if (first === undefined) return OTHER_CHANNEL;
	if (first === 'Call') {
		const saysVoicemail =
			candidates.includes('Voicemail') ||
			(typeof fields.status === 'string' && fields.status.toLowerCase() === 'voicemail');
		if (saysVoicemail) return 'Voicemail';
	}
	return first;
}

/**
 * HighLevel's `type` for sending (`POST /conversations/messages`) on each channel
 * it can send on. Call, Voicemail and Google Business have none: the send API
 * cannot place a call, leave a voicemail or answer a Google Business message.
 */
export const SEND_TYPE: Readonly<Partial<Record<Channel, string>>> = Object.freeze({
	SMS: 'SMS',
	Email: 'Email',
	WhatsApp: 'WhatsApp',
	Facebook: 'FB',
	Instagram: 'IG',
	'Live Chat': 'Live_Chat',
});
