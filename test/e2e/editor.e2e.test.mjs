// The demo `npm start` brings up, checked the way a person would in headless
// Chromium: the node on the canvas with its icon and ten named outputs, and the
// editor's test flow as a newcomer meets it (open the trigger, read how the two
// URLs are meant to be used, listen for a test event, send a signed sample to the
// Test URL, see it arrive, send the same delivery again and see it again). The
// screenshots are kept in test-artifacts/ (the README shows one).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';

import { DEMO_APP_ID, startDemo } from '../../scripts/lib/demo.mjs';
import { freePort, OWNER, repoRoot, sleep } from '../../scripts/lib/n8n.mjs';
import { freshDelivery, readExample } from '../../scripts/lib/samples.mjs';
import { postSigned } from '../../scripts/lib/send.mjs';
import { CHANNELS, TRIGGER_NAME } from '../../scripts/lib/workflows.mjs';
import { readFileSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.join(repoRoot, 'test-artifacts');

describe('the npm start demo in a real browser (n8n 2.x)', { concurrency: false }, () => {
	let demo;
	let browser;
	let page;
	const privateKey = () => readFileSync(demo.privateKeyFile, 'utf8');
	const delivery = (name) => Buffer.from(JSON.stringify(freshDelivery(readExample(name), { appId: DEMO_APP_ID })));

	before(async () => {
		demo = await startDemo({ line: 2, port: await freePort(), root: path.join(tmpdir(), `hl-demo-e2e-${Date.now()}`) });
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
		});
		const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
		const login = await context.request.post(`${demo.instance.baseUrl}/rest/login`, {
			data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
		});
		assert.equal(login.status(), 200);
		page = await context.newPage();
		mkdirSync(artifacts, { recursive: true });
		mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
	});

	after(async () => {
		await browser?.close();
		await demo?.stop();
	});

	it('a sample message signed with the demo key runs the demo workflow', async () => {
		const answer = await postSigned(demo.webhookUrl, delivery('inbound-call-voicemail'), privateKey());
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
		await page.screenshot({ path: path.join(artifacts, `editor-n8n-${demo.runtime.version}.png`) });
	});

	it('the test flow: the trigger explains both URLs, listens, and shows a sample sent to the Test URL, twice', async () => {
		await page.goto(demo.editorUrl);
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: TRIGGER_NAME });
		await node.waitFor({ timeout: 60_000 });
		await node.dblclick();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.waitFor({ timeout: 30_000 });

		// The set-up notice speaks of both URLs and says where they are.
		const notice = ndv.getByText(/This node has two URLs/);
		await notice.waitFor({ timeout: 30_000 });
		const noticeText = await notice.innerText();
		assert.match(noticeText, /Test URL/);
		assert.match(noticeText, /Production URL/);
		assert.match(noticeText, /Webhook URLs/);
		// The trigger panel speaks in HighLevel's terms, not n8n's generated text.
		await ndv.getByText('Listen for a HighLevel message').first().waitFor({ timeout: 30_000 });
		assert.equal(await ndv.getByText(/Pull in events from/).count(), 0);

		for (const round of [1, 2]) {
			await ndv.locator('[data-test-id="trigger-execute-button"]').first().click();
			await ndv.getByText(/Listening for test event/i).first().waitFor({ timeout: 30_000 });
			// The same delivery both rounds: test events never count as duplicates.
			const raw = round === 1 ? delivery('inbound-sms') : lastSent;
			lastSent = raw;
			let answer;
			for (let attempt = 0; attempt < 40; attempt++) {
				answer = await postSigned(demo.testUrl, raw, privateKey());
				if (answer.status !== 404) break;
				await sleep(250);
			}
			assert.equal(answer.status, 200, answer.body);
			assert.deepEqual(JSON.parse(answer.body), { received: true, started: true, channel: 'SMS' });
			await ndv.getByText('This is a test message').first().waitFor({ timeout: 30_000 });
			// Committed for the README, so the picture there stays what the editor shows.
			if (round === 1) await page.screenshot({ path: path.join(repoRoot, 'docs', 'editor-test-event.png') });
		}

		// Testing neither used nor filled production's memory: the same delivery runs live.
		const before = (await demo.instance.executions(demo.workflow.id)).filter((execution) => execution.mode === 'webhook').length;
		const live = await postSigned(demo.webhookUrl, lastSent, privateKey());
		assert.deepEqual(JSON.parse(live.body), { received: true, started: true, channel: 'SMS' });
		for (let attempt = 0; attempt < 100; attempt++) {
			const runs = (await demo.instance.executions(demo.workflow.id)).filter((execution) => execution.mode === 'webhook');
			if (runs.length === before + 1) return;
			await sleep(300);
		}
		assert.fail('the production run did not happen');
	});

	it('the auto-reply demo: a sample SMS is answered through the HighLevel API stand-in, and the editor shows trigger and reply', async () => {
		const raw = delivery('inbound-sms');
		const answer = await postSigned(demo.autoReplyUrl, raw, privateKey());
		assert.deepEqual(JSON.parse(answer.body), { received: true, started: true, channel: 'SMS' });
		let sends = [];
		for (let attempt = 0; attempt < 100 && sends.length === 0; attempt++) {
			sends = (await demo.api.requests()).filter((request) => request.method === 'POST' && request.path === '/conversations/messages');
			if (sends.length === 0) await sleep(300);
		}
		assert.equal(sends.length, 1);
		assert.equal(sends[0].body.type, 'SMS');
		assert.equal(sends[0].body.contactId, JSON.parse(raw).contactId);
		assert.deepEqual(sends[0].violations, []);

		await page.goto(demo.autoReplyEditorUrl);
		const reply = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Reply on the same channel' });
		await reply.waitFor({ timeout: 60_000 });
		await page.locator('[data-test-id="canvas-node"]').filter({ hasText: TRIGGER_NAME }).waitFor();
		const icon = reply.locator('img[src*="n8n-nodes-highlevel-messages"]');
		await icon.waitFor({ timeout: 30_000 });
		assert.ok(await icon.evaluate((image) => image.complete && image.naturalWidth > 0), 'the action node icon was served and decoded');
		// Committed: the picture at the top of the README.
		await page.screenshot({ path: path.join(repoRoot, 'docs', 'auto-reply-workflow.png') });
	});
});

let lastSent;