/**
 * Acknowledge only what is safe (SPEC section 5). HighLevel stops retrying at
 * the first 2xx, so an accepted event's 200 comes from n8n once it has created
 * the execution (n8n 2.x does so when the node returns `webhookResponse` and
 * leaves the answer to it). The delivery counts as run only after that 2xx; if
 * n8n fails or the connection drops, HighLevel's retry runs. Test events in the
 * editor neither use nor fill the production duplicate memory.
 */
import { randomUUID } from 'crypto';

import { PENDING_TTL_MS } from '../nodes/HighLevel/trigger/ledger';
import { type Call, callWebhook, makeTestKeys, signedCall, type TestKeys } from './helpers/harness';
import { readExample } from './helpers/io.cjs';

const MY_APP = '6878cec452e7c8d29d4dd3d9';

let keys: TestKeys;
beforeAll(() => {
	keys = makeTestKeys();
});

let workflows = 0;
/** One HighLevel delivery (one webhookId) to one published workflow: send() posts a copy of it. */
function oneDelivery(extra: Partial<Call> = {}) {
	const body = { ...readExample('inbound-sms').json, appId: MY_APP, webhookId: randomUUID(), timestamp: new Date().toISOString() };
	const workflowId = `delivery-wf-${++workflows}`;
	return async (call: Partial<Call> = {}) =>
		await callWebhook(signedCall(keys, body, { workflowId, parameters: { appIds: MY_APP }, ...extra, ...call }));
}

const DUPLICATE = { received: true, started: false, reason: 'duplicate' };

describe('the 200 for an accepted event comes from n8n, after the execution exists', () => {
	it('webhook() leaves the answer to n8n: nothing is sent until n8n has created the execution', async () => {
		const send = oneDelivery();
		const answer = await send({ execution: 'held' });
		expect(answer.started).toBe(true);
		expect(answer.result.noWebhookResponse).toBeUndefined();
		expect(answer.result.webhookResponse).toEqual({ received: true, started: true, channel: 'SMS' });
		expect(answer.status).toBeUndefined();
		const sent = await answer.n8nAnswers?.('created');
		expect(sent).toEqual({ status: 200, body: { received: true, started: true, channel: 'SMS' } });
		expect(answer.answeredBy).toBe('n8n');
	});

	it('after n8n\'s 200, a resend of the same delivery (HighLevel\'s Resend, a retry) is a duplicate', async () => {
		const send = oneDelivery();
		const first = await send();
		expect([first.status, first.started, first.answeredBy]).toEqual([200, true, 'n8n']);
		const resend = await send();
		expect([resend.status, resend.started]).toEqual([200, false]);
		expect(resend.body).toEqual(DUPLICATE);
	});

	it('n8n could not create the execution (it answers 500): HighLevel\'s retry runs, once', async () => {
		const send = oneDelivery();
		const failed = await send({ execution: 'failed' });
		expect([failed.status, failed.started]).toEqual([500, true]);
		const retry = await send();
		expect([retry.status, retry.started]).toEqual([200, true]);
		expect((await send()).body).toEqual(DUPLICATE);
	});

	it('HighLevel stopped waiting, then n8n created the execution: the retry is a duplicate, not a second run', async () => {
		const send = oneDelivery();
		const late = await send({ execution: 'created-after-sender-left' });
		expect([late.status, late.started]).toEqual([undefined, true]);
		const retry = await send();
		expect([retry.status, retry.started]).toEqual([200, false]);
		expect(retry.body).toEqual(DUPLICATE);
	});

	it('the connection closed unanswered (n8n killed): the retry waits only while the claim could still be live', async () => {
		const send = oneDelivery();
		const start = Date.now();
		jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'hrtime', 'performance'] });
		try {
			const lost = await send({ execution: 'closed' });
			expect([lost.status, lost.started]).toEqual([undefined, true]);
			const early = await send();
			expect([early.status, early.started]).toEqual([409, false]);
			jest.setSystemTime(start + PENDING_TTL_MS);
			const retry = await send();
			expect([retry.status, retry.started]).toEqual([200, true]);
		} finally {
			jest.useRealTimers();
		}
	});
});

describe('a copy arriving while the first is being handed over', () => {
	it('gets 409 with Retry-After, so HighLevel retries it later; that retry is then a duplicate', async () => {
		const send = oneDelivery();
		const first = await send({ execution: 'held' });
		const copy = await send();
		expect([copy.status, copy.started]).toEqual([409, false]);
		expect(copy.headers['retry-after']).toMatch(/^[1-9]\d*$/);
		expect(typeof copy.body?.message).toBe('string');
		expect(copy.answeredBy).toBe('node');
		await first.n8nAnswers?.('created');
		expect((await send()).body).toEqual(DUPLICATE);
	});

	it('if the first then fails, the copy\'s retry runs', async () => {
		const send = oneDelivery();
		const first = await send({ execution: 'held' });
		expect((await send()).status).toBe(409);
		expect((await first.n8nAnswers?.('failed'))?.status).toBe(500);
		const retry = await send();
		expect([retry.status, retry.started]).toEqual([200, true]);
	});
});

describe('internal failures', () => {
	it('a failure after the claim answers 503 (HighLevel retries) and frees the delivery for that retry', async () => {
		const send = oneDelivery();
		const failed = await send({ failParameter: 'routing' });
		expect([failed.status, failed.started]).toEqual([503, false]);
		expect(JSON.stringify(failed.body)).not.toMatch(/routing|Could not resolve/);
		const retry = await send();
		expect([retry.status, retry.started]).toEqual([200, true]);
	});
});

describe('test events in the editor (Listen for test event)', () => {
	it('the same delivery sent twice while listening shows up twice', async () => {
		const send = oneDelivery({ mode: 'manual' });
		const first = await send();
		const again = await send();
		expect([first.status, first.started, again.status, again.started]).toEqual([200, true, 200, true]);
	});

	it('does not make the production URL treat that delivery as a duplicate', async () => {
		const send = oneDelivery();
		expect((await send({ mode: 'manual' })).started).toBe(true);
		expect((await send({ mode: 'manual' })).started).toBe(true);
		const production = await send({ mode: 'webhook' });
		expect([production.status, production.started]).toEqual([200, true]);
		expect((await send({ mode: 'webhook' })).body).toEqual(DUPLICATE);
		// And production's memory does not hide it from the editor either.
		expect((await send({ mode: 'manual' })).started).toBe(true);
	});

	it('a test event held by the editor does not block the production URL', async () => {
		const send = oneDelivery();
		const listening = await send({ mode: 'manual', execution: 'held' });
		expect(listening.started).toBe(true);
		const production = await send({ mode: 'webhook' });
		expect([production.status, production.started]).toEqual([200, true]);
		await listening.n8nAnswers?.('created');
	});
});
