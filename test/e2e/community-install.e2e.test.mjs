// End-to-end: the package installed the way most users install it, through n8n's
// own Settings > Community Nodes > Install (the owner's POST /rest/community-packages,
// which runs `npm pack` against n8n's registry), from a real npm registry on
// loopback that holds the packed tarball; then updated to a newer version through
// the same path (PATCH), with an existing published workflow still working.
//
// n8n 2.x treats a registry other than registry.npmjs.org as a licensed feature
// (feat:communityNodes:customRegistry). The test turns that one flag on with n8n's
// own end-to-end test switch (E2E_TESTS=true, PATCH /rest/e2e/feature); the
// install and update code that runs is the same as for registry.npmjs.org.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createInstance, ensureN8n, ownerSession, packPackage, PACKAGE_NAME, removeInstance, repoRoot, sleep } from '../../scripts/lib/n8n.mjs';
import { repackWithVersion, startRegistry } from '../../scripts/lib/registry.mjs';
import { postSigned } from '../../scripts/lib/send.mjs';
import { CHANNELS, credentialRef, signatureKeysCredential, triggerWorkflow } from '../../scripts/lib/workflows.mjs';
import { freshDelivery, readExample } from '../../scripts/lib/samples.mjs';
import { waitForExecutions } from './wait.mjs';

const WEBHOOK_ID = '7e1d1c2b-4c0f-4f4e-8d7a-000000c0ffee';
const APP_ID = '698de27f462dc22d054c5cf5';

describe('Community Nodes install and update from a registry (n8n 2.x)', { concurrency: false }, () => {
	let registry;
	let instance;
	let session;
	let update;
	let workflowId;
	const version = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
	const [major, minor, patch] = version.split('.').map(Number);
	const newer = `${major}.${minor}.${patch + 1}`;
	const keys = generateKeyPairSync('ed25519');
	const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' });
	const url = () => `${instance.baseUrl}/webhook/${WEBHOOK_ID}/highlevel`;
	const executions = () => instance.executions(workflowId);

	before(async () => {
		const runtime = await ensureN8n(2);
		registry = await startRegistry();
		const tarball = await packPackage();
		await registry.publish(tarball);
		update = await repackWithVersion(tarball, newer);
		instance = await createInstance(runtime, {
			install: false,
			env: { N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url, E2E_TESTS: 'true' },
		});
		await instance.start();
		session = await ownerSession(instance.baseUrl);
		const flag = await session.request('PATCH', '/e2e/feature', { feature: 'feat:communityNodes:customRegistry', enabled: true });
		assert.equal(flag.status, 200, flag.text);
	});

	after(async () => {
		if (instance) await removeInstance(instance);
		await registry?.stop();
		await update?.cleanup();
	});

	it('installs from the registry through Settings > Community Nodes', async () => {
		const installed = await session.request('POST', '/community-packages', { name: PACKAGE_NAME });
		assert.equal(installed.status, 200, installed.text);
		const data = installed.json.data;
		assert.equal(data.packageName, PACKAGE_NAME);
		assert.equal(data.installedVersion, version);
		const nodeNames = data.installedNodes.map((node) => node.type);
		assert.ok(nodeNames.includes(`${PACKAGE_NAME}.highLevelMessageTrigger`), JSON.stringify(nodeNames));
	});

	it('a workflow built with the installed node runs on a signed message', async () => {
		const credential = await session.request('POST', '/credentials', {
			name: 'HighLevel keys (community install test)',
			type: 'highLevelSignatureKeysApi',
			data: signatureKeysCredential({ id: 'x', name: 'x', ed25519PublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() }).data,
		});
		assert.equal(credential.status, 200, credential.text);
		const { id: credentialId, name: credentialName } = credential.json.data;
		const workflow = triggerWorkflow({
			id: 'unused0000000001',
			name: 'HighLevel (community install)',
			webhookId: WEBHOOK_ID,
			parameters: { appIds: APP_ID, events: ['InboundMessage'] },
			credentials: credentialRef({ type: 'highLevelSignatureKeysApi', id: credentialId, name: credentialName }),
		});
		const { id: _ignored, active: _active, pinData: _pin, ...body } = workflow;
		const created = await session.request('POST', '/workflows', body);
		assert.equal(created.status, 200, created.text);
		workflowId = created.json.data.id;
		const activated = await session.request('POST', `/workflows/${workflowId}/activate`, { versionId: created.json.data.versionId });
		assert.equal(activated.status, 200, activated.text);

		await sendAndExpectRun(1);
	});

	it('updates to a newer version through the same path; the existing workflow still runs', async () => {
		await registry.publish(update.tarball);
		const updated = await session.request('PATCH', '/community-packages', { name: PACKAGE_NAME, version: newer });
		assert.equal(updated.status, 200, updated.text);
		assert.equal(updated.json.data.installedVersion, newer);
		const list = await session.request('GET', '/community-packages');
		assert.equal(list.json.data.find((entry) => entry.packageName === PACKAGE_NAME).installedVersion, newer);
		const onDisk = JSON.parse(
			readFileSync(path.join(instance.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8'),
		);
		assert.equal(onDisk.version, newer);

		await sendAndExpectRun(2);
	});

	async function sendAndExpectRun(count) {
		const body = freshDelivery(readExample('inbound-sms'), { appId: APP_ID });
		let answer;
		// Activation and a package reload can lag behind the API's answer.
		for (let attempt = 0; attempt < 60; attempt++) {
			answer = await postSigned(url(), Buffer.from(JSON.stringify(body)), privateKey);
			if (answer.status !== 404) break;
			await sleep(500);
		}
		assert.equal(answer.status, 200, answer.body);
		assert.equal(JSON.parse(answer.body).started, true, answer.body);
		const list = await waitForExecutions(executions, count, { timeoutMs: 60_000, ready: (execution) => execution.status !== 'running' && execution.status !== 'new' });
		assert.equal(list.length, count);
		const item = list[count - 1].outputs[CHANNELS.indexOf('SMS')][0];
		assert.equal(item.webhookId, body.webhookId);
	}
});
