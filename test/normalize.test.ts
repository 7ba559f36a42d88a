import fc from 'fast-check';
import { EXPECTED_CHANNEL } from './helpers/expected.cjs';
import { readExample, readExamples } from './helpers/io.cjs';
import { classify, deliveryKey, eventTime, splitAddress, toMessage, type MessageItem } from '../nodes/HighLevel/normalize';

const ITEM_KEYS = [
	'event', 'channel', 'messageType', 'direction', 'locationId', 'contactId', 'conversationId', 'messageId',
	'userId', 'conversationProviderId', 'dateAdded', 'status', 'text', 'html', 'contentType', 'attachments',
	'from', 'to', 'call', 'email', 'chatWidgetId', 'webhookId', 'timestamp', 'raw',
	// Added after 1.0: who sent it.
	'source', 'sentByHuman',
].sort();

function itemOf(body: Record<string, unknown>): MessageItem {
	const result = toMessage(body);
	if (!result.ok) throw new Error(`not a message: ${JSON.stringify(result)}`);
	return result.item;
}

describe('every example in shared/highlevel/examples', () => {
	const examples = readExamples();
	it('is listed here with its expected channel', () => {
		expect(examples.map((example) => example.name).sort()).toEqual(Object.keys(EXPECTED_CHANNEL).sort());
	});

	it.each(examples.map((example) => [example.name, example] as const))('%s', (name, example) => {
		const expected = EXPECTED_CHANNEL[name];
		const result = toMessage(example.json);
		if (expected === null || expected === undefined) {
			expect(result.ok).toBe(false);
			return;
		}
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const { item } = result;
		expect(item.channel).toBe(expected);
		const expectedKeys = item.event === 'WorkflowWebhook' ? [...ITEM_KEYS, 'contact'].sort() : ITEM_KEYS;
		expect(Object.keys(item).sort()).toEqual(expectedKeys);
		for (const [key, value] of Object.entries(item)) expect([key, value]).not.toEqual([key, undefined]);
		expect(item.raw).toBe(example.json);
		expect(Array.isArray(item.attachments) && Array.isArray(item.to)).toBe(true);
		expect(typeof item.text).toBe('string');
	});
});

describe('field rules (SPEC section 4)', () => {
	it('inbound SMS: ids, text, E.164 from/to, no call or email block', () => {
		const item = itemOf(readExample('inbound-sms').json);
		expect(item).toMatchObject({
			event: 'InboundMessage',
			channel: 'SMS',
			messageType: 'SMS',
			direction: 'inbound',
			locationId: 'l1C08ntBrFjLS0elLIYU',
			contactId: 'cI08i1Bls3iTB9bKgFJh',
			conversationId: 'fcanlLgpbQgQhderivVs',
			messageId: null,
			userId: null,
			conversationProviderId: 'cI08i1Bls3iTB9bKgF01',
			dateAdded: '2021-04-21T11:31:45.750Z',
			status: 'delivered',
			text: 'This is a test message',
			html: null,
			contentType: 'text/plain',
			attachments: [],
			from: '+15551234567',
			to: ['+15559876543'],
			call: null,
			email: null,
			chatWidgetId: '67b0cc8cf14b19d85ace7s35',
			webhookId: null,
			timestamp: null,
		});
	});

	it('answered call: duration, call status, recording = first attachment', () => {
		const item = itemOf(readExample('inbound-call-answered').json);
		expect(item.channel).toBe('Call');
		expect(item.call).toEqual({ durationSeconds: 120, status: 'completed', recordingUrl: 'call recording url' });
		expect(item.text).toBe('');
	});

	it('callDuration as a string is coerced, nonsense becomes null', () => {
		const base = readExample('inbound-call-answered').json;
		expect(itemOf({ ...base, callDuration: '120' }).call?.durationSeconds).toBe(120);
		expect(itemOf({ ...base, callDuration: 'long' }).call?.durationSeconds).toBeNull();
		expect(itemOf({ ...base, callDuration: undefined, attachments: undefined }).call).toEqual({
			durationSeconds: null,
			status: 'completed',
			recordingUrl: null,
		});
	});

	it('inbound voicemail (CALL + status voicemail) and outbound ringless voicemail both have a call block', () => {
		const inbound = itemOf(readExample('inbound-call-voicemail').json);
		expect(inbound.channel).toBe('Voicemail');
		expect(inbound.call).toEqual({ durationSeconds: null, status: null, recordingUrl: 'voicemail url' });
		const ringless = itemOf(readExample('outbound-ringless-voicemail').json);
		expect(ringless).toMatchObject({ channel: 'Voicemail', direction: 'outbound', messageType: 'VoiceMail' });
		expect(ringless.call?.recordingUrl).toBe('voicemail url');
		const noStringNoId = { ...readExample('inbound-call-voicemail').json, messageTypeString: undefined, messageTypeId: undefined };
		expect(itemOf(noStringNoId).channel).toBe('Voicemail');
	});

	it('email: html kept, readable text, address split, to as array', () => {
		const item = itemOf(readExample('inbound-email-to-array').json);
		expect(item.channel).toBe('Email');
		expect(item.html).toContain('<div style=');
		expect(item.text).toBe('Testing Email Notification');
		expect(item.to).toEqual(['testprasath95@gmail.com']);
		expect(item.email).toEqual({
			subject: 'Order Confirmed',
			fromName: 'Internal Notify',
			fromAddress: 'sample@email.service',
			to: ['testprasath95@gmail.com'],
			cc: [],
			bcc: [],
			threadId: 'sddfDSF3G56GHG',
			emailMessageId: 'sddfDSF3G56GHG',
			provider: null,
		});
		expect(item.call).toBeNull();
	});

	it('email: to as a string, ccList/bccList merged with cc/bcc', () => {
		const example = readExample('inbound-email-to-string-cclist').json;
		expect(itemOf(example).email).toMatchObject({ to: ['recipient@example.com'], cc: ['cc@example.com'], bcc: ['bcc@example.com'] });
		const merged = itemOf({ ...example, to: 'a@example.com, b@example.com', cc: 'x@example.com,cc@example.com', bcc: 'y@example.com' });
		expect(merged.to).toEqual(['a@example.com', 'b@example.com']);
		expect(merged.email?.cc).toEqual(['x@example.com', 'cc@example.com']);
		expect(merged.email?.bcc).toEqual(['y@example.com', 'bcc@example.com']);
	});

	it('email: empty HTML body falls back to plainText', () => {
		const example = readExample('inbound-email-to-array').json;
		expect(itemOf({ ...example, body: '', plainText: 'plain words' }).text).toBe('plain words');
	});

	it('WhatsApp media without body or attachments still arrives, with envelope', () => {
		const item = itemOf(readExample('inbound-whatsapp-media-missing-attachments').json);
		expect(item).toMatchObject({
			channel: 'WhatsApp',
			text: '',
			attachments: [],
			webhookId: '00000000-0000-0000-0000-000000000000',
			timestamp: '2026-06-03T10:00:00.412Z',
			messageId: 'MESSAGE_ID',
		});
	});

	it('internal comment goes to Other, unknown types never dropped', () => {
		expect(itemOf(readExample('outbound-internal-comment').json)).toMatchObject({ channel: 'Other', messageType: 'InternalComment' });
		const sms = readExample('inbound-sms').json;
		expect(itemOf({ ...sms, messageType: 'Carrier Pigeon', messageTypeString: undefined, messageTypeId: undefined }).channel).toBe('Other');
		expect(itemOf({ ...sms, messageType: undefined, messageTypeString: undefined, messageTypeId: undefined }).channel).toBe('Other');
	});

	it('real envelope: webhookId and timestamp, truncated from kept as received', () => {
		const item = itemOf(readExample('outbound-sms-failed-real-envelope').json);
		expect(item).toMatchObject({ event: 'OutboundMessage', status: 'failed', from: '+146334845…(truncated in source)', to: [] });
	});

	it('custom provider deliveries become outbound messages of their channel', () => {
		expect(itemOf(readExample('provider-outbound-1').json)).toMatchObject({
			event: 'OutboundMessage',
			channel: 'SMS',
			direction: 'outbound',
			text: 'The text message to be sent to the contact',
			to: ['+15864603685'],
			messageId: 'GKJxs4P5L8dWc5CFUITM',
		});
		const email = itemOf(readExample('provider-outbound-2').json);
		expect(email).toMatchObject({ channel: 'Email', to: ['abc@gmail.com'], text: 'Testing an outobund email from custom provider.' });
		expect(email.email).toMatchObject({ subject: 'Subject from Conversation Page', fromName: 'From Name', fromAddress: 'email@gmail.com' });
	});

	it('wrong types are coerced when clear, otherwise null; never rejected', () => {
		const item = itemOf({
			type: 'InboundMessage',
			locationId: 12345,
			contactId: ['only-one'],
			conversationId: { nested: true },
			messageId: '',
			direction: 'INBOUND',
			messageType: 2,
			body: 42,
			attachments: 'https://example.com/a.png',
			to: ['+1', 7, null, { url: 'x' }],
			dateAdded: false,
			status: ['a', 'b'],
		});
		expect(item).toMatchObject({
			locationId: '12345',
			contactId: 'only-one',
			conversationId: null,
			messageId: null,
			direction: 'inbound',
			messageType: '2',
			channel: 'SMS',
			text: '42',
			attachments: ['https://example.com/a.png'],
			to: ['+1', '7', 'x'],
			dateAdded: null,
			status: null,
		});
		expect(itemOf({ type: 'InboundMessage', direction: 'sideways' }).direction).toBeNull();
	});

	it('outbound: who sent it is kept in source, and a user of the app counts as a person', () => {
		const real = readExample('outbound-sms-failed-real-envelope').json;
		expect(itemOf(real)).toMatchObject({ source: 'app', sentByHuman: true });
		expect(itemOf({ ...real, source: 'workflow' })).toMatchObject({ source: 'workflow', sentByHuman: false });
		expect(itemOf({ ...real, source: ' api ' })).toMatchObject({ source: 'api', sentByHuman: false });
		expect(itemOf({ ...real, source: undefined })).toMatchObject({ source: null, sentByHuman: null });
		expect(itemOf({ ...real, source: 42 })).toMatchObject({ source: '42', sentByHuman: null });
		// The event is outbound even when the body leaves direction out.
		expect(itemOf({ ...real, direction: undefined, source: 'api' })).toMatchObject({ direction: null, source: 'api', sentByHuman: false });
	});

	it('inbound: written by the contact; a source there is not HighLevel\'s sender and is left out', () => {
		const sms = readExample('inbound-sms').json;
		expect(itemOf(sms)).toMatchObject({ source: null, sentByHuman: true });
		expect(itemOf({ ...sms, source: 'workflow' })).toMatchObject({ source: null, sentByHuman: true });
	});

	it('custom provider deliveries do not say who asked for them: unknown', () => {
		expect(itemOf(readExample('provider-outbound-1').json)).toMatchObject({ source: null, sentByHuman: null });
	});

	it('raw can be left out', () => {
		const result = toMessage(readExample('inbound-sms').json, false);
		expect(result.ok && 'raw' in result.item).toBe(false);
	});
});

describe('classification', () => {
	it('names non-message HighLevel events', () => {
		expect(classify(readExample('conversation-unread-update').json)).toEqual({ family: 'not-a-message', eventType: 'ConversationUnreadUpdate' });
		expect(classify(readExample('real-envelope-opportunity-create').json)).toEqual({ family: 'not-a-message', eventType: 'OpportunityCreate' });
		expect(classify({})).toEqual({ family: 'not-a-message', eventType: null });
		expect(classify({ type: 'SMS' })).toEqual({ family: 'not-a-message', eventType: 'SMS' });
	});
});

describe('delivery key and event time', () => {
	it('prefers webhookId, else messageId with the event, else none', () => {
		const whatsapp = itemOf(readExample('inbound-whatsapp-media-missing-attachments').json);
		expect(deliveryKey(whatsapp)).toBe('webhook:00000000-0000-0000-0000-000000000000');
		expect(deliveryKey(itemOf(readExample('outbound-internal-comment').json))).toBe('message:OutboundMessage:M5avV1g7s0oUYWo3qkk4');
		expect(deliveryKey(itemOf(readExample('inbound-sms').json))).toBeNull();
	});
	it('uses timestamp, else dateAdded', () => {
		expect(eventTime(itemOf(readExample('inbound-whatsapp-media-missing-attachments').json))).toBe(Date.parse('2026-06-03T10:00:00.412Z'));
		expect(eventTime(itemOf(readExample('inbound-sms').json))).toBe(Date.parse('2021-04-21T11:31:45.750Z'));
		expect(eventTime(itemOf({ type: 'InboundMessage', dateAdded: 'yesterday' }))).toBeNull();
	});
});

describe('splitAddress', () => {
	it.each([
		['Internal Notify <sample@email.service>', 'Internal Notify', 'sample@email.service'],
		['"Doe, Jane" <jane@example.com>', 'Doe, Jane', 'jane@example.com'],
		['<only@example.com>', null, 'only@example.com'],
		['bare@example.com', null, 'bare@example.com'],
		['  "Jane"  <  jane@example.com  >  ', 'Jane', 'jane@example.com'],
		['Jane\nDoe <jane@example.com>', null, 'Jane\nDoe <jane@example.com>'],
		['\n Jane <jane@example.com>\n', 'Jane', 'jane@example.com'],
		['a <b> <c>', 'a <b>', 'c'],
		['a <b> c', null, 'a <b> c'],
		['a <b>>', null, 'a <b>>'],
		['<>', null, null],
		['"" <x@y>', null, 'x@y'],
	])('%p', (from, name, address) => {
		expect(splitAddress(from)).toEqual({ name, address });
	});

	/** The pattern splitAddress used before it was rewritten (cubic time on long input). */
	function byPattern(from: string): { name: string | null; address: string | null } {
		const match = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(from);
		if (!match) return { name: null, address: from.trim() || null };
		const name = match[1].replace(/^"(.*)"$/, '$1').trim();
		return { name: name || null, address: match[2].trim() || null };
	}

	it('property: reads every sender as the former pattern did', () => {
		const piece = fc.constantFrom(' ', '\t', '\n', '\r', '\u2028', '\u00a0', '"', '<', '>', 'a', 'b', '@', '.', ',');
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join('')), (from) => {
				expect(splitAddress(from)).toEqual(byPattern(from));
			}),
			{ numRuns: 20_000 },
		);
	});
});
