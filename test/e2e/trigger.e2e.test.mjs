// End-to-end: the packed package installed into real n8n (2.40.7 on Node 24 and
// 1.123.81 on Node 20), HighLevel's examples POSTed over real HTTP to the
// production URL as new deliveries of the user's app, and every claim checked in
// n8n's own execution records; then replays, another account's events, a restart
// and a kill -9 in the middle of a burst.
//
//   npm run test:e2e                 both n8n lines
//   E2E_N8N_LINES=2 npm run test:e2e one line
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { deliverLikeHighLevel } from '../../scripts/lib/highlevel-sender.mjs';
import { createInstance, ensureN8n, removeInstance, sleep } from '../../scripts/lib/n8n.mjs';
import { examplesDir, exampleLocations, freshDelivery, readExample } from '../../scripts/lib/samples.mjs';
import expected from '../helpers/expected.cjs';
import { waitForExecutions } from './wait.mjs';
import { CHANNELS, credentialRef, signatureKeysCredential, triggerWorkflow } from '../../scripts/lib/workflows.mjs';

const example = (name) => readFileSync(path.join(examplesDir, `${name}.json`));
/** The test user's HighLevel app; another account's app signs with the same key. */
const APP_ID = '698de27f462dc22d054c5cf5';
const OTHER_APP_ID = '6878cec452e7c8d29d4dd3d9';
const fresh = (name, extra = {}) => Buffer.from(JSON.stringify({ ...freshDelivery(readExample(name), { appId: APP_ID }), ...extra }));

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
			const webhookId = `sentinel-${tag}-${Date.now()}`;
			const response = await postSigned(fresh('inbound-sms', { webhookId }));
			assert.equal(response.status, 200);
			return webhookId;
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
					parameters: {
						appIds: APP_ID,
						events: ['InboundMessage', 'OutboundMessage'],
						options: { locationIds: exampleLocations().join(', ') },
					},
					credentials: credentialRef(credential),
				}),
			);
			await instance.start();
			url = `${instance.baseUrl}/webhook/${WEBHOOK_ID}/highlevel`;
			await waitUntilLive();
		});

		/**
		 * Activation can lag behind readiness (n8n 1.x): a signed non-message event
		 * answers 200 once the webhook is live, and starts nothing.
		 */
		async function waitUntilLive() {
			const probe = example('conversation-unread-update');
			const deadline = Date.now() + 120_000;
			for (;;) {
				const response = await postSigned(probe);
				if (response.status === 200) return;
				if (Date.now() > deadline) throw new Error(`webhook never registered: ${response.status} ${await response.text()}`);
				await sleep(500);
			}
		}

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
				const raw = fresh(name);
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
			const raw = fresh('inbound-sms', { webhookId: `dup-${Date.now()}` });
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
			const raw = fresh('inbound-email-to-array', { webhookId: `gzip-${Date.now()}` });
			const response = await post(gzipSync(raw), { 'content-encoding': 'gzip', 'x-ghl-signature': signed(raw) });
			assert.equal(response.status, 200);
			const list = await waitForCount(before + 1);
			assert.equal(list[list.length - 1].outputs[CHANNELS.indexOf('Email')][0].email.subject, 'Order Confirmed');
		});

		it('200 concurrent deliveries give exactly 200 executions: nothing lost, nothing doubled', async () => {
			const before = (await executions()).length;
			const ids = Array.from({ length: 200 }, (_, index) => `concurrent-${line}-${index}-${Date.now()}`);
			const answers = await Promise.all(ids.map((webhookId) => postSigned(fresh('inbound-whatsapp-media-missing-attachments', { webhookId }))));
			assert.deepEqual([...new Set(answers.map((answer) => answer.status))], [200]);
			const list = await waitForCount(before + 200, 180_000);
			await sleep(1000);
			const final = await executions();
			assert.equal(final.length, before + 200);
			const seen = final.slice(before).map((execution) => execution.outputs?.[CHANNELS.indexOf('WhatsApp')]?.[0]?.webhookId);
			assert.deepEqual([...seen].sort(), [...ids].sort());
			assert.ok(list.slice(before).every((execution) => execution.status === 'success'));
		});

		it("another HighLevel account's signed events, stale replays and unbound deliveries are acknowledged and do not run", async () => {
			const before = (await executions()).length;
			// The attack: a genuine, correctly signed delivery of the attacker's own app.
			const otherApp = await postSigned(Buffer.from(JSON.stringify(freshDelivery(readExample('inbound-sms'), { appId: OTHER_APP_ID }))));
			assert.equal(otherApp.status, 200);
			assert.deepEqual(await otherApp.json(), { received: true, started: false, reason: 'app not allowed' });
			const stale = await postSigned(fresh('inbound-sms', { timestamp: new Date(Date.now() - 25 * 3600_000).toISOString() }));
			assert.deepEqual(await stale.json(), { received: true, started: false, reason: 'event too old' });
			const provider = readExample('provider-outbound-1');
			const strangerLocation = Buffer.from(JSON.stringify({ ...freshDelivery(provider), locationId: 'someone-elses-location' }));
			const unbound = await postSigned(strangerLocation);
			assert.deepEqual(await unbound.json(), { received: true, started: false, reason: 'location not allowed' });
			await sentinel('unbound');
			const list = await waitForCount(before + 1);
			assert.equal(list.length, before + 1, 'only the sentinel ran');
		});

		it('a captured delivery re-sent after an n8n restart does not run again', async () => {
			const before = (await executions()).length;
			const raw = fresh('inbound-sms', { webhookId: `restart-${line}-${Date.now()}` });
			assert.equal((await postSigned(raw)).status, 200);
			await waitForCount(before + 1);
			await instance.stop();
			await instance.start();
			await waitUntilLive();
			const again = await postSigned(raw);
			assert.equal(again.status, 200);
			assert.deepEqual(await again.json(), { received: true, started: false, reason: 'duplicate' });
			await sentinel('restart');
			const list = await waitForCount(before + 2);
			assert.equal(list.length, before + 2, 'the delivery and the sentinel, not the replay');
		});

		const onlyDeferred = line === 1 ? 'n8n 1.x answers before it creates the execution: see the README\'s delivery guarantees' : false;
		it('kill -9 in the middle of 200 deliveries from a HighLevel-like sender: none lost, none run more than twice', { skip: onlyDeferred }, async () => {
			const before = await executions();
			const ids = Array.from({ length: 200 }, (_, index) => `crash-${line}-${index}-${Date.now()}`);
			const lastAnswer = new Map();
			const sends = ids.map(async (webhookId, index) => {
				await sleep(index * 15);
				const raw = fresh('inbound-sms', { webhookId });
				return await deliverLikeHighLevel(url, raw, { 'x-ghl-signature': signed(raw) }, {
					retries: 14,
					baseMs: 500,
					maxMs: 8000,
					onAttempt: (status, text) => lastAnswer.set(webhookId, text),
				});
			});
			// Kill n8n a third of the way in, without letting it shut down; start it again.
			await sleep(1000);
			await instance.kill('SIGKILL');
			await instance.start();
			const results = await Promise.all(sends);
			assert.deepEqual([...new Set(results.map((result) => result.status))], [200], 'every delivery was acknowledged in the end');
			// n8n has created every execution it acknowledged; let it finish running them.
			const settled = (execution) => !['new', 'running'].includes(execution.status);
			for (let attempt = 0; attempt < 600 && !(await executions()).every(settled); attempt++) await sleep(500);
			const after = (await executions()).slice(before.length);
			const runs = new Map(ids.map((id) => [id, []]));
			for (const execution of after) {
				const webhookId = execution.outputs?.[CHANNELS.indexOf('SMS')]?.[0]?.webhookId;
				if (runs.has(webhookId)) runs.get(webhookId).push(execution.status);
			}
			// n8n itself answers every request "200 n8n is starting up. Please wait"
			// between opening its database and finishing its start (README: delivery
			// guarantees); a retry landing there never reaches the node.
			const swallowed = ids.filter((id) => lastAnswer.get(id) === 'n8n is starting up. Please wait');
			const lost = ids.filter((id) => runs.get(id).length === 0);
			assert.deepEqual(lost.filter((id) => !swallowed.includes(id)), [], 'no delivery the node acknowledged is without an execution');
			const counts = [...runs.values()].map((statuses) => statuses.length);
			assert.equal(counts.filter((count) => count > 2).length, 0, 'no delivery ran more than twice');
			const doubles = [...runs.values()].filter((statuses) => statuses.length === 2);
			const crashed = after.filter((execution) => execution.status === 'crashed').length;
			console.error(
				`[e2e] kill -9: ${after.length} executions for 200 deliveries (${crashed} crashed, their input kept), ${doubles.length} run twice, ${swallowed.length} answered by n8n's start-up page (${lost.length} of those without an execution)`,
			);
			for (const statuses of doubles) assert.ok(statuses.includes('success'), JSON.stringify(statuses));
		});
	});
}
