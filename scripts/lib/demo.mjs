// npm start: real n8n 2.x with this package installed the way users install it,
// a demo workflow live (the trigger, each channel output wired to a visible
// node), and a ready-to-paste command that sends a signed sample message.
// Ctrl-C stops n8n cleanly.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

import { createInstance, ensureN8n, freePort, sleep } from './lib/n8n.mjs';
import { credentialRef, signatureKeysCredential, triggerWorkflow } from './lib/workflows.mjs';

export const DEMO_WEBHOOK_ID = '0d3c0a5e-7e57-4c1a-9d3e-000000000001';
export const DEMO_OWNER = { email: 'demo@example.com', password: 'Demo-Password-1', firstName: 'Demo', lastName: 'Owner' };
const cache = process.env.HL_N8N_CACHE ?? path.join(homedir(), '.cache', 'n8n-nodes-highlevel-messages');
export const demoRoot = path.join(cache, 'demo');
export const demoStateFile = path.join(demoRoot, 'demo.json');

/**
 * Brings up n8n with the demo workflow published and returns what to print.
 * Used by `npm start` and by the editor end-to-end test.
 */
export async function startDemo({ line = 2, port, root = demoRoot } = {}) {
	const runtime = await ensureN8n(line);
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
	await instance.importCredentials([credential]);
	const workflow = triggerWorkflow({
		id: 'hlDemoWorkflow01',
		name: 'HighLevel messages by channel (demo)',
		webhookId: DEMO_WEBHOOK_ID,
		parameters: { events: ['InboundMessage', 'OutboundMessage'] },
		credentials: credentialRef(credential),
	});
	await instance.importWorkflow(workflow);
	await instance.start();
	const webhookUrl = `${instance.baseUrl}/webhook/${DEMO_WEBHOOK_ID}/highlevel`;
	await writeFile(
		path.join(root, 'demo.json'),
		JSON.stringify({ webhookUrl, privateKeyFile, editorUrl: instance.baseUrl, userFolder: instance.userFolder }, null, 2),
	);
	await waitUntilLive(webhookUrl);
	const ownerCreated = await setUpOwner(instance.baseUrl);
	return { instance, runtime, workflow, webhookUrl, privateKeyFile, ownerCreated, editorUrl: `${instance.baseUrl}/workflow/${workflow.id}` };
}

async function main() {
	const demo = await startDemo({ line: Number(process.env.N8N_LINE ?? 2), port: Number(process.env.N8N_PORT) || undefined });
	const stop = async (signal) => {
		console.log(`\n${signal}: stopping n8n ...`);
		await demo.instance.stop();
		console.log('n8n stopped.');
		process.exit(0);
	};
	process.once('SIGINT', () => void stop('SIGINT'));
	process.once('SIGTERM', () => void stop('SIGTERM'));

	console.log(`
HighLevel Message Trigger demo is live on n8n ${demo.runtime.version}.

  Editor:          ${demo.editorUrl}
                   ${demo.ownerCreated ? `log in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}` : 'owner account already set up'}
  Production URL:  ${demo.webhookUrl}

Send a signed sample message (in another terminal, from this folder):

  node scripts/send-sample.mjs inbound-sms
  node scripts/send-sample.mjs inbound-email-to-array     # any name in ../shared/highlevel/examples

Then open the workflow's Executions tab. Ctrl-C stops n8n.
`);
	await new Promise(() => undefined);
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
	// Publishing can lag behind readiness; a signed-less probe gets 401 once the
	// webhook is registered (404 before).
	for (let attempt = 0; attempt < 240; attempt++) {
		const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		if (response.status !== 404) return;
		await sleep(500);
	}
	throw new Error('the demo webhook was never registered');
}

async function setUpOwner(baseUrl) {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(DEMO_OWNER),
	});
	return response.ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
