// The demo `npm start` brings up, checked the way a person would: the printed
// sample command's request runs, and headless Chromium opens the n8n editor and
// sees the node with its icon and its ten named outputs. The screenshot is kept
// in test-artifacts/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';

import { freePort, repoRoot, sleep } from '../../scripts/lib/n8n.mjs';
import { postSigned } from '../../scripts/lib/send.mjs';
import { CHANNELS, TRIGGER_NAME } from '../../scripts/lib/workflows.mjs';
import { DEMO_OWNER, startDemo } from '../../scripts/start.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.join(repoRoot, 'test-artifacts');

describe('the npm start demo in a real browser (n8n 2.x)', { concurrency: false }, () => {
	let demo;
	let browser;

	before(async () => {
		demo = await startDemo({ line: 2, port: await freePort(), root: path.join(tmpdir(), `hl-demo-e2e-${Date.now()}`) });
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
		});
	});

	after(async () => {
		await browser?.close();
		await demo?.instance.stop();
	});

	it('a sample message signed with the demo key runs the demo workflow', async () => {
		const raw = Buffer.from(readFileSync(path.resolve(repoRoot, '..', 'shared', 'highlevel', 'examples', 'inbound-call-voicemail.json')));
		const answer = await postSigned(demo.webhookUrl, raw, readFileSync(demo.privateKeyFile, 'utf8'));
		assert.equal(answer.status, 200);
		assert.deepEqual(JSON.parse(answer.body), { received: true, started: true, channel: 'Voicemail' });
		for (let attempt = 0; attempt < 100; attempt++) {
			const executions = await demo.instance.executions(demo.workflow.id);
			if (executions.length === 1 && executions[0].outputs) {
				assert.equal(executions[0].outputs[CHANNELS.indexOf('Voicemail')].length, 1);
				return;
			}
			await sleep(300);
		}
		assert.fail('the demo workflow did not run');
	});

	it('the editor shows the node with its icon and the ten named outputs', async () => {
		assert.ok(demo.ownerCreated, 'demo owner account created');
		const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
		const login = await context.request.post(`${demo.instance.baseUrl}/rest/login`, {
			data: { emailOrLdapLoginId: DEMO_OWNER.email, password: DEMO_OWNER.password },
		});
		assert.equal(login.status(), 200);
		const page = await context.newPage();
		await page.goto(demo.editorUrl);
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: TRIGGER_NAME });
		await node.waitFor({ timeout: 60_000 });

		const icon = node.locator('img[src*="n8n-nodes-highlevel-messages"]');
		await icon.waitFor({ timeout: 30_000 });
		assert.match(await icon.getAttribute('src'), /highLevel\.svg$/);
		const loaded = await icon.evaluate((image) => image.complete && image.naturalWidth > 0);
		assert.ok(loaded, 'the icon file was served and decoded');

		const nodeText = await node.innerText();
		const labels = nodeText.split('\n').map((label) => label.trim());
		for (const channel of CHANNELS) assert.ok(labels.includes(channel), `output label ${channel} in ${JSON.stringify(labels)}`);
		const positions = await Promise.all(CHANNELS.map((channel) => node.getByText(channel, { exact: true }).first().boundingBox()));
		const tops = positions.map((box) => box.y);
		assert.deepEqual([...tops].sort((a, b) => a - b), tops, 'outputs drawn top to bottom in SPEC order');

		mkdirSync(artifacts, { recursive: true });
		await page.screenshot({ path: path.join(artifacts, `editor-n8n-${demo.runtime.version}.png`) });
		await context.close();
	});
});
