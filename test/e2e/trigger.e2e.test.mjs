// End-to-end: the packed package installed into real n8n (2.40.7 on Node 24 and
// 1.123.81 on Node 20), HighLevel's examples POSTed over real HTTP to the
// production URL, and every claim checked in n8n's own execution records.
//
//   npm run test:e2e                 both n8n lines
//   E2E_N8N_LINES=2 npm run test:e2e one line
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { createInstance, ensureN8n, removeInstance, repoRoot, sleep } from '../../scripts/lib/n8n.mjs';
import expected from '../helpers/expected.cjs';
import { waitForExecutions } from './wait.mjs';
import { CHANNELS, credentialRef, signatureKeysCredential, triggerWorkflow } from '../../scripts/lib/workflows.mjs';

const examplesDir = process.env.HIGHLEVEL_SHARED_DIR
	? path.join(process.env.HIGHLEVEL_SHARED_DIR, 'highlevel', 'examples')
	: path.resolve(repoRoot, '..', 'shared', 'highlevel', 'examples');
const example = (name) => readFileSync(path.join(examplesDir, `${name}.json`));

// Every signed message example and the output it must arrive on.
const { SIGNED_MESSAGES: MESSAGES } = expected;

const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);
const WORKFLOW_ID = 'hlE2eSignedFlow1';
const WEBHOOK_ID = '5c1f1a4e-0b7e-4d2a-9a43-6c7f2f0e2e01';

for (const line of lines) {
	describe(`n8n ${line}.x`, { concurrency: false }, () => {
		let instance;
		let url;
		const keys = generateKeyPairSync('ed25519');
		const signed = (raw) => sign(null, raw, keys.privateKey).toString('base64');
		const post = (raw, headers = {}) =>
			fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
		const postSigned = (raw) => post(raw, { 'x-ghl-signature': signed(raw) });
		const executions = () => instance.executions(WORKFLOW_ID);

		const waitForCount = (count, timeoutMs = 60_000) =>
			waitForExecutions(executions, count, { timeoutMs, ready: (execution) => execution.finished || execution.status !== 'running' });

		/** A signed, unique message that must run: proves everything sent before it did not. */
		async function sentinel(tag) {
			const body = { ...JSON.parse(example('inbound-sms')), webhookId: `sentinel-${tag}-${Date.now()}` };
			const response = await postSigned(Buffer.from(JSON.stringify(body)));
			assert.equal(response.status, 200);
			return body.webhookId;
		}

		before(async () => {
			const runtime = await ensureN8n(line);
			instance = await createInstance(runtime);
			const credential = signatureKeysCredential({
				id: 'hlE2eTestKeys001',
				name: 'E2E test keys',
				ed25519PublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
			});
			await instance.importCredentials([credential]);
			await instance.importWorkflow(
				triggerWorkflow({
					id: WORKFLOW_ID,
					name: 'HighLevel e2e (signed)',
					webhookId: WEBHOOK_ID,
					parameters: { events: ['InboundMessage', 'OutboundMessage'] },
					credentials: credentialRef(credential),
				}),
			);
			await instance.start();
			url = `${instance.baseUrl}/webhook/${WEBHOOK_ID}/highlevel`;
			// Activation can lag behind readiness (n8n 1.x): a signed non-message
			// event answers 200 once the webhook is live and starts nothing.
			const probe = example('conversation-unread-update');
			const deadline = Date.now() + 120_000;
			for (;;) {
				const response = await postSigned(probe);
				if (response.status === 200) break;
				if (Date.now() > deadline) throw new Error(`webhook never registered: ${response.status} ${await response.text()}`);
				await sleep(500);
			}
		});

		after(async () => {
			if (instance) await removeInstance(instance);
		});

		it('loads the package from ~/.n8n/nodes (npm-installed tarball)', async () => {
			const installed = readdirSync(path.join(instance.userFolder, '.n8n', 'nodes', 'node_modules'));
			assert.ok(installed.includes('n8n-nodes-highlevel-messages'));
			assert.deepEqual(await executions(), [], 'the probe (a non-message event) started nothing');
		});

		it('each message example runs exactly once, on the right output, with the right fields', async () => {
			let count = (await executions()).length;
			for (const [name, channel] of Object.entries(MESSAGES)) {
				const raw = example(name);
				const response = await postSigned(raw);
				assert.equal(response.status, 200, name);
				assert.deepEqual(await response.json(), { received: true, started: true, channel });
				count += 1;
				const list = await waitForCount(count);
				assert.equal(list.length, count, `${name}: exactly one new execution`);
				const newest = list[list.length - 1];
				assert.equal(newest.status, 'success', name);
				assert.equal(newest.mode, 'webhook');
				const outputIndex = CHANNELS.indexOf(channel);
				assert.equal(newest.outputs.length, 10, 'ten outputs');
				newest.outputs.forEach((items, index) => assert.equal(items.length, index === outputIndex ? 1 : 0, `${name} output ${index}`));
				const item = newest.outputs[outputIndex][0];
				const body = JSON.parse(raw);
				assert.equal(item.channel, channel);
				assert.deepEqual(item.raw, body);
				assert.equal(item.locationId, body.locationId);
				assert.equal(item.contactId, body.contactId);
				assert.equal(item.messageId, body.messageId ?? null);
				if (channel === 'Email') assert.ok(item.email && item.text.length > 0 && !item.text.includes('<'));
				if (channel === 'Call' || channel === 'Voicemail') assert.ok(item.call);
			}
		});

		it('a forged request gets 401, a malformed one 400/422, a non-message 200: none runs', async () => {
			const before = (await executions()).length;
			const raw = example('inbound-sms');
			const forged = await post(raw, { 'x-ghl-signature': signed(Buffer.from('{"other":"bytes"}')) });
			assert.equal(forged.status, 401);
			assert.equal((await forged.json()).error, 'unauthorized');
			const unsigned = await post(raw);
			assert.equal(unsigned.status, 401);
			const tampered = await post(Buffer.from(raw.toString().replace('test message', 'evil')), { 'x-ghl-signature': signed(raw) });
			assert.equal(tampered.status, 401);

			const array = Buffer.from('[1,2,3]');
			const arrayAnswer = await post(array, { 'x-ghl-signature': signed(array) });
			assert.equal(arrayAnswer.status, 400);
			assert.match((await arrayAnswer.json()).message, /JSON object, got an array/);
			const text = Buffer.from('{"type":"InboundMessage"}');
			const textAnswer = await post(text, { 'content-type': 'text/plain', 'x-ghl-signature': signed(text) });
			assert.equal(textAnswer.status, 400);
			const empty = Buffer.alloc(0);
			const emptyAnswer = await post(empty, { 'x-ghl-signature': signed(empty) });
			assert.equal(emptyAnswer.status, 400);
			// Invalid JSON under application/json is refused by n8n's body parser
			// before any node runs (documented in the README).
			const broken = Buffer.from('{"type": "InboundMessage",');
			const brokenAnswer = await post(broken, { 'x-ghl-signature': signed(broken) });
			assert.equal(brokenAnswer.status, 422);

			for (const name of ['conversation-unread-update', 'real-envelope-opportunity-create']) {
				const answer = await postSigned(example(name));
				assert.equal(answer.status, 200);
				assert.deepEqual(await answer.json(), { received: true, started: false, reason: 'not a message event' });
			}

			const tag = await sentinel('negatives');
			const list = await waitForCount(before + 1);
			assert.equal(list.length, before + 1, 'only the sentinel ran');
			assert.equal(list[list.length - 1].outputs[0][0].webhookId, tag);
		});

		it('a duplicate delivery (same webhookId) gets 200 and no second execution', async () => {
			const before = (await executions()).length;
			const raw = Buffer.from(JSON.stringify({ ...JSON.parse(example('inbound-sms')), webhookId: `dup-${Date.now()}` }));
			const first = await postSigned(raw);
			const second = await postSigned(raw);
			assert.equal(first.status, 200);
			assert.equal(second.status, 200);
			assert.deepEqual(await second.json(), { received: true, started: false, reason: 'duplicate' });
			await sentinel('duplicate');
			const list = await waitForCount(before + 2);
			assert.equal(list.length, before + 2, 'the first delivery and the sentinel');
		});

		it('a gzip-encoded signed request verifies against the decompressed bytes', async () => {
			const before = (await executions()).length;
			const raw = Buffer.from(JSON.stringify({ ...JSON.parse(example('inbound-email-to-array')), webhookId: `gzip-${Date.now()}` }));
			const response = await post(gzipSync(raw), { 'content-encoding': 'gzip', 'x-ghl-signature': signed(raw) });
			assert.equal(response.status, 200);
			const list = await waitForCount(before + 1);
			assert.equal(list[list.length - 1].outputs[CHANNELS.indexOf('Email')][0].email.subject, 'Order Confirmed');
		});

		it('200 concurrent deliveries give exactly 200 executions: nothing lost, nothing doubled', async () => {
			const before = (await executions()).length;
			const base = JSON.parse(example('inbound-whatsapp-media-missing-attachments'));
			const ids = Array.from({ length: 200 }, (_, index) => `concurrent-${line}-${index}-${Date.now()}`);
			const answers = await Promise.all(
				ids.map((webhookId) => postSigned(Buffer.from(JSON.stringify({ ...base, webhookId })))),
			);
			assert.deepEqual([...new Set(answers.map((answer) => answer.status))], [200]);
			const list = await waitForCount(before + 200, 180_000);
			await sleep(1000);
			const final = await executions();
			assert.equal(final.length, before + 200);
			const seen = final.slice(before).map((execution) => execution.outputs?.[CHANNELS.indexOf('WhatsApp')]?.[0]?.webhookId);
			assert.deepEqual([...seen].sort(), [...ids].sort());
			assert.ok(list.slice(before).every((execution) => execution.status === 'success'));
		});
	});
}
