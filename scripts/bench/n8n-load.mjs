// Throughput in real n8n 2.x, one instance, three workflows measured in the same
// run: (a) our trigger, all ten outputs wired; (b) what users build today: a
// Webhook node, a Set node producing the same fields, a Switch node on
// messageType with the same outputs; (c) a bare Webhook node, n8n's own floor.
// Load: autocannon on loopback, bounded by request count and time.
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

import { createInstance, ensureN8n, removeInstance, repoRoot, sleep } from '../lib/n8n.mjs';
import { CHANNELS, credentialRef, signatureKeysCredential, triggerWorkflow } from '../lib/workflows.mjs';

const body = readFileSync(path.resolve(repoRoot, '..', 'shared', 'highlevel', 'examples', 'inbound-sms.json'));

const IDS = {
	ours: { id: 'hlBenchOursNone1', webhookId: 'b0000000-0000-4000-8000-000000000001' },
	oursUnwired: { id: 'hlBenchOursBare1', webhookId: 'b0000000-0000-4000-8000-000000000003' },
	oursSigned: { id: 'hlBenchOursSign1', webhookId: 'b0000000-0000-4000-8000-000000000002' },
	baseline: { id: 'hlBenchBaseline1', path: 'bench-baseline' },
	bare: { id: 'hlBenchBareHook1', path: 'bench-bare' },
};

function webhookNode(pathName) {
	return {
		id: `${pathName}-webhook`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `${pathName}-id`,
		parameters: { httpMethod: 'POST', path: pathName, options: {} },
	};
}

/** The same fields our item has, as a user would map them with expressions. */
function setNode() {
	const field = (name, expression, type = 'string') => ({ id: name, name, value: `={{ ${expression} }}`, type });
	return {
		id: 'set-fields',
		name: 'Clean fields',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [220, 0],
		parameters: {
			mode: 'manual',
			assignments: {
				assignments: [
					field('event', '$json.body.type'),
					field('messageType', '$json.body.messageType ?? ""'),
					field('direction', '$json.body.direction ?? ""'),
					field('locationId', '$json.body.locationId ?? ""'),
					field('contactId', '$json.body.contactId ?? ""'),
					field('conversationId', '$json.body.conversationId ?? ""'),
					field('messageId', '$json.body.messageId ?? ""'),
					field('userId', '$json.body.userId ?? ""'),
					field('dateAdded', '$json.body.dateAdded ?? ""'),
					field('status', '$json.body.status ?? ""'),
					field('text', '$json.body.body ?? ""'),
					field('contentType', '$json.body.contentType ?? ""'),
					field('attachments', '$json.body.attachments ?? []', 'array'),
					field('from', '$json.body.from ?? ""'),
					field('to', '[].concat($json.body.to ?? [])', 'array'),
					field('raw', '$json.body', 'object'),
				],
			},
			options: {},
		},
	};
}

/** A Switch with one rule per channel, the spellings a careful user would list. */
function switchNode() {
	const spellings = {
		SMS: ['SMS', 'TYPE_SMS'],
		Call: ['CALL', 'TYPE_CALL'],
		Voicemail: ['VoiceMail', 'TYPE_VOICEMAIL'],
		Email: ['Email', 'TYPE_EMAIL'],
		WhatsApp: ['WhatsApp', 'TYPE_WHATSAPP'],
		Facebook: ['FB', 'Facebook'],
		Instagram: ['IG', 'Instagram'],
		'Google Business': ['GMB'],
		'Live Chat': ['Live_Chat', 'WebChat'],
	};
	const values = Object.entries(spellings).map(([channel, names]) => ({
		outputKey: channel,
		renameOutput: true,
		conditions: {
			options: { caseSensitive: false, leftValue: '', typeValidation: 'loose', version: 2 },
			combinator: 'or',
			conditions: names.map((name, index) => ({
				id: `${channel}-${index}`,
				leftValue: '={{ $json.messageType }}',
				rightValue: name,
				operator: { type: 'string', operation: 'equals' },
			})),
		},
	}));
	return {
		id: 'switch-channel',
		name: 'Route by channel',
		type: 'n8n-nodes-base.switch',
		typeVersion: 3.2,
		position: [440, 0],
		parameters: { mode: 'rules', rules: { values }, options: { fallbackOutput: 'extra', renameFallbackOutput: 'Other', ignoreCase: true } },
	};
}

function sinks(prefix) {
	return CHANNELS.map((channel, index) => ({
		id: `${prefix}-sink-${index}`,
		name: `${channel} received`,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [700, index * 120],
		parameters: {},
	}));
}

function baselineWorkflow() {
	const outs = sinks('baseline');
	return {
		id: IDS.baseline.id,
		name: 'Bench baseline: Webhook + Set + Switch',
		active: false,
		nodes: [webhookNode(IDS.baseline.path), setNode(), switchNode(), ...outs],
		connections: {
			Webhook: { main: [[{ node: 'Clean fields', type: 'main', index: 0 }]] },
			'Clean fields': { main: [[{ node: 'Route by channel', type: 'main', index: 0 }]] },
			'Route by channel': { main: outs.map((sink) => [{ node: sink.name, type: 'main', index: 0 }]) },
		},
		settings: { executionOrder: 'v1' },
	};
}

function bareWorkflow() {
	return {
		id: IDS.bare.id,
		name: 'Bench floor: bare Webhook',
		active: false,
		nodes: [webhookNode(IDS.bare.path)],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Load on one workflow (several URLs: one autocannon per URL, at once), then
 * wait until n8n has finished every execution the load started.
 */
async function load(counter, { name, workflowId, url, urls = [url], headers, amount, seconds, connections }) {
	const before = await counter.finishedCount(workflowId);
	const started = Date.now();
	const results = await Promise.all(
		urls.map((target) =>
			autocannon({
				url: target,
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body,
				connections: Math.max(1, Math.round(connections / urls.length)),
				...(amount ? { amount: Math.round(amount / urls.length) } : { duration: seconds }),
				timeout: 30,
			}),
		),
	);
	const result = {
		'2xx': results.reduce((sum, one) => sum + one['2xx'], 0),
		non2xx: results.reduce((sum, one) => sum + one.non2xx, 0),
		errors: results.reduce((sum, one) => sum + one.errors, 0),
		duration: Math.max(...results.map((one) => one.duration)),
		requests: { total: results.reduce((sum, one) => sum + one.requests.total, 0) },
		latency: { p50: Math.max(...results.map((one) => one.latency.p50)), p99: Math.max(...results.map((one) => one.latency.p99)) },
	};
	const accepted = result['2xx'];
	// Executions finish after the answer: wait until n8n has run them all.
	let done = before;
	const deadline = Date.now() + 600_000;
	while (done - before < accepted && Date.now() < deadline) {
		await sleep(250);
		done = await counter.finishedCount(workflowId);
	}
	// Requests still in flight when the load stopped may run without their
	// answer having been counted: let them land before the next measurement.
	for (let previous = -1; previous !== done; ) {
		previous = done;
		await sleep(1000);
		done = await counter.finishedCount(workflowId);
	}
	const drainedMs = Date.now() - started;
	return {
		name,
		requests: result.requests.total,
		accepted,
		non2xx: result.non2xx,
		errors: result.errors,
		intakeRps: accepted / (result.duration || 1),
		p50Ms: result.latency.p50,
		p99Ms: result.latency.p99,
		executions: done - before,
		completedPerSecond: ((done - before) * 1000) / drainedMs,
	};
}

/**
 * `env` adds n8n settings (the benchmark runs once with n8n's defaults and once
 * with N8N_EXPRESSION_ENGINE=legacy, see BENCHMARKS.md).
 */
export async function measureN8n({ seconds = 15, connections = 10, rounds = 2, env = {} } = {}) {
	const runtime = await ensureN8n(2);
	const instance = await createInstance(runtime, { env: { N8N_LOG_LEVEL: 'error', ...env } });
	try {
		const keys = generateKeyPairSync('ed25519');
		const credential = signatureKeysCredential({
			id: 'hlBenchKeys00001',
			name: 'Bench keys',
			ed25519PublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		});
		await instance.importCredentials([credential]);
		await instance.importWorkflow(triggerWorkflow({ id: IDS.ours.id, name: 'Bench: HighLevel trigger (no auth)', webhookId: IDS.ours.webhookId, parameters: { authentication: 'none' } }));
		const unwired = triggerWorkflow({ id: IDS.oursUnwired.id, name: 'Bench: HighLevel trigger, outputs not wired', webhookId: IDS.oursUnwired.webhookId, parameters: { authentication: 'none' } });
		await instance.importWorkflow({ ...unwired, nodes: unwired.nodes.slice(0, 1), connections: {} });
		await instance.importWorkflow(
			triggerWorkflow({ id: IDS.oursSigned.id, name: 'Bench: HighLevel trigger (signed)', webhookId: IDS.oursSigned.webhookId, credentials: credentialRef(credential) }),
		);
		await instance.importWorkflow(baselineWorkflow());
		await instance.importWorkflow(bareWorkflow());
		await instance.start();
		const base = instance.baseUrl;
		const targets = [
			{ name: '(a) HighLevel Message Trigger, no auth', workflowId: IDS.ours.id, url: `${base}/webhook/${IDS.ours.webhookId}/highlevel` },
			{
				name: "(a') HighLevel Message Trigger, signature verified",
				workflowId: IDS.oursSigned.id,
				url: `${base}/webhook/${IDS.oursSigned.webhookId}/highlevel`,
				headers: { 'x-ghl-signature': sign(null, body, keys.privateKey).toString('base64') },
			},
			{ name: '(a0) HighLevel Message Trigger, no auth, outputs not wired', workflowId: IDS.oursUnwired.id, url: `${base}/webhook/${IDS.oursUnwired.webhookId}/highlevel` },
			{ name: '(b) Webhook + Set + Switch (baseline)', workflowId: IDS.baseline.id, url: `${base}/webhook/${IDS.baseline.path}` },
			{ name: '(c) bare Webhook node (floor)', workflowId: IDS.bare.id, url: `${base}/webhook/${IDS.bare.path}` },
		];
		// Wait until every webhook is live, and check each runs what it should.
		for (const target of targets) {
			for (let attempt = 0; ; attempt++) {
				const response = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body });
				if (response.status === 200) break;
				if (attempt > 240) throw new Error(`${target.name} not live: ${response.status} ${await response.text()}`);
				await sleep(500);
			}
		}
		const warm = [];
		for (const target of targets) warm.push(await load(instance, { ...target, amount: 100, connections }));
		for (const result of warm) if (result.executions !== result.accepted) throw new Error(`${result.name}: warm-up lost executions ${JSON.stringify(result)}`);
		// Interleaved rounds, so drift (database growth, JIT) hits all alike.
		const rows = [];
		for (let round = 0; round < rounds; round++) {
			for (const target of targets) rows.push({ round, ...(await load(instance, { ...target, seconds, connections })) });
		}
		return { version: runtime.version, seconds, connections, rounds, env, rows };
	} finally {
		if (process.env.BENCH_KEEP_INSTANCE) await instance.stop();
		else await removeInstance(instance);
	}
}

/**
 * Queue mode (PostgreSQL, Redis, main + two webhook processes + one worker),
 * our trigger (no auth, all outputs wired), load split over both webhook
 * processes, with the same method as above.
 */
export async function measureQueueMode({ seconds = 15, connections = 10, rounds = 2 } = {}) {
	const { startQueueMode } = await import('../lib/queue-mode.mjs');
	const cluster = await startQueueMode({
		workflows: [triggerWorkflow({ id: IDS.ours.id, name: 'Bench: HighLevel trigger (no auth)', webhookId: IDS.ours.webhookId, parameters: { authentication: 'none' } })],
	});
	try {
		const urls = cluster.webhookBaseUrls.map((base) => `${base}/webhook/${IDS.ours.webhookId}/highlevel`);
		for (const url of urls) {
			for (let attempt = 0; ; attempt++) {
				const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
				if (response.status === 200) break;
				if (attempt > 240) throw new Error(`queue-mode webhook not live: ${response.status}`);
				await sleep(500);
			}
		}
		const target = { name: '(q) HighLevel Message Trigger, no auth, queue mode (2 webhook processes, 1 worker)', workflowId: IDS.ours.id, urls };
		await load(cluster, { ...target, amount: 100, connections });
		const rows = [];
		for (let round = 0; round < rounds; round++) rows.push({ round, ...(await load(cluster, { ...target, seconds, connections })) });
		return { version: cluster.runtime.version, rows };
	} finally {
		await cluster.stop();
	}
}
