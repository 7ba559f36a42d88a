// End-to-end, issue "without a marketplace app": a HighLevel workflow webhook
// with a header secret, and Download Attachments fetching real files from a
// local file host, in real n8n 2.x and 1.x.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createInstance, ensureN8n, removeInstance, repoRoot, sleep } from '../../scripts/lib/n8n.mjs';
import { waitForExecutions } from './wait.mjs';
import { CHANNELS, credentialRef, triggerWorkflow } from '../../scripts/lib/workflows.mjs';

const examplesDir = path.resolve(repoRoot, '..', 'shared', 'highlevel', 'examples');
const example = (name) => JSON.parse(readFileSync(path.join(examplesDir, `${name}.json`), 'utf8'));
const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);
const WORKFLOW_ID = 'hlE2eWorkflowWh1';
const WEBHOOK_ID = '5c1f1a4e-0b7e-4d2a-9a43-6c7f2f0e2e02';
// The same set-up with the default attachment settings: public hosts only.
const GUARDED_WORKFLOW_ID = 'hlE2eWorkflowWh2';
const GUARDED_WEBHOOK_ID = '5c1f1a4e-0b7e-4d2a-9a43-6c7f2f0e2e04';
const SECRET = 'example-e2e-header-secret-0123456789';
const RECORDING = Buffer.alloc(4096, 3);

let fileRequests = 0;
function fileHost() {
	const server = createServer((request, response) => {
		fileRequests++;
		if (request.url === '/recording.mp3') {
			response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': RECORDING.length });
			response.end(RECORDING);
		} else {
			response.writeHead(404);
			response.end();
		}
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

for (const line of lines) {
	describe(`workflow webhooks and attachments on n8n ${line}.x`, { concurrency: false }, () => {
		let instance;
		let url;
		let files;
		const post = (body, headers = {}) =>
			fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
		const executions = () => instance.executions(WORKFLOW_ID);
		const waitForCount = (count) => waitForExecutions(executions, count, { ready: (execution) => execution.outputs });

		before(async () => {
			files = await fileHost();
			instance = await createInstance(await ensureN8n(line));
			const credential = { id: 'hlE2eHeaderSec01', name: 'E2E header secret', type: 'highLevelHeaderSecretApi', data: { headerName: 'X-HighLevel-Secret', secret: SECRET } };
			await instance.importCredentials([credential]);
			await instance.importWorkflow(
				triggerWorkflow({
					id: WORKFLOW_ID,
					name: 'HighLevel e2e (workflow webhook)',
					webhookId: WEBHOOK_ID,
					// The test's file host is on loopback, as a self-hoster's own file server might be.
					parameters: { authentication: 'headerSecret', options: { downloadAttachments: true, attachmentAllowPrivateNetwork: true } },
					credentials: credentialRef(credential),
				}),
			);
			await instance.importWorkflow(
				triggerWorkflow({
					id: GUARDED_WORKFLOW_ID,
					name: 'HighLevel e2e (default attachment settings)',
					webhookId: GUARDED_WEBHOOK_ID,
					parameters: { authentication: 'headerSecret', options: { downloadAttachments: true } },
					credentials: credentialRef(credential),
				}),
			);
			await instance.start();
			url = `${instance.baseUrl}/webhook/${WEBHOOK_ID}/highlevel`;
			for (let attempt = 0; ; attempt++) {
				const response = await post({});
				if (response.status === 401) break; // registered: unauthenticated requests are refused
				if (attempt > 240) throw new Error(`webhook never registered: ${response.status}`);
				await sleep(500);
			}
		});

		after(async () => {
			if (instance) await removeInstance(instance);
			files?.close();
		});

		it('a workflow webhook with the right secret runs once, on its channel, with the contact', async () => {
			const answer = await post(example('workflow-webhook-customer-replied'), { 'x-highlevel-secret': SECRET });
			assert.equal(answer.status, 200);
			assert.deepEqual(await answer.json(), { received: true, started: true, channel: 'SMS' });
			const wrong = await post(example('workflow-webhook-tag-trigger'), { 'x-highlevel-secret': 'example-wrong' });
			assert.equal(wrong.status, 401);
			const list = await waitForCount(1);
			await sleep(800);
			assert.equal((await executions()).length, 1);
			const item = list[0].outputs[CHANNELS.indexOf('SMS')][0];
			assert.equal(item.event, 'WorkflowWebhook');
			assert.equal(item.messageType, '2');
			assert.equal(item.messageId, 'MESSAGE_ID');
			assert.deepEqual(item.contact, { id: 'CONTACT_ID', name: 'Jane Doe', email: null, phone: '+15551234567', tags: ['lead', 'replied'], timezone: null });
		});

		it('a tag-trigger webhook without a message goes to Other', async () => {
			const answer = await post(example('workflow-webhook-tag-trigger'), { 'x-highlevel-secret': SECRET });
			assert.deepEqual(await answer.json(), { received: true, started: true, channel: 'Other' });
			const list = await waitForCount(2);
			assert.equal(list[1].outputs[CHANNELS.indexOf('Other')][0].contact.email, 'jane.doe@example.com');
		});

		it('attachments are downloaded into binary data after the answer; a broken one is reported', async () => {
			const base = `http://127.0.0.1:${files.address().port}`;
			const body = {
				...example('workflow-webhook-customer-replied'),
				message: { type: 1, direction: 'inbound', status: 'completed', attachments: [`${base}/recording.mp3`, `${base}/gone.mp3`] },
				customData: { messageId: `call-${Date.now()}` },
			};
			const answer = await post(body, { 'x-highlevel-secret': SECRET });
			assert.deepEqual(await answer.json(), { received: true, started: true, channel: 'Call' });
			const list = await waitForCount(3);
			const newest = list[list.length - 1];
			const output = CHANNELS.indexOf('Call');
			const item = newest.outputs[output][0];
			assert.equal(item.call.recordingUrl, `${base}/recording.mp3`);
			assert.equal(item.attachmentDownloads[0].error, null);
			assert.equal(item.attachmentDownloads[0].bytes, RECORDING.length);
			assert.match(item.attachmentDownloads[1].error, /^HTTP 404/);
			const binary = newest.binaries[output][0];
			assert.deepEqual(Object.keys(binary), ['attachment_0']);
			assert.equal(binary.attachment_0.fileName, 'recording.mp3');
			assert.equal(binary.attachment_0.mimeType, 'audio/mpeg');
		});

		it('by default, attachment URLs pointing inside the network are refused, and the message still runs', async () => {
			const base = `http://127.0.0.1:${files.address().port}`;
			const urls = [`${base}/recording.mp3`, `http://localhost:${files.address().port}/recording.mp3`, 'http://169.254.169.254/latest/meta-data/', `http://2130706433:${files.address().port}/recording.mp3`];
			const before = fileRequests;
			const body = {
				...example('workflow-webhook-customer-replied'),
				message: { type: 1, direction: 'inbound', status: 'completed', attachments: urls },
				customData: { messageId: `ssrf-${Date.now()}` },
			};
			const guardedUrl = `${instance.baseUrl}/webhook/${GUARDED_WEBHOOK_ID}/highlevel`;
			let answer;
			for (let attempt = 0; attempt < 60; attempt++) {
				answer = await fetch(guardedUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-highlevel-secret': SECRET },
					body: JSON.stringify(body),
				});
				if (answer.status !== 404) break;
				await sleep(500);
			}
			assert.deepEqual(await answer.json(), { received: true, started: true, channel: 'Call' });
			const list = await waitForExecutions(() => instance.executions(GUARDED_WORKFLOW_ID), 1, { ready: (execution) => execution.outputs });
			const item = list[0].outputs[CHANNELS.indexOf('Call')][0];
			assert.equal(item.attachmentDownloads.length, urls.length);
			for (const download of item.attachmentDownloads) {
				assert.equal(download.binaryProperty, null);
				assert.match(download.error, /refused/);
			}
			assert.equal(fileRequests, before, 'the internal file host was never contacted');
		});
	});
}
