// The demo that `npm start` runs (and the editor end-to-end test drives): real
// n8n 2.x with this package installed the way users install it, and the demo
// workflow published (the trigger, each channel output wired to a visible node).
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { demoRoot } from './demo-state.mjs';
import { startHighLevelApi } from './highlevel-api.mjs';
import { createInstance, ensureN8n, freePort, ownerSession, sleep } from './n8n.mjs';
import { exampleLocations } from './samples.mjs';
import { autoReplyWorkflow, credentialRef, privateIntegrationTokenCredential, signatureKeysCredential, triggerWorkflow } from './workflows.mjs';

export const DEMO_WEBHOOK_ID = '0d3c0a5e-7e57-4c1a-9d3e-000000000001';
export const AUTO_REPLY_WEBHOOK_ID = '0d3c0a5e-7e57-4c1a-9d3e-000000000002';
/** Stands in for the id of the user's HighLevel Marketplace app. */
export const DEMO_APP_ID = '64d0e0000000000000000de0';

/**
 * Brings up n8n with the demo workflow published; returns what to print and
 * `stop()`. Writes the state file scripts/send-sample.mjs reads.
 */
export async function startDemo({ line = 2, port, root = demoRoot, onApiRequest } = {}) {
	const runtime = await ensureN8n(line);
	// HighLevel's API, stood in for on loopback by its own OpenAPI documents: the
	// auto-reply workflow's answers land here instead of at a real contact.
	const api = await startHighLevelApi({ onRequest: onApiRequest });
	await rm(root, { recursive: true, force: true });
	await mkdir(root, { recursive: true });
	const instance = await createInstance(runtime, { root });
	instance.port = port ?? (await portOr5678());
	instance.baseUrl = `http://127.0.0.1:${instance.port}`;

	// A demo signing key stands in for HighLevel's: the demo workflow trusts it
	// through the replacement-keys credential, exactly as a key rotation would.
	const keys = generateKeyPairSync('ed25519');
	const privateKeyFile = path.join(root, 'demo-signing-key.pem');
	await writeFile(privateKeyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
	const credential = signatureKeysCredential({
		id: 'hlDemoSignKeys01',
		name: 'HighLevel keys (demo signing key)',
		ed25519PublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
	});
	const token = privateIntegrationTokenCredential({
		id: 'hlDemoPitToken01',
		name: 'HighLevel token (demo stand-in)',
		token: 'pit-demo-token',
		locationId: exampleLocations()[0],
		baseUrl: api.url,
	});
	await instance.importCredentials([credential, token]);
	const autoReply = autoReplyWorkflow({
		id: 'hlDemoAutoReply1',
		name: 'HighLevel auto-reply (demo)',
		webhookId: AUTO_REPLY_WEBHOOK_ID,
		appId: DEMO_APP_ID,
		triggerCredentials: credentialRef(credential),
		apiCredential: token,
		replyOn: ['SMS', 'Email', 'WhatsApp', 'Facebook', 'Instagram', 'Live Chat'],
		triggerParameters: { options: { locationIds: exampleLocations().join(', ') } },
	});
	const workflow = triggerWorkflow({
		id: 'hlDemoWorkflow01',
		name: 'HighLevel messages by channel (demo)',
		webhookId: DEMO_WEBHOOK_ID,
		parameters: {
			appIds: DEMO_APP_ID,
			events: ['InboundMessage', 'OutboundMessage'],
			options: { locationIds: exampleLocations().join(', ') },
		},
		credentials: credentialRef(credential),
	});
	await instance.importWorkflow(workflow);
	await instance.importWorkflow(autoReply);
	console.error(`[start] starting n8n ${runtime.version} on port ${instance.port}`);
	await instance.start();
	const webhookUrl = `${instance.baseUrl}/webhook/${DEMO_WEBHOOK_ID}/highlevel`;
	const testUrl = `${instance.baseUrl}/webhook-test/${DEMO_WEBHOOK_ID}/highlevel`;
	const autoReplyUrl = `${instance.baseUrl}/webhook/${AUTO_REPLY_WEBHOOK_ID}/highlevel`;
	await waitUntilLive(webhookUrl);
	await waitUntilLive(autoReplyUrl);
	const { ownerCreated } = await ownerSession(instance.baseUrl);
	const editorUrl = `${instance.baseUrl}/workflow/${workflow.id}`;
	await writeFile(
		path.join(root, 'demo.json'),
		JSON.stringify(
			{ webhookUrl, testUrl, autoReplyUrl, privateKeyFile, editorUrl, appId: DEMO_APP_ID, userFolder: instance.userFolder, apiUrl: api.url },
			null,
			2,
		),
	);
	return {
		instance,
		runtime,
		workflow,
		autoReply,
		api,
		webhookUrl,
		testUrl,
		autoReplyUrl,
		privateKeyFile,
		ownerCreated,
		editorUrl,
		autoReplyEditorUrl: `${instance.baseUrl}/workflow/${autoReply.id}`,
		async stop() {
			await instance.stop();
			await api.stop();
			await rm(path.join(root, 'demo.json'), { force: true });
		},
	};
}

async function portOr5678() {
	try {
		await fetch('http://127.0.0.1:5678/');
		return freePort();
	} catch {
		return 5678;
	}
}

async function waitUntilLive(webhookUrl) {
	// Publishing can lag behind readiness; an unsigned probe gets 401 once the
	// webhook is registered (404 before).
	for (let attempt = 0; attempt < 240; attempt++) {
		const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		if (response.status !== 404) return;
		await sleep(500);
	}
	throw new Error('the demo webhook was never registered');
}
