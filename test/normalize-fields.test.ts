/**
 * Field by field, what the item takes from each key HighLevel (or the user's
 * workflow action) sends. The keys are written out here from FACTS.md and the
 * README's item table, not read from normalize.ts: a misspelt key in the code
 * would silently leave the field empty.
 */
import { itemSpec } from './helpers/item-spec';
import { readExample } from './helpers/io.cjs';
import { classify, deliveryKey, eventTime, toMessage, type MessageItem } from '../nodes/HighLevel/normalize';

function itemOf(body: Record<string, unknown>): MessageItem {
	const result = toMessage(body);
	if (!result.ok) throw new Error('not a message');
	expect(itemSpec.safeParse(result.item).success).toBe(true);
	return result.item;
}

/** A workflow webhook with no message object: every value comes from customData. */
const workflowWith = (customData: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	contact_id: 'c1',
	location: { id: 'loc1' },
	workflow: { id: 'wf1', name: 'to n8n' },
	customData,
	...extra,
});

describe('workflow webhooks: each customData key the node reads', () => {
	it.each([
		['messageId', 'M1', { messageId: 'M1' }],
		['conversationId', 'C1', { conversationId: 'C1' }],
		['dateAdded', '2026-03-01T10:00:00.000Z', { dateAdded: '2026-03-01T10:00:00.000Z' }],
		['contentType', 'text/plain', { contentType: 'text/plain' }],
		['status', 'delivered', { status: 'delivered' }],
		['direction', 'inbound', { direction: 'Inbound' }],
		['from', '+15551234567', { from: '+15551234567' }],
		['to', ['+15559876543'], { to: '+15559876543' }],
		['attachments', ['https://files.example.com/a.png'], { attachments: ['https://files.example.com/a.png'] }],
		['userId', 'U1', { userId: 'U1' }],
		['conversationProviderId', 'P1', { conversationProviderId: 'P1' }],
		['messageType', 'SMS', { messageType: 'SMS' }],
		['text', 'hello', { body: 'hello' }],
	])('%s', (field, value, customData) => {
		expect((itemOf(workflowWith({ messageType: 'SMS', ...customData })) as unknown as Record<string, unknown>)[field]).toEqual(value);
	});

	it('email keys: subject, cc, bcc, threadId, emailMessageId, and the sender split', () => {
		const item = itemOf(
			workflowWith({
				messageType: 'Email',
				body: '<p>Hi</p>',
				from: 'Jane Doe <jane@example.com>',
				to: 'a@example.com',
				subject: 'Order',
				cc: 'c@example.com',
				bcc: ['b1@example.com', 'b2@example.com'],
				threadId: 'T1',
				emailMessageId: 'E1',
			}),
		);
		expect(item.email).toEqual({
			subject: 'Order',
			fromName: 'Jane Doe',
			fromAddress: 'jane@example.com',
			to: ['a@example.com'],
			cc: ['c@example.com'],
			bcc: ['b1@example.com', 'b2@example.com'],
			threadId: 'T1',
			emailMessageId: 'E1',
			provider: null,
		});
		expect([item.text, item.html]).toEqual(['Hi', '<p>Hi</p>']);
	});

	it('call keys: callDuration and callStatus, recording = first attachment', () => {
		const item = itemOf(workflowWith({ messageType: 'CALL', callDuration: '42', callStatus: 'completed', attachments: ['https://r.example.com/1.mp3'] }));
		expect(item.call).toEqual({ durationSeconds: 42, status: 'completed', recordingUrl: 'https://r.example.com/1.mp3' });
	});

	it('the channel can be given as messageTypeString or messageTypeId in customData', () => {
		expect(itemOf(workflowWith({ messageTypeString: 'TYPE_WHATSAPP' })).channel).toBe('WhatsApp');
		expect(itemOf(workflowWith({ messageTypeId: 19 })).channel).toBe('WhatsApp');
	});

	it('location and contact ids from customData when the payload has none', () => {
		const item = itemOf({ workflow: { id: 'wf' }, location: {}, customData: { locationId: 'L2', contactId: 'C2' } });
		expect([item.locationId, item.contactId]).toEqual(['L2', 'C2']);
	});

	it('the message object\'s own keys (type, id, body) when customData has none, or has them empty', () => {
		const item = itemOf(workflowWith({ body: '', messageId: null }, { message: { type: 'SMS', id: 'MSG9', body: 'from the message', direction: 'outbound' } }));
		expect([item.channel, item.messageId, item.text, item.direction]).toEqual(['SMS', 'MSG9', 'from the message', 'outbound']);
	});

	it('SMS and chat text is kept exactly as written, never read as HTML', () => {
		expect(itemOf(workflowWith({ messageType: 'SMS', body: 'a <b>b</b>  &amp;\nc' })).text).toBe('a <b>b</b>  &amp;\nc');
		expect(itemOf(workflowWith({ messageType: 'SMS', body: 'x' })).html).toBeNull();
	});

	it('a contact without any name, or with only blanks, has name null (and the message still arrives)', () => {
		expect(itemOf(workflowWith({ messageType: 'SMS' })).contact?.name).toBeNull();
		expect(itemOf(workflowWith({ messageType: 'SMS' }, { full_name: '   ' })).contact?.name).toBeNull();
		expect(itemOf(workflowWith({ messageType: 'SMS' }, { first_name: 'Jane', last_name: 'Doe' })).contact?.name).toBe('Jane Doe');
		expect(itemOf(workflowWith({ messageType: 'SMS' }, { last_name: 'Doe' })).contact?.name).toBe('Doe');
		expect(itemOf(workflowWith({ messageType: 'SMS' }, { full_name: ' Jane Q. Doe ', first_name: 'X' })).contact?.name).toBe('Jane Q. Doe');
	});

	it('a workflow webhook has no envelope: no webhookId, no timestamp, no chat widget', () => {
		expect(itemOf(workflowWith({ messageType: 'SMS', webhookId: 'w', timestamp: '2026-01-01T00:00:00Z' }))).toMatchObject({ webhookId: null, timestamp: null, chatWidgetId: null, event: 'WorkflowWebhook' });
	});
});

describe('classify', () => {
	it('a workflow object alone makes a workflow webhook', () => {
		expect(classify({ workflow: { id: 'w' } })).toEqual({ family: 'workflow' });
		expect(classify({ workflow: 'w' })).toEqual({ family: 'not-a-message', eventType: null });
	});
	it('toMessage says why a body is no message', () => {
		expect(toMessage({ type: 'ContactCreate' })).toEqual({ ok: false, reason: 'not-a-message', eventType: 'ContactCreate' });
	});
	it('a location object makes a workflow webhook only beside contact fields or customData', () => {
		expect(classify({ location: { id: 'l' }, customData: {} })).toEqual({ family: 'workflow' });
		expect(classify({ location: { id: 'l' }, contact_id: 'c' })).toEqual({ family: 'workflow' });
		expect(classify({ location: { id: 'l' } })).toEqual({ family: 'not-a-message', eventType: null });
		expect(classify({ location: 'l', contact_id: 'c' })).toEqual({ family: 'not-a-message', eventType: null });
		expect(classify({ location: { id: 'l' }, customData: 'x' })).toEqual({ family: 'not-a-message', eventType: null });
	});
	it('a provider delivery needs a channel type, a messageId and a locationId', () => {
		expect(classify({ type: 'SMS', messageId: 'm', locationId: 'l' })).toEqual({ family: 'provider' });
		expect(classify({ type: 'SMS', locationId: 'l' })).toEqual({ family: 'not-a-message', eventType: 'SMS' });
		expect(classify({ type: 'SMS', messageId: 'm' })).toEqual({ family: 'not-a-message', eventType: 'SMS' });
		expect(classify({ type: 'ContactCreate', messageId: 'm', locationId: 'l' })).toEqual({ family: 'not-a-message', eventType: 'ContactCreate' });
	});
});

describe('app messages', () => {
	it('SMS, chat and other non-email text is kept exactly, never read as HTML', () => {
		for (const messageType of ['SMS', 'Live_Chat', 'WhatsApp', 'FB']) {
			const item = itemOf({ type: 'InboundMessage', messageType, body: 'a <b>b</b>  &amp;\n\nc' });
			expect([messageType, item.text, item.html]).toEqual([messageType, 'a <b>b</b>  &amp;\n\nc', null]);
		}
	});
	it('an email with a blank body takes plainText; with neither, text is empty', () => {
		expect(itemOf({ type: 'InboundMessage', messageType: 'Email', body: '  ', plainText: 'plain' }).text).toBe('plain');
		expect(itemOf({ type: 'InboundMessage', messageType: 'Email' })).toMatchObject({ text: '', html: null });
	});
	it('cc and bcc lists are merged and each address listed once', () => {
		const item = itemOf({ type: 'InboundMessage', messageType: 'Email', body: 'x', cc: 'a@example.com', ccList: ['a@example.com', 'b@example.com'], bcc: 'z@example.com', bccList: ['z@example.com'] });
		expect(item.email).toMatchObject({ cc: ['a@example.com', 'b@example.com'], bcc: ['z@example.com'] });
	});
});

describe('provider deliveries', () => {
	it('an email delivery: HTML to text, the sender split, recipients from emailTo', () => {
		const item = itemOf({ type: 'Email', messageId: 'm', locationId: 'l', html: '<p>Hi <b>you</b></p>', emailFrom: 'Shop <shop@example.com>', emailTo: ['a@example.com'], emailCc: ['c@example.com'], emailBcc: ['b@example.com'], subject: 'S', threadId: 'T', emailMessageId: 'E' });
		expect(item).toMatchObject({ channel: 'Email', direction: 'outbound', event: 'OutboundMessage', text: 'Hi you', html: '<p>Hi <b>you</b></p>', from: 'Shop <shop@example.com>', to: ['a@example.com'] });
		expect(item.email).toEqual({ subject: 'S', fromName: 'Shop', fromAddress: 'shop@example.com', to: ['a@example.com'], cc: ['c@example.com'], bcc: ['b@example.com'], threadId: 'T', emailMessageId: 'E', provider: null });
	});
	it('an email delivery with only message text reads it; an SMS delivery keeps its text and has no sender or email block', () => {
		expect(itemOf({ type: 'Email', messageId: 'm', locationId: 'l', message: 'plain <i>words</i>' }).text).toBe('plain words');
		const sms = itemOf({ type: 'SMS', messageId: 'm', locationId: 'l', message: 'a <b>b</b>', phone: '+15551234567', emailFrom: 'x@example.com' });
		expect(sms).toMatchObject({ channel: 'SMS', text: 'a <b>b</b>', html: null, from: null, to: ['+15551234567'], email: null, call: null });
	});
	it('a delivery without any text has empty text', () => {
		expect(itemOf({ type: 'Email', messageId: 'm', locationId: 'l' }).text).toBe('');
		expect(itemOf({ type: 'SMS', messageId: 'm', locationId: 'l' }).text).toBe('');
	});
	it('an unknown provider type goes to Other', () => {
		expect(classify({ type: 'Carrier Pigeon', messageId: 'm', locationId: 'l' }).family).toBe('not-a-message');
	});
});

describe('delivery key and event time', () => {
	it('an event without webhookId or messageId has no delivery key (it is never taken for a duplicate of another)', () => {
		expect(deliveryKey(itemOf({ type: 'InboundMessage', messageType: 'SMS' }))).toBeNull();
		expect(deliveryKey(itemOf({ type: 'OutboundMessage', messageType: 'SMS', messageId: 'm1' }))).toBe('message:OutboundMessage:m1');
	});
	it('an unreadable timestamp falls back to dateAdded; neither gives no time', () => {
		expect(eventTime(itemOf({ type: 'InboundMessage', timestamp: 'soon', dateAdded: '2026-01-02T03:04:05.000Z' }))).toBe(Date.parse('2026-01-02T03:04:05.000Z'));
		expect(eventTime(itemOf({ type: 'InboundMessage', timestamp: '2026-05-01T00:00:00.000Z', dateAdded: '2026-01-02T03:04:05.000Z' }))).toBe(Date.parse('2026-05-01T00:00:00.000Z'));
		expect(eventTime(itemOf({ type: 'InboundMessage' }))).toBeNull();
		expect(eventTime(itemOf(readExample('inbound-sms').json))).toBe(Date.parse('2021-04-21T11:31:45.750Z'));
	});
});
