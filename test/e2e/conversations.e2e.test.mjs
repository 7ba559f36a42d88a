// End-to-end, receive → reply: in real n8n 2.x and 1.x with the packed package
// npm-installed, a signed HighLevel message reaches the trigger, the workflow
// answers with the HighLevel Conversations node (Reply on the same channel), and
// a local stand-in for HighLevel's API on loopback (Prism serving HighLevel's
// pinned OpenAPI documents, validating every request) receives exactly one reply
// with the right type, contact, text, bearer token and Version header.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { startHighLevelApi } from '../../scripts/lib/highlevel-api.mjs';
import { createInstance, ensureN8n, removeInstance, sleep } from '../../scripts/lib/n8n.mjs';
import { exampleLocations, freshDelivery, readExample } from '../../scripts/lib/samples.mjs';
import {
	AUTO_REPLY_PREFIX,
	autoReplyWorkflow,
	credentialRef,
	privateIntegrationTokenCredential,
	signatureKeysCredential,
} from '../../scripts/lib/workflows.mjs';
import { waitForExecutions } from './wait.mjs';

const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);
const APP_ID = '698de27f462dc22d054c5cf5';
const TOKEN = 'pit-example-e2e-token-0000';
const WORKFLOW_ID = 'hlE2eAutoReply01';
const WEBHOOK_ID = '5c1f1a4e-0b7e-4d2a-9a43-6c7f2f0e2e05';

for (const line of lines) {
	describe(`receive and reply through HighLevel's API on n8n ${line}.x`, { concurrency: false }, () => {
		let api;
		let instance;
		let url;
		const keys = generateKeyPairSync('ed25519');
		const post = (body) => {
			const raw = Buffer.from(JSON.stringify(body));
			return fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-ghl-signature': sign(null, raw, keys.privateKey).toString('base64') },
				body: raw,
			});
		};
		const executions = () => instance.executions(WORKFLOW_ID);

		before(async () => {
			api = await startHighLevelApi();
			instance = await createInstance(await ensureN8n(line));
			const triggerKeys = signatureKeysCredential({
				id: 'hlE2eReplyKeys01',
				name: 'E2E test keys',
				ed25519PublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
			});
			const token = privateIntegrationTokenCredential({
				id: 'hlE2ePitToken001',
				name: 'HighLevel stand-in token',
				token: TOKEN,
				locationId: readExample('inbound-sms').locationId,
				baseUrl: api.url,
			});
			await instance.importCredentials([triggerKeys, token]);
			await instance.importWorkflow(
				autoReplyWorkflow({
					id: WORKFLOW_ID,
					name: 'HighLevel auto-reply (e2e)',
					webhookId: WEBHOOK_ID,
					appId: APP_ID,
					triggerCredentials: credentialRef(triggerKeys),
					apiCredential: token,
					replyOn: ['SMS', 'Email', 'Call'],
					triggerParameters: { options: { locationIds: exampleLocations().join(', ') } },
				}),
			);
			await instance.start();
			url = `${instance.baseUrl}/webhook/${WEBHOOK_ID}/highlevel`;
			for (let attempt = 0; ; attempt++) {
				const probe = await post(freshDelivery(readExample('conversation-unread-update'), { appId: APP_ID }));
				if (probe.status === 200) break;
				if (attempt > 240) throw new Error(`webhook never registered: ${probe.status}`);
				await sleep(500);
			}
			await api.reset();
		});

		after(async () => {
			if (instance) await removeInstance(instance);
			await api?.stop();
		});

		it('an inbound SMS gets exactly one SMS reply to the same contact, valid against the OpenAPI document', async () => {
			const body = freshDelivery(readExample('inbound-sms'), { appId: APP_ID });
			const answer = await post(body);
			assert.equal(answer.status, 200);
			assert.deepEqual(await answer.json(), { received: true, started: true, channel: 'SMS' });
			const [execution] = await waitForExecutions(executions, 1, { ready: (run) => run.status !== 'running' && run.status !== 'new' });
			assert.equal(execution.status, 'success');

			const sends = (await api.requests()).filter((request) => request.method === 'POST' && request.path === '/conversations/messages');
			assert.equal(sends.length, 1, 'exactly one reply');
			const [reply] = sends;
			assert.deepEqual(reply.violations, [], 'Prism found the request valid');
			assert.ok(reply.valid, `stand-in answered ${reply.status}`);
			assert.equal(reply.authorization, `Bearer ${TOKEN}`);
			assert.equal(reply.version, '2021-04-15');
			assert.equal(reply.body.type, 'SMS');
			assert.equal(reply.body.contactId, body.contactId);
			assert.equal(reply.body.message, `${AUTO_REPLY_PREFIX}${body.body}`);
		});

		it('an email is answered as an email reply in the same thread; a call is refused by the node, not sent', async () => {
			await api.reset();
			const email = freshDelivery(readExample('inbound-email-to-array'), { appId: APP_ID });
			assert.equal((await post(email)).status, 200);
			const call = freshDelivery(readExample('inbound-call-answered'), { appId: APP_ID });
			assert.equal((await post(call)).status, 200);
			const list = await waitForExecutions(executions, 3, { ready: (run) => run.status !== 'running' && run.status !== 'new' });
			const statuses = list.slice(1).map((run) => run.status).sort();
			assert.deepEqual(statuses, ['error', 'success'], 'the email reply succeeded, the call reply was refused with an error');

			const sends = (await api.requests()).filter((request) => request.method === 'POST' && request.path === '/conversations/messages');
			assert.equal(sends.length, 1, 'only the email was answered');
			const [reply] = sends;
			assert.deepEqual(reply.violations, []);
			assert.equal(reply.body.type, 'Email');
			assert.equal(reply.body.contactId, email.contactId);
			assert.equal(reply.body.subject, `Re: ${email.subject}`);
			assert.equal(reply.body.threadId, email.threadId);
			assert.ok(reply.body.html.includes(AUTO_REPLY_PREFIX));
		});
	});
}
