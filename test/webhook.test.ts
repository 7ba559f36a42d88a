/**
 * The node's webhook() as n8n calls it: HTTP answers of SPEC section 5, event
 * and location filters, routing to outputs, options.
 */
import { NodeHelpers } from 'n8n-workflow';

import { callWebhook, node } from './helpers/harness';
import { SIGNED_MESSAGES } from './helpers/expected.cjs';
import { readExample, readExamples } from './helpers/io.cjs';
import { CHANNELS } from '../nodes/HighLevel/channel';

// The examples are recorded deliveries, most of them years old: Maximum Event Age
// (on by default) would refuse them as the replays they are. These tests are about
// parsing and routing, so they turn the age check off; it has its own tests.
const NO_AUTH = { authentication: 'none', options: { maxEventAgeMinutes: 0 } };
const ALL_EVENTS = { ...NO_AUTH, events: ['InboundMessage', 'OutboundMessage'] };
const withOptions = (parameters: typeof NO_AUTH, options: Record<string, unknown>) => ({
	...parameters,
	options: { ...parameters.options, ...options },
});

const MESSAGE_EXAMPLES = Object.fromEntries(
	Object.entries(SIGNED_MESSAGES).map(([name, channel]) => [name, { channel, event: name.startsWith('inbound') ? 'InboundMessage' : 'OutboundMessage' }]),
);

describe('accepted events: 200 from n8n once the execution exists, one item on the output of its channel', () => {
	it.each(Object.entries(MESSAGE_EXAMPLES))('%s -> %s', async (name, expected) => {
		const example = readExample(name);
		const answer = await callWebhook({ body: example.raw, parameters: ALL_EVENTS });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ received: true, started: true, channel: expected.channel });
		// The node leaves the answer to n8n, which sends it after creating the execution.
		expect(answer.result.noWebhookResponse).toBeUndefined();
		expect(answer.result.webhookResponse).toEqual({ received: true, started: true, channel: expected.channel });
		expect(answer.answeredBy).toBe('n8n');
		expect(answer.outputs).toHaveLength(10);
		expect(answer.outputs.flat()).toHaveLength(1);
		expect(answer.output).toBe(CHANNELS.indexOf(expected.channel as (typeof CHANNELS)[number]));
		expect(answer.item).toMatchObject({ channel: expected.channel, event: expected.event, raw: example.json });
	});

	it('every message example is covered above', () => {
		const messages = readExamples().filter((example) => !/unread|opportunity|workflow-webhook/.test(example.name));
		expect(messages.map((example) => example.name).sort()).toEqual(Object.keys(MESSAGE_EXAMPLES).sort());
	});
});

describe('acknowledged without running the workflow: 200', () => {
	it.each(['conversation-unread-update', 'real-envelope-opportunity-create'])('non-message event %s', async (name) => {
		const answer = await callWebhook({ body: readExample(name).raw, parameters: ALL_EVENTS });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ received: true, started: false, reason: 'not a message event' });
		expect(answer.started).toBe(false);
	});

	it('an object that is no HighLevel event at all', async () => {
		const answer = await callWebhook({ body: { hello: 'world' }, parameters: NO_AUTH });
		expect([answer.status, answer.started, answer.body?.reason]).toEqual([200, false, 'not a message event']);
	});

	it('Outbound Message is off by default', async () => {
		const answer = await callWebhook({ body: readExample('outbound-sms-failed-real-envelope').raw, parameters: NO_AUTH });
		expect([answer.status, answer.started, answer.body?.reason]).toEqual([200, false, 'event not selected']);
		const inbound = await callWebhook({ body: readExample('inbound-sms').raw, parameters: NO_AUTH });
		expect(inbound.started).toBe(true);
	});

	it('Inbound Message can be turned off', async () => {
		const answer = await callWebhook({
			body: readExample('inbound-sms').raw,
			parameters: { ...NO_AUTH, events: ['OutboundMessage'] },
		});
		expect([answer.status, answer.started, answer.body?.reason]).toEqual([200, false, 'event not selected']);
	});

	it('location not in the allow-list', async () => {
		const parameters = withOptions(NO_AUTH, { locationIds: 'abc, l1C08ntBrFjLS0elLIYU' });
		const allowed = await callWebhook({ body: readExample('inbound-sms').raw, parameters });
		expect(allowed.started).toBe(true);
		const other = await callWebhook({ body: readExample('inbound-call-answered').raw, parameters });
		expect([other.status, other.started, other.body?.reason]).toEqual([200, false, 'location not allowed']);
	});

	it('duplicate delivery (same webhookId) within the node', async () => {
		const body = readExample('inbound-whatsapp-media-missing-attachments').raw;
		const first = await callWebhook({ body, parameters: NO_AUTH, workflowId: 'dup-wf' });
		const second = await callWebhook({ body, parameters: NO_AUTH, workflowId: 'dup-wf' });
		expect(first.started).toBe(true);
		expect([second.status, second.started, second.body?.reason]).toEqual([200, false, 'duplicate']);
		expect(second.answeredBy).toBe('node');
		// Another workflow (or node) has its own memory.
		const elsewhere = await callWebhook({ body, parameters: NO_AUTH, workflowId: 'other-wf' });
		expect(elsewhere.started).toBe(true);
	});

	it('duplicates by messageId + event when there is no webhookId', async () => {
		const body = readExample('outbound-internal-comment').raw;
		const first = await callWebhook({ body, parameters: ALL_EVENTS, workflowId: 'dup-msg' });
		const second = await callWebhook({ body, parameters: ALL_EVENTS, workflowId: 'dup-msg' });
		expect([first.started, second.started]).toEqual([true, false]);
	});

	it('duplicates pass when Ignore Duplicates is off', async () => {
		const body = readExample('inbound-whatsapp-media-missing-attachments').raw;
		const parameters = withOptions(NO_AUTH, { ignoreDuplicates: false });
		const first = await callWebhook({ body, parameters, workflowId: 'dup-off' });
		const second = await callWebhook({ body, parameters, workflowId: 'dup-off' });
		expect([first.started, second.started]).toEqual([true, true]);
	});

	it('events older than Maximum Event Age', async () => {
		const parameters = { authentication: 'none', options: { maxEventAgeMinutes: 10 } };
		const old = await callWebhook({ body: readExample('inbound-whatsapp-media-missing-attachments').raw, parameters });
		expect([old.status, old.started, old.body?.reason]).toEqual([200, false, 'event too old']);
		const fresh = { ...readExample('inbound-whatsapp-media-missing-attachments').json, timestamp: new Date().toISOString(), webhookId: 'fresh-1' };
		expect((await callWebhook({ body: fresh, parameters })).started).toBe(true);
		// 0 turns it off: the 2021 example runs.
		expect((await callWebhook({ body: readExample('inbound-sms').raw, parameters: NO_AUTH })).started).toBe(true);
	});
});

describe('not a JSON object: 400 with a message, no execution', () => {
	const cases: Array<[string, { body: unknown; contentType?: string | null }, RegExp]> = [
		['invalid JSON', { body: '{"type": "InboundMessage",' }, /not valid JSON/],
		['an array', { body: '[{"type":"InboundMessage"}]' }, /must be a JSON object, got an array/],
		['a string', { body: '"InboundMessage"' }, /must be a JSON object, got a string/],
		['a number', { body: '42' }, /must be a JSON object, got a number/],
		['null', { body: 'null' }, /must be a JSON object, got null/],
		['empty', { body: '' }, /empty/],
		['text/plain', { body: '{"type":"InboundMessage"}', contentType: 'text/plain' }, /Content-Type must be application\/json/],
		['form data', { body: 'type=InboundMessage', contentType: 'application/x-www-form-urlencoded' }, /Content-Type/],
		['no content type', { body: '{"type":"InboundMessage"}', contentType: null }, /got none/],
	];
	it.each(cases)('%s', async (_name, request, message) => {
		const answer = await callWebhook({ ...request, parameters: NO_AUTH });
		expect(answer.status).toBe(400);
		expect(answer.body?.error).toBe('bad request');
		expect(String(answer.body?.message)).toMatch(message);
		expect(answer.started).toBe(false);
	});

	it('accepts application/json with a charset and +json types', async () => {
		const body = readExample('inbound-sms').raw;
		expect((await callWebhook({ body, contentType: 'application/json; charset=utf-8', parameters: NO_AUTH })).started).toBe(true);
		expect((await callWebhook({ body, contentType: 'application/vnd.highlevel+json', parameters: NO_AUTH })).started).toBe(true);
	});
});

describe('routing', () => {
	it('Single Output puts every channel on output 0', async () => {
		for (const name of ['inbound-sms', 'inbound-call-answered', 'inbound-email-to-array']) {
			const answer = await callWebhook({ body: readExample(name).raw, parameters: { ...NO_AUTH, routing: 'single' } });
			expect(answer.outputs).toHaveLength(1);
			expect(answer.output).toBe(0);
		}
	});
	it('Include Raw Body off leaves raw out', async () => {
		const answer = await callWebhook({ body: readExample('inbound-sms').raw, parameters: withOptions(NO_AUTH, { includeRaw: false }) });
		expect(answer.started).toBe(true);
		expect(answer.item && 'raw' in answer.item).toBe(false);
	});
	it.each([
		['GMB', 7],
		['FB', 5],
		['IG', 6],
		['Live_Chat', 8],
		['WhatsApp', 4],
		['TikTok', 9],
	])('messageType %s goes to output %i', async (messageType, output) => {
		const body = { ...readExample('inbound-sms').json, messageType, messageTypeString: undefined, messageTypeId: undefined };
		const answer = await callWebhook({ body, parameters: NO_AUTH });
		expect(answer.output).toBe(output);
	});
});

describe('Ignore Messages Sent by Automations (people and machines apart)', () => {
	const outbound = readExample('outbound-sms-failed-real-envelope').json;
	const from = (source: string | undefined) => JSON.stringify({ ...outbound, source });
	const OUTBOUND_ONLY = { ...NO_AUTH, events: ['OutboundMessage'] };

	it.each(['api', 'workflow', 'campaign', 'bulk_actions'])(
		'new nodes (1.1): an outbound message sent by "%s" is acknowledged and starts nothing, so a reply cannot trigger its own workflow',
		async (source) => {
			const answer = await callWebhook({ body: from(source), parameters: OUTBOUND_ONLY, typeVersion: 1.1 });
			expect([answer.status, answer.started]).toEqual([200, false]);
			expect(answer.body).toEqual({ received: true, started: false, reason: 'sent by automation' });
		},
	);

	it('new nodes (1.1): what a person sends from the HighLevel app, or an unknown sender, still starts the workflow', async () => {
		for (const source of ['app', undefined]) {
			const answer = await callWebhook({ body: from(source), parameters: OUTBOUND_ONLY, typeVersion: 1.1 });
			expect([answer.status, answer.started]).toEqual([200, true]);
			expect(answer.item).toMatchObject({ source: source ?? null, sentByHuman: source === 'app' ? true : null });
		}
	});

	it('switched off, automated messages run, with source and sentByHuman to tell them apart', async () => {
		const answer = await callWebhook({ body: from('api'), parameters: { ...OUTBOUND_ONLY, ignoreAutomatedMessages: false }, typeVersion: 1.1 });
		expect(answer.started).toBe(true);
		expect(answer.item).toMatchObject({ source: 'api', sentByHuman: false });
	});

	it('workflows saved with version 1 keep running every outbound message, as before the option existed', async () => {
		const answer = await callWebhook({ body: from('workflow'), parameters: OUTBOUND_ONLY, typeVersion: 1 });
		expect(answer.started).toBe(true);
		const optedIn = await callWebhook({ body: from('workflow'), parameters: { ...OUTBOUND_ONLY, ignoreAutomatedMessages: true }, typeVersion: 1 });
		expect(optedIn.body).toEqual({ received: true, started: false, reason: 'sent by automation' });
	});

	it('an Events expression does not change the version\'s default (n8n stops reading display rules at an expression)', () => {
		const events = '={{ ["InboundMessage", "OutboundMessage"] }}';
		const resolved = (typeVersion: number) =>
			NodeHelpers.getNodeParameters(node.description.properties, { events }, true, false, { typeVersion }, node.description)?.ignoreAutomatedMessages;
		expect(resolved(1)).toBe(false);
		expect(resolved(1.1)).toBe(true);
	});

	it('inbound messages are never affected', async () => {
		const answer = await callWebhook({ body: readExample('inbound-sms').raw, parameters: { ...ALL_EVENTS, ignoreAutomatedMessages: true }, typeVersion: 1.1 });
		expect(answer.started).toBe(true);
	});
});
