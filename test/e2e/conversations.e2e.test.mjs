// End-to-end, receive → reply: in real n8n 2.x and 1.x with the packed package
// npm-installed, a signed HighLevel message reaches the trigger, the workflow
// answers with the HighLevel Conversations node (Reply on the same channel), and
// a local stand-in for HighLevel's API on loopback (Prism serving HighLevel's
// pinned OpenAPI documents, validating every request) receives exactly one reply
// with the right type, contact, text, bearer token and Version header.
//
// The stand-in also acts like HighLevel after a send: the reply comes back as an
// OutboundMessage webhook with source "api". A workflow listening to outbound
// messages must not answer its own answers (Ignore Messages Sent by Automations),
// and the trigger's Fill In From HighLevel API reads the contact, the recording
// and missing media from the stand-in.
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
	CHANNELS,
	privateIntegrationTokenCredential,
	signatureKeysCredential,
	triggerWorkflow,
} from '../../scripts/lib/workflows.mjs';
import { waitForExecutions } from './wait.mjs';

const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);
const APP_ID = '698de27f462dc22d054c5cf5';
const TOKEN = 'pit-example-e2e-token-0000';
const WORKFLOW_ID = 'hlE2eAutoReply01';
const WEBHOOK_ID = '5c1f1a4e-0b7e-4d2a-9a43-6c7f2f0e2e05';
// Auto-reply workflows that also listen to outbound messages: the option at its
// default (on), and switched off to show the loop it prevents.
const ECHO_SAFE = { id: 'hlE2eEchoSafe001', webhookId: '5c1f1a4e-0b7e-4d2a-9a43-6c7f2f0e2e06' };
const ECHO_LOOP = { id: 'hlE2eEchoLoop001', webhookId: '5c1f1a4e-0b7e-4d2a-9a43-6c7f2f0e2e07' };
const ENRICHED = { id: 'hlE2eEnriched001', webhookId: '5c1f1a4e-0b7e-4d2a-9a43-6c7f2f0e2e08' };
const settled = (run) => run.status !== 'running' && run.status !== 'new';

for (const line of lines) {
	describe(`receive and reply through HighLevel's API on n8n ${line}.x`, { concurrency: false }, () => {
		let api;
		let instance;
		let url;
		const keys = generateKeyPairSync('ed25519');
		const signature = (raw) => ({ 'x-ghl-signature': sign(null, raw, keys.privateKey).toString('base64') });
		const postTo = (target, body) => {
			const raw = Buffer.from(JSON.stringify(body));
			return fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...signature(raw) }, body: raw });
		};
		const post = (body) => postTo(url, body);
		const urlOf = (workflow) => `${instance.baseUrl}/webhook/${workflow.webhookId}/highlevel`;
		const executions = () => instance.executions(WORKFLOW_ID);

		// Answers a test scripts for a path, in order (HighLevel's own, where Prism has no such example).
		const scripted = new Map();
		before(async () => {
			api = await startHighLevelApi({ answer: (record) => scripted.get(record.path)?.shift() });
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
			const listening = { events: ['InboundMessage', 'OutboundMessage'], options: { locationIds: exampleLocations().join(', ') } };
			for (const [workflow, name, ignoreAutomated] of [[ECHO_SAFE, 'echo: option on', undefined], [ECHO_LOOP, 'echo: option off', false]]) {
				await instance.importWorkflow(
					autoReplyWorkflow({
						id: workflow.id,
						name: `HighLevel auto-reply, ${name} (e2e)`,
						webhookId: workflow.webhookId,
						appId: APP_ID,
						triggerCredentials: credentialRef(triggerKeys),
						apiCredential: token,
						triggerParameters: ignoreAutomated === undefined ? listening : { ...listening, ignoreAutomatedMessages: ignoreAutomated },
					}),
				);
			}
			await instance.importWorkflow(
				triggerWorkflow({
					id: ENRICHED.id,
					name: 'HighLevel trigger with Fill In From HighLevel API (e2e)',
					webhookId: ENRICHED.webhookId,
					parameters: { appIds: APP_ID, enrich: ['contact', 'missingMedia', 'recordings'], options: { locationIds: exampleLocations().join(', ') } },
					credentials: { ...credentialRef(triggerKeys), ...credentialRef(token) },
				}),
			);
			await instance.start();
			url = `${instance.baseUrl}/webhook/${WEBHOOK_ID}/highlevel`;
			for (const target of [url, urlOf(ECHO_SAFE), urlOf(ECHO_LOOP), urlOf(ENRICHED)]) {
				for (let attempt = 0; ; attempt++) {
					const probe = await postTo(target, freshDelivery(readExample('conversation-unread-update'), { appId: APP_ID }));
					if (probe.status === 200) break;
					if (attempt > 240) throw new Error(`webhook never registered: ${probe.status}`);
					await sleep(500);
				}
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

		/**
		 * Sends an inbound SMS to `workflow` while the stand-in delivers every reply
		 * back to it (at most `max` times), then runs `check`.
		 */
		const withEcho = async (workflow, max, check) => {
			await api.reset();
			const inbound = freshDelivery(readExample('inbound-sms'), { appId: APP_ID });
			api.setEcho({ url: urlOf(workflow), headers: signature, appId: APP_ID, locationId: inbound.locationId, max });
			try {
				assert.equal((await postTo(urlOf(workflow), inbound)).status, 200);
				await check();
			} finally {
				api.setEcho(null);
			}
		};

		it('the reply comes back from HighLevel as an outbound message sent by the API, and starts nothing: no echo loop', async () => {
			await withEcho(ECHO_SAFE, 5, async () => {
				await waitForExecutions(() => instance.executions(ECHO_SAFE.id), 1, { ready: settled });
				// The workflow's reply went out, and HighLevel (the stand-in) delivered it back.
				let echoes = await api.echoes();
				for (let attempt = 0; attempt < 60 && echoes.length === 0; attempt++) {
					await sleep(250);
					echoes = await api.echoes();
				}
				assert.deepEqual(echoes, [{ status: 200, answer: { received: true, started: false, reason: 'sent by automation' } }]);
				// Give a loop, if there were one, time to show itself.
				await sleep(3000);
				const runs = await instance.executions(ECHO_SAFE.id);
				assert.equal(runs.length, 1, 'only the inbound message ran');
				assert.equal(runs[0].outputs[CHANNELS.indexOf('SMS')][0].sentByHuman, true);
				const sends = (await api.requests()).filter((request) => request.method === 'POST' && request.path === '/conversations/messages');
				assert.equal(sends.length, 1, 'one reply, not a reply to the reply');
			});
		});

		it('with Ignore Messages Sent by Automations off, the same workflow answers its own answers (the loop the option stops)', async () => {
			// The stand-in stops echoing after 3, or this would never end.
			await withEcho(ECHO_LOOP, 3, async () => {
				const runs = await waitForExecutions(() => instance.executions(ECHO_LOOP.id), 4, { ready: settled });
				const echoed = runs.map((run) => run.outputs?.[CHANNELS.indexOf('SMS')]?.[0]).filter((item) => item?.source === 'api');
				assert.equal(echoed.length, 3, 'each echo started the workflow again');
				assert.ok(echoed.every((item) => item.sentByHuman === false && item.direction === 'outbound'));
			});
		});

		it('Fill In From HighLevel API: the contact and the voicemail recording, read from the API with the credential; the message runs', async () => {
			await api.reset();
			// From the credential's sub-account (a message of another one is not asked about).
			const voicemail = { ...freshDelivery(readExample('inbound-call-voicemail'), { appId: APP_ID }), locationId: readExample('inbound-sms').locationId };
			const answer = await postTo(urlOf(ENRICHED), voicemail);
			assert.equal(answer.status, 200);
			assert.deepEqual(await answer.json(), { received: true, started: true, channel: 'Voicemail' });
			const [run] = await waitForExecutions(() => instance.executions(ENRICHED.id), 1, { ready: settled });
			const output = CHANNELS.indexOf('Voicemail');
			const item = run.outputs[output][0];
			assert.deepEqual(item.enrichment, { contact: { ok: true, error: null }, recordings: { ok: true, error: null } });
			// Prism answers with the example contact of HighLevel's Contacts document.
			assert.equal(item.contact.name, 'rubika deo');
			assert.deepEqual(Object.keys(item.contact).sort(), ['email', 'id', 'name', 'phone', 'tags', 'timezone']);
			// Stored the way n8n stores binary data (2.x: its file store; 1.x: in the execution), with HighLevel's file name and audio type.
			const { recording } = run.binaries[output][0];
			assert.deepEqual({ fileName: recording.fileName, mimeType: recording.mimeType }, { fileName: 'audio.wav', mimeType: 'audio/x-wav' });
			assert.ok(recording.fileSize, JSON.stringify(recording));

			const calls = await api.requests();
			assert.deepEqual(calls.map((call) => call.path).sort(), [
				`/contacts/${voicemail.contactId}`,
				`/conversations/messages/${voicemail.messageId}/locations/${voicemail.locationId}/recording`,
			]);
			for (const call of calls) {
				assert.deepEqual(call.violations, [], `${call.path} is valid against HighLevel's document`);
				assert.equal(call.authorization, `Bearer ${TOKEN}`);
			}
		});

		it('Fill In From HighLevel API: a WhatsApp message that arrived empty is read again for its media', async () => {
			await api.reset();
			const before = (await instance.executions(ENRICHED.id)).length;
			const empty = { ...freshDelivery(readExample('inbound-whatsapp-media-missing-attachments'), { appId: APP_ID }), locationId: readExample('inbound-sms').locationId };
			// The first read finds the message still without its media; the second has it, as HighLevel does seconds later.
			const message = (attachments) => ({ status: 200, body: { message: { id: empty.messageId, messageType: 'TYPE_WHATSAPP', body: '', attachments, direction: 'inbound', locationId: empty.locationId, contactId: empty.contactId, conversationId: empty.conversationId, dateAdded: empty.dateAdded } } });
			const photo = 'https://storage.example.com/whatsapp/photo.jpg';
			scripted.set(`/conversations/messages/${empty.messageId}`, [message([]), message([photo])]);
			assert.equal((await postTo(urlOf(ENRICHED), empty)).status, 200);
			const runs = await waitForExecutions(() => instance.executions(ENRICHED.id), before + 1, { ready: settled });
			const item = runs.at(-1).outputs[CHANNELS.indexOf('WhatsApp')][0];
			const reads = (await api.requests()).filter((call) => call.path === `/conversations/messages/${empty.messageId}`);
			assert.equal(reads.length, 2, JSON.stringify({ reads: reads.map((read) => [read.valid, read.status, read.response]), item: item.enrichment }));
			for (const read of reads) assert.deepEqual(read.violations, [], 'valid against HighLevel\'s document');
			assert.deepEqual(item.attachments, [photo]);
			assert.deepEqual(item.enrichment, { contact: { ok: true, error: null }, missingMedia: { ok: true, error: null } });
			assert.equal(item.raw.attachments, undefined, 'what HighLevel sent stays in raw as it was');
		});
	});
}
