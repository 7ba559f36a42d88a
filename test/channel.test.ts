import { SPEC_OUTPUTS } from './helpers/expected.cjs';
import { CHANNEL_INDEX, CHANNELS, channelOf, detectChannel, foldSpelling, SEND_TYPE } from '../nodes/HighLevel/channel';

describe('output order (SPEC section 3)', () => {
	it('has ten outputs in the fixed order', () => {
		expect(CHANNELS).toEqual(SPEC_OUTPUTS);
		CHANNELS.forEach((name, index) => expect(CHANNEL_INDEX[name]).toBe(index));
	});
});

describe('messageType spellings', () => {
	const rows: Array<[string, string[]]> = [
		['SMS', ['SMS', 'sms', 'TYPE_SMS', 'TYPE_CUSTOM_SMS', 'Custom SMS', 'TYPE_CAMPAIGN_SMS', 'custom-provider-sms']],
		['Call', ['CALL', 'Call', 'TYPE_CALL', 'TYPE_IVR_CALL', 'TYPE_CAMPAIGN_CALL']],
		['Voicemail', ['VoiceMail', 'voicemail', 'VOICEMAIL', 'TYPE_VOICEMAIL', 'TYPE_CAMPAIGN_VOICEMAIL', 'Voice Mail']],
		['Email', ['Email', 'EMAIL', 'TYPE_EMAIL', 'TYPE_CUSTOM_EMAIL', 'TYPE_CAMPAIGN_EMAIL', 'e-mail']],
		['WhatsApp', ['WhatsApp', 'WHATSAPP', 'TYPE_WHATSAPP', 'whats_app']],
		['Facebook', ['FB', 'fb', 'Facebook', 'TYPE_FACEBOOK', 'TYPE_FACEBOOK_COMMENT', 'Facebook Comments', 'FB_COMMENT']],
		['Instagram', ['IG', 'Instagram', 'TYPE_INSTAGRAM', 'TYPE_INSTAGRAM_COMMENT', 'Instagram Comments', 'IG_COMMENT']],
		['Google Business', ['GMB', 'gmb', 'TYPE_GMB', 'Google Business', 'Google My Business']],
		['Live Chat', ['Live Chat', 'Live_Chat', 'LIVE_CHAT', 'WebChat', 'webchat', 'TYPE_LIVE_CHAT', 'TYPE_WEBCHAT', 'Web-Chat']],
	];
	it.each(rows)('%s: every spelling maps to it', (channel, spellings) => {
		for (const spelling of spellings) expect([spelling, channelOf(spelling)]).toEqual([spelling, channel]);
	});

	it.each(['InternalComment', 'TYPE_INTERNAL_COMMENT', 'TIKTOK', 'TYPE_TIKTOK', 'RCS', 'Custom', 'TYPE_ACTIVITY', '', 'type', 'x'.repeat(500)])(
		'%s is no known channel (goes to Other)',
		(spelling) => {
			expect(channelOf(spelling)).toBeUndefined();
			expect(detectChannel({ messageType: spelling })).toBe('Other');
		},
	);

	it('folds case, spaces, underscores, dashes and the TYPE_ prefix', () => {
		expect(foldSpelling('TYPE_Live-Chat ')).toBe('livechat');
		expect(foldSpelling('type_sms')).toBe('sms');
	});
});

describe('messageTypeId', () => {
	it.each([
		[1, 'Call'],
		[2, 'SMS'],
		[3, 'Email'],
		[10, 'Voicemail'],
		[11, 'Facebook'],
		[15, 'Google Business'],
		[18, 'Instagram'],
		[19, 'WhatsApp'],
		[29, 'Live Chat'],
	])('%i is %s, as a number and as a string', (id, channel) => {
		expect(detectChannel({ messageTypeId: id })).toBe(channel);
		expect(detectChannel({ messageTypeId: String(id) })).toBe(channel);
	});
	it.each([0, 4, 99, -1, 2.5, NaN])('%p is Other', (id) => {
		expect(detectChannel({ messageTypeId: id })).toBe('Other');
	});
});

describe('precedence', () => {
	it('messageTypeString wins over messageType, which wins over messageTypeId', () => {
		expect(detectChannel({ messageTypeString: 'TYPE_WHATSAPP', messageType: 'SMS', messageTypeId: 3 })).toBe('WhatsApp');
		expect(detectChannel({ messageType: 'SMS', messageTypeId: 3 })).toBe('SMS');
	});
	it('an unknown messageTypeString falls through to the next field', () => {
		expect(detectChannel({ messageTypeString: 'TYPE_NEW_THING', messageType: 'Email' })).toBe('Email');
	});
	it('a CALL whose status is voicemail is a Voicemail (inbound voicemail shape)', () => {
		expect(detectChannel({ messageType: 'CALL', status: 'voicemail' })).toBe('Voicemail');
		expect(detectChannel({ messageType: 'CALL', status: 'VOICEMAIL' })).toBe('Voicemail');
	});
	it('voicemail in a later field wins over Call', () => {
		expect(detectChannel({ messageType: 'CALL', messageTypeId: 10 })).toBe('Voicemail');
	});
	it('an outbound call that reached voicemail (callStatus only) is still a Call', () => {
		expect(detectChannel({ messageType: 'CALL', status: 'completed' })).toBe('Call');
	});
	it('status voicemail does not turn a non-call into a voicemail', () => {
		expect(detectChannel({ messageType: 'SMS', status: 'voicemail' })).toBe('SMS');
	});
	it('missing everything is Other', () => {
		expect(detectChannel({})).toBe('Other');
		expect(detectChannel({ messageType: null, messageTypeId: { a: 1 } })).toBe('Other');
	});
});

/**
 * Every spelling the table must know, written out here from FACTS.md and the
 * spellings HighLevel's APIs use (webhooks, REST, conversations API TYPE_*
 * names), not read from channel.ts: deleting or mistyping any row of its table
 * sends those messages to Other, and one of these rows fails.
 */
describe('every spelling in the table, row by row', () => {
	const EXPECTED: Array<[string, string]> = [
		['SMS', 'SMS'],
		['TYPE_CUSTOM_SMS', 'SMS'],
		['TYPE_PROVIDER_SMS', 'SMS'],
		['TYPE_CUSTOM_PROVIDER_SMS', 'SMS'],
		['TYPE_CAMPAIGN_SMS', 'SMS'],
		['CALL', 'Call'],
		['TYPE_IVR_CALL', 'Call'],
		['TYPE_CAMPAIGN_CALL', 'Call'],
		['TYPE_CAMPAIGN_MANUAL_CALL', 'Call'],
		['TYPE_CUSTOM_CALL', 'Call'],
		['VoiceMail', 'Voicemail'],
		['TYPE_CAMPAIGN_VOICEMAIL', 'Voicemail'],
		['TYPE_RINGLESS_VOICEMAIL', 'Voicemail'],
		['Email', 'Email'],
		['TYPE_CUSTOM_EMAIL', 'Email'],
		['TYPE_PROVIDER_EMAIL', 'Email'],
		['TYPE_CUSTOM_PROVIDER_EMAIL', 'Email'],
		['TYPE_CAMPAIGN_EMAIL', 'Email'],
		['WhatsApp', 'WhatsApp'],
		['TYPE_CAMPAIGN_WHATSAPP', 'WhatsApp'],
		['FB', 'Facebook'],
		['TYPE_FACEBOOK', 'Facebook'],
		['FB_COMMENT', 'Facebook'],
		['TYPE_FB_COMMENTS', 'Facebook'],
		['TYPE_FACEBOOK_COMMENT', 'Facebook'],
		['TYPE_FACEBOOK_COMMENTS', 'Facebook'],
		['TYPE_CAMPAIGN_FB', 'Facebook'],
		['TYPE_CAMPAIGN_FACEBOOK', 'Facebook'],
		['IG', 'Instagram'],
		['TYPE_INSTAGRAM', 'Instagram'],
		['IG_COMMENT', 'Instagram'],
		['TYPE_IG_COMMENTS', 'Instagram'],
		['TYPE_INSTAGRAM_COMMENT', 'Instagram'],
		['TYPE_INSTAGRAM_COMMENTS', 'Instagram'],
		['TYPE_CAMPAIGN_IG', 'Instagram'],
		['TYPE_CAMPAIGN_INSTAGRAM', 'Instagram'],
		['GMB', 'Google Business'],
		['Google Business', 'Google Business'],
		['Google My Business', 'Google Business'],
		['TYPE_CAMPAIGN_GMB', 'Google Business'],
		['Live_Chat', 'Live Chat'],
		['TYPE_WEBCHAT', 'Live Chat'],
	];
	it.each(EXPECTED)('%s goes to %s', (spelling, channel) => {
		expect(channelOf(spelling)).toBe(channel);
		expect(detectChannel({ messageType: spelling })).toBe(channel);
	});
});

describe('what is not a spelling', () => {
	it('only a leading TYPE is a prefix: TYPE inside a spelling is kept', () => {
		expect(channelOf('LIVE_TYPE_CHAT')).toBeUndefined();
		expect(channelOf('S_TYPE_MS')).toBeUndefined();
	});
	it('values longer than 100 characters are never a channel, whatever they fold to', () => {
		expect(channelOf(`SMS${' '.repeat(97)}`)).toBe('SMS');
		expect(channelOf(`SMS${' '.repeat(98)}`)).toBeUndefined();
		expect(detectChannel({ messageType: `SMS${'_'.repeat(200)}` })).toBe('Other');
	});
	it.each(['0002', '0010', '1e1', '0x2', '2.0', '10a', 'a10'])('%s is not a numeric type id (ids are 1 to 3 digits)', (value) => {
		expect(channelOf(value)).toBeUndefined();
		expect(detectChannel({ messageTypeId: value })).toBe('Other');
	});
});

describe('send types (what the action node sends on each channel)', () => {
	// HighLevel's SendMessageBodyDto.type (shared/highlevel/openapi/apps/conversations.json):
	// SMS, Email, WhatsApp, IG, FB, Custom, Live_Chat. Calls, voicemails and Google
	// Business messages cannot be sent through it.
	it('each channel has the send type HighLevel expects for it, or none', () => {
		const expected: Record<string, string | undefined> = {
			SMS: 'SMS',
			Call: undefined,
			Voicemail: undefined,
			Email: 'Email',
			WhatsApp: 'WhatsApp',
			Facebook: 'FB',
			Instagram: 'IG',
			'Google Business': undefined,
			'Live Chat': 'Live_Chat',
			Other: undefined,
		};
		expect(Object.fromEntries(CHANNELS.map((channel) => [channel, SEND_TYPE[channel]]))).toEqual(expected);
	});
});
