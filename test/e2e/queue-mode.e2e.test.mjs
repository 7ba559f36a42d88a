// Queue mode, the way n8n scales out: PostgreSQL and Redis (Debian packages,
// on loopback), n8n 2.x main + two `n8n webhook` processes + one `n8n worker`,
// the package installed as a user would. Run with `npm run test:e2e:queue`.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { deliverLikeHighLevel } from '../../scripts/lib/highlevel-sender.mjs';
import { sleep } from '../../scripts/lib/n8n.mjs';
import { startQueueMode } from '../../scripts/lib/queue-mode.mjs';
import { examplesDir, exampleLocations, freshDelivery, readExample } from '../../scripts/lib/samples.mjs';
import expected from '../helpers/expected.cjs';
import { waitForExecutions } from './wait.mjs';
import { CHANNELS, credentialRef, signatureKeysCredential, triggerWorkflow } from '../../scripts/lib/workflows.mjs';

const example = (name) => readFileSync(path.join(examplesDir, `${name}.json`));
const APP_ID = '698de27f462dc22d054c5cf5';
const fresh = (name, extra = {}) => Buffer.from(JSON.stringify({ ...freshDelivery(readExample(name), { appId: APP_ID }), ...extra }));
// Every signed message example and the output it must arrive on.
const { SIGNED_MESSAGES: MESSAGES } = expected;
const WORKFLOW_ID = 'hlE2eQueueFlow01';
const WEBHOOK_ID = '5c1f1a4e-0b7e-4d2a-9a43-6c7f2f0e2e03';

describe('queue mode: n8n 2.x main, two webhook processes, one worker', { concurrency: false }, () => {
	let cluster;
	let webhookUrls;
	const keys = generateKeyPairSync('ed25519');
	const signed = (raw) => sign(null, raw, keys.privateKey).toString('base64');
	const post = (url, raw) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ghl-signature': signed(raw) }, body: raw });
	const executions = () => cluster.executions(WORKFLOW_ID);

	const waitForCount = (count) =>
		waitForExecutions(executions, count, { context: () => `:\n${cluster.instance.output.join('').slice(-3000)}` });

	before(async () => {
		const credential = signatureKeysCredential({
			id: 'hlE2eQueueKeys01',
			name: 'E2E test keys',
			ed25519PublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		});
		cluster = await startQueueMode({
			credentials: [credential],
			workflows: [
				triggerWorkflow({
					id: WORKFLOW_ID,
					name: 'HighLevel e2e (queue mode)',
					webhookId: WEBHOOK_ID,
					parameters: {
						appIds: APP_ID,
						events: ['InboundMessage', 'OutboundMessage'],
						options: { locationIds: exampleLocations().join(', ') },
					},
					credentials: credentialRef(credential),
				}),
			],
		});
		webhookUrls = cluster.webhookBaseUrls.map((base) => `${base}/webhook/${WEBHOOK_ID}/highlevel`);
		const probe = example('conversation-unread-update');
		for (const url of webhookUrls) {
			for (let attempt = 0; ; attempt++) {
				const response = await post(url, probe);
				if (response.status === 200) break;
				if (attempt > 240) throw new Error(`webhook process never served ${url}: ${response.status}`);
				await sleep(500);
			}
		}
	});

	after(async () => {
		await cluster?.stop();
	});

	it('every message example, sent alternately to both webhook processes, runs exactly once on the right output', async () => {
		const names = Object.keys(MESSAGES);
		const bodies = new Map(names.map((name) => [name, fresh(name)]));
		for (const [index, name] of names.entries()) {
			const answer = await post(webhookUrls[index % 2], bodies.get(name));
			assert.equal(answer.status, 200, name);
			assert.deepEqual(await answer.json(), { received: true, started: true, channel: MESSAGES[name] });
		}
		const list = await waitForCount(names.length);
		await sleep(1500);
		const final = await executions();
		assert.equal(final.length, names.length, 'exactly one execution per message');
		for (const name of names) {
			const body = JSON.parse(bodies.get(name));
			const output = CHANNELS.indexOf(MESSAGES[name]);
			// Executions may finish out of order on the worker: find this one by its body.
			const match = final.find((candidate) => JSON.stringify(candidate.outputs[output]?.[0]?.raw) === JSON.stringify(body));
			assert.ok(match, `${name} arrived on ${MESSAGES[name]}`);
			assert.equal(match.status, 'success');
			assert.equal(match.outputs.flat().length, 1);
		}
		assert.ok(list.length >= names.length);
	});

	it('the same webhookId delivered to both webhook processes runs once', async () => {
		const before = (await executions()).length;
		const raw = fresh('inbound-sms', { webhookId: `cross-process-${Date.now()}` });
		const first = await post(webhookUrls[0], raw);
		const retry = await post(webhookUrls[1], raw);
		const again = await post(webhookUrls[0], raw);
		assert.deepEqual(await first.json(), { received: true, started: true, channel: 'SMS' });
		assert.deepEqual(await retry.json(), { received: true, started: false, reason: 'duplicate' });
		assert.deepEqual(await again.json(), { received: true, started: false, reason: 'duplicate' });
		// A different delivery still runs, on either process.
		const other = fresh('inbound-sms', { webhookId: `cross-process-other-${Date.now()}` });
		assert.equal((await (await post(webhookUrls[1], other)).json()).started, true);
		await waitForCount(before + 2);
		await sleep(1500);
		assert.equal((await executions()).length, before + 2);
	});

	it('fifty retried deliveries spread over both processes each run once', async () => {
		const before = (await executions()).length;
		const bodies = Array.from({ length: 50 }, (_, index) => fresh('inbound-whatsapp-media-missing-attachments', { webhookId: `spread-${index}-${Date.now()}` }));
		// First deliveries in parallel to process A, then every retry to process B.
		const firsts = await Promise.all(bodies.map((raw) => post(webhookUrls[0], raw).then((r) => r.json())));
		const retries = await Promise.all(bodies.map((raw) => post(webhookUrls[1], raw).then((r) => r.json())));
		assert.equal(firsts.filter((answer) => answer.started).length, 50);
		assert.equal(retries.filter((answer) => answer.started).length, 0, 'no retry ran again');
		await waitForCount(before + 50);
		await sleep(1500);
		assert.equal((await executions()).length, before + 50);
	});

	it('fifty deliveries, each sent to both webhook processes at the same instant, run once each', async () => {
		const before = (await executions()).length;
		const bodies = Array.from({ length: 50 }, (_, index) => fresh('inbound-sms', { webhookId: `same-instant-${index}-${Date.now()}` }));
		// Each copy is a HighLevel-like delivery: a 409 (the other copy is being
		// handled) is retried later and then acknowledged as a duplicate.
		const results = await Promise.all(
			bodies.flatMap((raw) => webhookUrls.map((url) => deliverLikeHighLevel(url, raw, { 'x-ghl-signature': signed(raw) }, { baseMs: 300 }))),
		);
		assert.deepEqual([...new Set(results.map((result) => result.status))], [200]);
		await waitForCount(before + 50);
		await sleep(2000);
		const runs = (await executions()).slice(before);
		assert.equal(runs.length, 50, 'one execution per delivery');
		const ids = runs.map((execution) => execution.outputs[CHANNELS.indexOf('SMS')][0].webhookId);
		assert.equal(new Set(ids).size, 50);
	});

	it('a captured delivery re-sent after both webhook processes restarted does not run again', async () => {
		const before = (await executions()).length;
		const raw = fresh('inbound-sms', { webhookId: `queue-restart-${Date.now()}` });
		assert.equal((await post(webhookUrls[0], raw)).status, 200);
		await waitForCount(before + 1);
		await cluster.restartWebhook(0, 'SIGTERM');
		await cluster.restartWebhook(1, 'SIGTERM');
		for (const url of webhookUrls) {
			const again = await post(url, raw);
			assert.equal(again.status, 200);
			assert.deepEqual(await again.json(), { received: true, started: false, reason: 'duplicate' });
		}
		await sleep(1500);
		assert.equal((await executions()).length, before + 1);
	});

	it('kill -9 of a webhook process in the middle of 100 deliveries from a HighLevel-like sender: none lost, none run more than twice', async () => {
		const before = (await executions()).length;
		const ids = Array.from({ length: 100 }, (_, index) => `queue-crash-${index}-${Date.now()}`);
		const lastAnswer = new Map();
		const sends = ids.map(async (webhookId, index) => {
			await sleep(index * 20);
			const raw = fresh('inbound-sms', { webhookId });
			return await deliverLikeHighLevel(webhookUrls[0], raw, { 'x-ghl-signature': signed(raw) }, {
				// A span of about two minutes: past the minute a dead process's claim lasts.
				retries: 16,
				baseMs: 500,
				maxMs: 10_000,
				onAttempt: (status, text) => lastAnswer.set(webhookId, text),
			});
		});
		await sleep(700);
		await cluster.restartWebhook(0, 'SIGKILL');
		const results = await Promise.all(sends);
		assert.deepEqual([...new Set(results.map((result) => result.status))], [200]);
		let runs;
		for (let attempt = 0; attempt < 240; attempt++) {
			runs = (await executions()).slice(before);
			if (runs.length >= ids.length) break;
			await sleep(500);
		}
		await sleep(2000);
		runs = (await executions()).slice(before);
		const counts = new Map(ids.map((id) => [id, 0]));
		for (const execution of runs) {
			const webhookId = execution.outputs[CHANNELS.indexOf('SMS')]?.[0]?.webhookId;
			if (counts.has(webhookId)) counts.set(webhookId, counts.get(webhookId) + 1);
		}
		const swallowed = ids.filter((id) => lastAnswer.get(id) === 'n8n is starting up. Please wait');
		const lost = ids.filter((id) => counts.get(id) === 0);
		assert.deepEqual(lost.filter((id) => !swallowed.includes(id)), [], 'no delivery the node acknowledged is without an execution');
		assert.equal([...counts.values()].filter((count) => count > 2).length, 0, 'none ran more than twice');
		const doubles = [...counts.values()].filter((count) => count === 2).length;
		console.error(`[e2e] queue mode kill -9: ${runs.length} executions for 100 deliveries, ${doubles} run twice, ${swallowed.length} answered by n8n's start-up page`);
	});
});
