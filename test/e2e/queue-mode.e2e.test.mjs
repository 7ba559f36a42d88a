// Queue mode, the way n8n scales out: PostgreSQL and Redis (Debian packages,
// on loopback), n8n 2.x main + two `n8n webhook` processes + one `n8n worker`,
// the package installed as a user would. Run with `npm run test:e2e:queue`.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { repoRoot, sleep } from '../../scripts/lib/n8n.mjs';
import { startQueueMode } from '../../scripts/lib/queue-mode.mjs';
import expected from '../helpers/expected.cjs';
import { waitForExecutions } from './wait.mjs';
import { CHANNELS, credentialRef, signatureKeysCredential, triggerWorkflow } from '../../scripts/lib/workflows.mjs';

const examplesDir = path.resolve(repoRoot, '..', 'shared', 'highlevel', 'examples');
const example = (name) => readFileSync(path.join(examplesDir, `${name}.json`));
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
					parameters: { events: ['InboundMessage', 'OutboundMessage'] },
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
		for (const [index, name] of names.entries()) {
			const answer = await post(webhookUrls[index % 2], example(name));
			assert.equal(answer.status, 200, name);
			assert.deepEqual(await answer.json(), { received: true, started: true, channel: MESSAGES[name] });
		}
		const list = await waitForCount(names.length);
		await sleep(1500);
		const final = await executions();
		assert.equal(final.length, names.length, 'exactly one execution per message');
		for (const name of names) {
			const body = JSON.parse(example(name));
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
		const raw = Buffer.from(JSON.stringify({ ...JSON.parse(example('inbound-sms')), webhookId: `cross-process-${Date.now()}` }));
		const first = await post(webhookUrls[0], raw);
		const retry = await post(webhookUrls[1], raw);
		const again = await post(webhookUrls[0], raw);
		assert.deepEqual(await first.json(), { received: true, started: true, channel: 'SMS' });
		assert.deepEqual(await retry.json(), { received: true, started: false, reason: 'duplicate' });
		assert.deepEqual(await again.json(), { received: true, started: false, reason: 'duplicate' });
		// A different delivery still runs, on either process.
		const other = Buffer.from(JSON.stringify({ ...JSON.parse(example('inbound-sms')), webhookId: `cross-process-other-${Date.now()}` }));
		assert.equal((await (await post(webhookUrls[1], other)).json()).started, true);
		await waitForCount(before + 2);
		await sleep(1500);
		assert.equal((await executions()).length, before + 2);
	});

	it('fifty retried deliveries spread over both processes each run once', async () => {
		const before = (await executions()).length;
		const base = JSON.parse(example('inbound-whatsapp-media-missing-attachments'));
		const bodies = Array.from({ length: 50 }, (_, index) => Buffer.from(JSON.stringify({ ...base, webhookId: `spread-${index}-${Date.now()}` })));
		// First deliveries in parallel to process A, then every retry to process B.
		const firsts = await Promise.all(bodies.map((raw) => post(webhookUrls[0], raw).then((r) => r.json())));
		const retries = await Promise.all(bodies.map((raw) => post(webhookUrls[1], raw).then((r) => r.json())));
		assert.equal(firsts.filter((answer) => answer.started).length, 50);
		assert.equal(retries.filter((answer) => answer.started).length, 0, 'no retry ran again');
		await waitForCount(before + 50);
		await sleep(1500);
		assert.equal((await executions()).length, before + 50);
	});
});
