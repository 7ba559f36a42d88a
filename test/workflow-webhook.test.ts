/**
 * HighLevel workflow "Webhook" actions (no marketplace app): auto-detected,
 * emitted as WorkflowWebhook with the same fields, routed by the same table.
 */
import { callWebhook } from './helpers/harness';
import { itemSpec } from './helpers/item-spec';
import { readExample } from './helpers/io.cjs';
import { classify, toMessage, type MessageItem } from '../nodes/HighLevel/normalize';

const replied = () => readExample('workflow-webhook-customer-replied').json;

function itemOf(body: Record<string, unknown>): MessageItem {
	const result = toMessage(body);
	if (!result.ok) throw new Error('not a message');
	expect(itemSpec.safeParse(result.item).success).toBe(true);
	return result.item;
}

describe('detection', () => {
	it('both workflow examples are workflow webhooks', () => {
		expect(classify(replied())).toEqual({ family: 'workflow' });
		expect(classify(readExample('workflow-webhook-tag-trigger').json)).toEqual({ family: 'workflow' });
	});
	it('a location object with contact fields but no workflow object still is', () => {
		expect(classify({ contact_id: 'c1', location: { id: 'l1' } })).toEqual({ family: 'workflow' });
	});
	it('app events are never mistaken for it, even with a workflow key', () => {
		expect(classify({ ...readExample('inbound-sms').json, workflow: { id: 'w' } })).toMatchObject({ family: 'app' });
	});
});

describe('the item', () => {
	it('who sent it: the direction and customData.source, like an app event', () => {
		expect(itemOf(replied())).toMatchObject({ direction: 'inbound', source: null, sentByHuman: true });
		const automated = replied();
		automated.customData = { ...(automated.customData as object), direction: 'outbound', source: 'workflow' };
		expect(itemOf(automated)).toMatchObject({ direction: 'outbound', source: 'workflow', sentByHuman: false });
	});

	it('the contact\'s time zone, when the webhook has one', () => {
		expect(itemOf({ ...replied(), timezone: 'America/Chicago' }).contact?.timezone).toBe('America/Chicago');
		expect(itemOf(replied()).contact?.timezone).toBeNull();
	});

	it('customer replied (numeric type 2): SMS with the contact and customData ids', () => {
		const item = itemOf(replied());
		expect(item).toMatchObject({
			event: 'WorkflowWebhook',
			channel: 'SMS',
			messageType: '2',
			direction: 'inbound',
			status: 'delivered',
			locationId: 'LOCATION_ID',
			contactId: 'CONTACT_ID',
			conversationId: 'CONVERSATION_ID',
			messageId: 'MESSAGE_ID',
			text: 'Yes, tomorrow works',
			webhookId: null,
			call: null,
			email: null,
			contact: { id: 'CONTACT_ID', name: 'Jane Doe', email: null, phone: '+15551234567', tags: ['lead', 'replied'] },
		});
		expect(item.raw).toEqual(replied());
	});

	it('tag trigger (no message): Other, contact filled in', () => {
		const item = itemOf(readExample('workflow-webhook-tag-trigger').json);
		expect(item).toMatchObject({
			channel: 'Other',
			messageType: null,
			text: '',
			locationId: 't9Ww7bY1xJJ6ThFHZVPC',
			contactId: 'gxGfB9wxEy3anxbHB4nT',
			contact: { id: 'gxGfB9wxEy3anxbHB4nT', name: 'Jane Doe', email: 'jane.doe@example.com', phone: null, tags: ['lead', 'webinar'] },
		});
	});

	it.each([
		['SMS', 'SMS'],
		['Email', 'Email'],
		['TYPE_WHATSAPP', 'WhatsApp'],
		[1, 'Call'],
		['3', 'Email'],
		[10, 'Voicemail'],
		[29, 'Live Chat'],
		['Mystery', 'Other'],
	])('message.type %p routes to %s', (type, channel) => {
		expect(itemOf({ ...replied(), message: { ...replied().message as object, type } }).channel).toBe(channel);
	});

	it('customData keys override the message object', () => {
		const item = itemOf({
			...replied(),
			customData: { messageType: 'Email', body: '<p>Hello <b>there</b></p>', messageId: 'CUSTOM_ID', conversationId: 'CUSTOM_CONV', direction: 'outbound' },
		});
		expect(item).toMatchObject({
			channel: 'Email',
			messageType: 'Email',
			text: 'Hello there',
			html: '<p>Hello <b>there</b></p>',
			messageId: 'CUSTOM_ID',
			conversationId: 'CUSTOM_CONV',
			direction: 'outbound',
		});
		expect(item.email).not.toBeNull();
	});

	it('a missing message routes to Other; a voicemail status on a call makes a Voicemail', () => {
		const withoutMessage = replied();
		delete withoutMessage.message;
		expect(itemOf(withoutMessage).channel).toBe('Other');
		expect(itemOf({ ...replied(), message: { type: 'CALL', status: 'voicemail' } }).channel).toBe('Voicemail');
	});

	it('odd values are coerced or null, never thrown', () => {
		const item = itemOf({ workflow: 7, location: { id: 42 }, contact_id: ['c'], tags: 'a, b,,', message: 'not an object', customData: [1, 2] , first_name: 'Ann'});
		expect(item).toMatchObject({ locationId: '42', contactId: 'c', channel: 'Other', contact: { name: 'Ann', tags: ['a', 'b'] } });
	});
});

describe('through webhook()', () => {
	const secret = 'example-workflow-secret-0123456789';
	const parameters = { authentication: 'headerSecret' };
	const credentials = { highLevelHeaderSecretApi: { headerName: 'X-HighLevel-Secret', secret } };

	it('with the header secret: 200 and the item on its channel, whatever Events says', async () => {
		const answer = await callWebhook({ body: readExample('workflow-webhook-customer-replied').raw, headers: { 'x-highlevel-secret': secret }, parameters, credentials });
		expect([answer.status, answer.output, answer.item?.event]).toEqual([200, 0, 'WorkflowWebhook']);
	});
	it('without it: 401', async () => {
		const answer = await callWebhook({ body: readExample('workflow-webhook-customer-replied').raw, parameters, credentials });
		expect([answer.status, answer.started]).toEqual([401, false]);
	});
	it('a repeated customData messageId is a duplicate', async () => {
		const common = { body: readExample('workflow-webhook-customer-replied').raw, headers: { 'x-highlevel-secret': secret }, parameters, credentials, workflowId: 'wf-dup' };
		const first = await callWebhook(common);
		const second = await callWebhook(common);
		expect([first.started, second.started, second.body?.reason]).toEqual([true, false, 'duplicate']);
	});
	it('the location allow-list applies to location.id', async () => {
		const answer = await callWebhook({
			body: readExample('workflow-webhook-tag-trigger').raw,
			headers: { 'x-highlevel-secret': secret },
			parameters: { ...parameters, options: { locationIds: 'someOtherLocation' } },
			credentials,
		});
		expect([answer.status, answer.started, answer.body?.reason]).toEqual([200, false, 'location not allowed']);
	});
});
