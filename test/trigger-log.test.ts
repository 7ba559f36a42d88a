/**
 * What the trigger tells the n8n admin in n8n's log: why a request was refused
 * or ignored, at which level, and (for warnings that would repeat with every
 * delivery) at most once a minute per workflow node and reason.
 */
import { randomUUID } from 'crypto';

import { callWebhook, logged, makeTestKeys, signedCall, type TestKeys } from './helpers/harness';
import { readExample } from './helpers/io.cjs';

let keys: TestKeys;
beforeAll(() => {
	keys = makeTestKeys();
});
beforeEach(() => {
	logged.length = 0;
});

const MY_APP = '6878cec452e7c8d29d4dd3d9';
const delivery = (fields: Record<string, unknown> = {}) => ({ ...readExample('inbound-sms').json, appId: MY_APP, webhookId: randomUUID(), timestamp: new Date().toISOString(), ...fields });
const warnings = () => logged.filter((entry) => entry.level === 'warn').map((entry) => entry.message);

describe('warnings that would repeat with every delivery come once a minute', () => {
	let now = Date.parse('2026-03-01T00:00:00.000Z');
	let clock: jest.SpyInstance;
	beforeEach(() => {
		clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterEach(() => clock.mockRestore());

	it('no App IDs: 503 with Retry-After, and one warning per minute per workflow node', async () => {
		const send = async (workflowId: string, nodeId = 'node-1') => await callWebhook(signedCall(keys, delivery({ timestamp: new Date(now).toISOString() }), { workflowId, nodeId }));
		const first = await send('wf-log-1');
		expect([first.status, first.body, first.headers['retry-after']]).toEqual([503, { error: 'unavailable', message: 'This trigger is not set up to accept HighLevel events yet; retry later.' }, '300']);
		await send('wf-log-1');
		expect(warnings()).toEqual([
			'HighLevel Message Trigger (HighLevel Message Trigger): a signed HighLevel event arrived but App IDs (or Location IDs) is empty, so it is not accepted; HighLevel retries it',
		]);
		await send('wf-log-2');
		await send('wf-log-1', 'node-2');
		expect(warnings()).toHaveLength(3);
		now += 59_999;
		await send('wf-log-1');
		expect(warnings()).toHaveLength(3);
		now += 1;
		await send('wf-log-1');
		expect(warnings()).toHaveLength(4);
	});

	it('another app\'s or location\'s event: acknowledged, and the warning names it', async () => {
		const answer = await callWebhook(signedCall(keys, delivery({ appId: 'someone-else', timestamp: new Date(now).toISOString() }), { parameters: { appIds: MY_APP }, workflowId: 'wf-log-3' }));
		expect(answer.body).toEqual({ received: true, started: false, reason: 'app not allowed' });
		expect(warnings()).toEqual(['HighLevel Message Trigger (HighLevel Message Trigger): acknowledged and ignored an event: app not allowed (someone-else); check App IDs / Location IDs if this is yours']);
		const provider = { ...readExample('provider-outbound-1').json, messageId: randomUUID() };
		const other = await callWebhook(signedCall(keys, provider, { parameters: { options: { locationIds: 'not-theirs', maxEventAgeMinutes: 0 } }, workflowId: 'wf-log-3' }));
		expect(other.body).toMatchObject({ reason: 'location not allowed' });
		expect(warnings()[1]).toMatch(/^HighLevel Message Trigger \(HighLevel Message Trigger\): acknowledged and ignored an event: location not allowed \(\S+\); check App IDs/);
	});

	it('an event that is simply not wanted is not warned about', async () => {
		const answer = await callWebhook(signedCall(keys, { ...delivery({ timestamp: new Date(now).toISOString() }), type: 'OutboundMessage' }, { parameters: { appIds: MY_APP }, workflowId: 'wf-log-4' }));
		expect(answer.body).toEqual({ received: true, started: false, reason: 'event not selected' });
		expect(warnings()).toEqual([]);
	});
});

describe('refusals in the log', () => {
	it('a forged signature is a debug line (it is the sender\'s problem), a broken key credential a warning (the admin\'s)', async () => {
		const forged = signedCall(keys, delivery(), { parameters: { appIds: MY_APP } });
		await callWebhook({ ...forged, headers: { 'x-ghl-signature': 'N/A' } });
		expect(logged).toEqual([{ level: 'debug', message: 'HighLevel Message Trigger: The request has neither X-GHL-Signature nor X-WH-Signature.' }]);
		logged.length = 0;
		await callWebhook(signedCall(keys, delivery(), { parameters: { appIds: MY_APP }, credentials: { highLevelSignatureKeysApi: { ed25519PublicKey: 'garbage' } } }));
		expect(logged.map((entry) => entry.level)).toEqual(['warn']);
		expect(logged[0].message).toMatch(/^HighLevel Message Trigger: The HighLevel Signature Keys credential holds an unusable key: /);
	});
	it('a body that is not JSON: 400, with the parser\'s words in a debug line', async () => {
		const answer = await callWebhook({ body: '{oops', parameters: { authentication: 'none' } });
		expect(answer.status).toBe(400);
		expect(logged).toEqual([{ level: 'debug', message: expect.stringMatching(/^HighLevel Message Trigger: JSON\.parse: /) }]);
	});
	it('Location IDs that are not a list of ids: every event refused, and a warning says so', async () => {
		const answer = await callWebhook({ body: delivery(), parameters: { authentication: 'none', options: { locationIds: 42 } } });
		expect(answer.body).toMatchObject({ reason: 'location not allowed' });
		expect(warnings()).toContain('HighLevel Message Trigger: Location IDs is not a list of IDs, so no event is accepted until it is corrected');
	});
	it('an internal failure: 503 so that HighLevel retries, and an error line saying what failed', async () => {
		const answer = await callWebhook({ body: delivery(), parameters: { authentication: 'none' }, failParameter: 'routing' });
		expect([answer.status, answer.body]).toEqual([503, { error: 'unavailable', message: 'The message could not be accepted right now; retry later.' }]);
		expect(logged.filter((entry) => entry.level === 'error')).toEqual([{ level: 'error', message: 'HighLevel Message Trigger could not handle a request: Could not resolve parameter "routing"' }]);
	});
});
