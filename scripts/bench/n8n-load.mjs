// Throughput in real n8n 2.x, one instance, the workflows measured in the same
// run: (a) our trigger, all ten outputs wired; (b) what users build today: a
// Webhook node, a Set node producing the same fields, a Switch node on
// messageType with the same outputs; (c) a bare Webhook node, n8n's own floor.
// Load: autocannon on loopback, bounded by request count and time. Every
// request is a new HighLevel delivery (its own webhookId, a timestamp of now,
// the app id), so our trigger with its defaults (Ignore Duplicates on,
// Maximum Event Age 24 h) starts an execution for each one; the answers are
// checked for `"started":true` and the executions counted in n8n's database.
//
// While each load runs, a sampler (monitor.cjs, every 250 ms) reads n8n's
// SQLite database for executions not finished yet (status new or running:
// the backlog) and /proc/<pid>/status for the n8n process's memory.
import { sign } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

import { createInstance, ensureN8n, freePort, N8nInstance, removeInstance, repoRoot, sleep } from '../lib/n8n.mjs';
import { freshDelivery, readExample } from '../lib/samples.mjs';
import { CHANNELS, credentialRef, signatureKeysCredential, triggerWorkflow } from '../lib/workflows.mjs';
import { BENCH_APP_ID } from './in-process.mjs';

const sms = readExample('inbound-sms');
/** A new delivery of HighLevel's inbound SMS example, as HighLevel would send it now. */
const nextBody = () => Buffer.from(JSON.stringify(freshDelivery(sms, { appId: BENCH_APP_ID })));

const IDS = {
	ours: { id: 'hlBenchOursNone1', webhookId: 'b0000000-0000-4000-8000-000000000001' },
	oursNoDuplicates: { id: 'hlBenchOursNoDup', webhookId: 'b0000000-0000-4000-8000-000000000004' },
	oursSigned: { id: 'hlBenchOursSign1', webhookId: 'b0000000-0000-4000-8000-000000000002' },
	baseline: { id: 'hlBenchBaseline1', path: 'bench-baseline' },
	bare: { id: 'hlBenchBareHook1', path: 'bench-bare' },
};

/** The rows a setting can measure (keys of bench targets), in the order they run. */
export const TARGETS = {
	ours: '(a) HighLevel Message Trigger, no auth',
	oursSigned: "(a') HighLevel Message Trigger, signature verified, App IDs",
	oursNoDuplicates: '(a-) HighLevel Message Trigger, no auth, Ignore Duplicates off',
	baseline: '(b) Webhook + Set + Switch (baseline)',
	bare: '(c) bare Webhook node (floor)',
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

const FINISHED = (status) => !['new', 'running', 'waiting'].includes(status);
const sumCounts = (counts, accept) => Object.entries(counts ?? {}).reduce((sum, [status, n]) => sum + (accept(status) ? n : 0), 0);

/**
 * monitor.cjs under n8n's own Node: one sample (execution counts per workflow
 * and status, the n8n process's VmRSS and VmHWM) every `intervalMs`.
 */
class Monitor {
	constructor(runtime, instance, intervalMs = 250) {
		const database = path.join(instance.userFolder, '.n8n', 'database.sqlite');
		this.child = spawn(runtime.node, [path.join(repoRoot, 'scripts', 'bench', 'monitor.cjs'), runtime.dir, database, String(instance.process.pid), String(intervalMs)], {
			stdio: ['pipe', 'pipe', 'inherit'],
		});
		this.latest = undefined;
		this.waiters = [];
		this.windows = new Set();
		createInterface({ input: this.child.stdout }).on('line', (line) => {
			let sample;
			try {
				sample = JSON.parse(line);
			} catch {
				return;
			}
			this.latest = sample;
			for (const window of this.windows) window.add(sample);
			if (sample.counts === null) return;
			const waiters = this.waiters;
			this.waiters = [];
			for (const resolve of waiters) resolve(sample);
		});
	}

	/** The next sample taken with readable counts (so: taken after this call). */
	async next(timeoutMs = 15_000) {
		return await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('bench monitor: no sample (monitor.cjs stopped?)')), timeoutMs);
			this.waiters.push((sample) => {
				clearTimeout(timer);
				resolve(sample);
			});
		});
	}

	async finishedCount(workflowId) {
		return sumCounts((await this.next()).counts[workflowId], FINISHED);
	}

	/** Executions of the workflow that ended other than successfully (error, crashed, canceled). */
	async failedCount(workflowId) {
		return sumCounts((await this.next()).counts[workflowId], (status) => FINISHED(status) && status !== 'success');
	}

	/** Peak backlog (new + running) of one workflow and peak RSS while it is open. */
	window(workflowId) {
		const window = {
			peakBacklog: 0,
			peakRssKb: 0,
			startRssKb: this.latest?.rssKb ?? 0,
			samples: 0,
			add(sample) {
				window.samples++;
				window.peakRssKb = Math.max(window.peakRssKb, sample.rssKb);
				if (sample.counts) window.peakBacklog = Math.max(window.peakBacklog, sumCounts(sample.counts[workflowId], (status) => status === 'new' || status === 'running'));
			},
		};
		this.windows.add(window);
		return { window, close: () => this.windows.delete(window) };
	}

	async stop() {
		if (this.child.exitCode !== null) return;
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.stdin.end();
		await Promise.race([exited, sleep(5000).then(() => this.child.kill('SIGKILL'))]);
	}
}

/**
 * Load on one workflow (several URLs: one autocannon per URL, at once), then
 * wait until n8n has finished every execution the load started. `probe`
 * counts finished executions (`finishedCount`) and may watch the load
 * (`window`).
 */
async function load(probe, { name, workflowId, url, urls = [url], signer, ours, amount, seconds, connections }) {
	const before = await probe.finishedCount(workflowId);
	const failedBefore = (await probe.failedCount?.(workflowId)) ?? 0;
	const watch = probe.window?.(workflowId);
	let started = 0;
	const request = () => ({
		method: 'POST',
		setupRequest(data) {
			const body = nextBody();
			data.body = body;
			data.headers = { ...data.headers, 'content-type': 'application/json', ...(signer ? { 'x-ghl-signature': signer(body) } : {}) };
			return data;
		},
		onResponse(status, text) {
			// Ours says whether the delivery started a run; n8n's Webhook node always starts one.
			if (status >= 200 && status < 300 && (!ours || text.includes('"started":true'))) started++;
		},
	});
	const startedAt = Date.now();
	const results = await Promise.all(
		urls.map((target) =>
			autocannon({
				url: target,
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				requests: [request()],
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
		if (!probe.window) await sleep(250);
		done = await probe.finishedCount(workflowId);
	}
	const drainedMs = Date.now() - startedAt;
	// Requests still in flight when the load stopped may run without their
	// answer having been counted: let them land before the next measurement.
	for (let previous = -1; previous !== done; ) {
		previous = done;
		await sleep(1000);
		done = await probe.finishedCount(workflowId);
	}
	watch?.close();
	const failed = ((await probe.failedCount?.(workflowId)) ?? 0) - failedBefore;
	return {
		name,
		requests: result.requests.total,
		accepted,
		started,
		non2xx: result.non2xx,
		errors: result.errors,
		intakeRps: accepted / (result.duration || 1),
		p50Ms: result.latency.p50,
		p99Ms: result.latency.p99,
		executions: done - before,
		failed,
		completedPerSecond: ((done - before) * 1000) / drainedMs,
		...(watch ? { peakBacklog: watch.window.peakBacklog, peakRssMb: watch.window.peakRssKb / 1024, startRssMb: watch.window.startRssKb / 1024 } : {}),
	};
}

/**
 * One n8n folder (package installed, credentials and workflows imported and
 * published with n8n's CLI) prepared once; each measured setting runs n8n on
 * a fresh copy of it (a fresh database, the same workflows), so the settings
 * neither share a process nor a growing database, and the CLI imports are
 * paid once.
 */
export async function prepareN8n() {
	const runtime = await ensureN8n(2);
	const template = await createInstance(runtime, { env: { N8N_LOG_LEVEL: 'error' } });
	const keys = generateKeyPairSync('ed25519');
	const credential = signatureKeysCredential({
		id: 'hlBenchKeys00001',
		name: 'Bench keys',
		ed25519PublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
	});
	try {
		await template.importCredentials([credential]);
		await template.importWorkflow(triggerWorkflow({ id: IDS.ours.id, name: 'Bench: HighLevel trigger (no auth)', webhookId: IDS.ours.webhookId, parameters: { authentication: 'none' } }));
		await template.importWorkflow(
			triggerWorkflow({
				id: IDS.oursNoDuplicates.id,
				name: 'Bench: HighLevel trigger (no auth, Ignore Duplicates off)',
				webhookId: IDS.oursNoDuplicates.webhookId,
				parameters: { authentication: 'none', options: { ignoreDuplicates: false } },
			}),
		);
		await template.importWorkflow(
			triggerWorkflow({
				id: IDS.oursSigned.id,
				name: 'Bench: HighLevel trigger (signed)',
				webhookId: IDS.oursSigned.webhookId,
				parameters: { appIds: BENCH_APP_ID },
				credentials: credentialRef(credential),
			}),
		);
		await template.importWorkflow(baselineWorkflow());
		await template.importWorkflow(bareWorkflow());
	} catch (error) {
		await removeInstance(template);
		throw error;
	}
	const signer = (body) => sign(null, body, keys.privateKey).toString('base64');
	return {
		runtime,
		version: runtime.version,
		/**
		 * `env` adds n8n settings; `targets` are keys of TARGETS. Interleaved
		 * rounds after a warm-up, so drift (database growth, JIT, heap growth)
		 * hits all alike.
		 */
		async measure({ env = {}, targets: keysToRun = Object.keys(TARGETS), seconds = 8, connections = 10, rounds = 3, warmup = 60 } = {}) {
			const base = path.join(tmpdir(), 'hl-n8n');
			await mkdir(base, { recursive: true });
			const userFolder = await mkdtemp(path.join(base, `n8n-${runtime.version}-bench-`));
			await cp(template.userFolder, userFolder, { recursive: true, verbatimSymlinks: true });
			const instance = new N8nInstance(runtime, { userFolder, port: await freePort(), brokerPort: await freePort(), env: { N8N_LOG_LEVEL: 'error', ...env } });
			let monitor;
			try {
				await instance.start();
				monitor = new Monitor(runtime, instance);
				const webhook = instance.baseUrl;
				const all = {
					ours: { workflowId: IDS.ours.id, url: `${webhook}/webhook/${IDS.ours.webhookId}/highlevel`, ours: true },
					oursSigned: { workflowId: IDS.oursSigned.id, url: `${webhook}/webhook/${IDS.oursSigned.webhookId}/highlevel`, ours: true, signer },
					oursNoDuplicates: { workflowId: IDS.oursNoDuplicates.id, url: `${webhook}/webhook/${IDS.oursNoDuplicates.webhookId}/highlevel`, ours: true },
					baseline: { workflowId: IDS.baseline.id, url: `${webhook}/webhook/${IDS.baseline.path}` },
					bare: { workflowId: IDS.bare.id, url: `${webhook}/webhook/${IDS.bare.path}` },
				};
				const targets = keysToRun.map((key) => ({ key, name: TARGETS[key], ...all[key] }));
				// Wait until every webhook is live, and check each starts a run.
				for (const target of targets) {
					for (let attempt = 0; ; attempt++) {
						const body = nextBody();
						const response = await fetch(target.url, {
							method: 'POST',
							headers: { 'content-type': 'application/json', ...(target.signer ? { 'x-ghl-signature': target.signer(body) } : {}) },
							body,
						});
						const text = await response.text();
						if (response.status === 200 && (!target.ours || text.includes('"started":true'))) break;
						if (attempt > 240) throw new Error(`${target.name} not live or not starting runs: ${response.status} ${text}`);
						await sleep(500);
					}
				}
				for (const target of targets) {
					const result = await load(monitor, { ...target, amount: warmup, connections });
					// A bench where requests are acknowledged without a run would measure nothing.
					if (result.executions < result.accepted || result.started !== result.accepted || result.accepted !== warmup || result.failed > 0) {
						throw new Error(`${result.name}: warm-up did not start one execution per request ${JSON.stringify(result)}`);
					}
				}
				const rows = [];
				for (let round = 0; round < rounds; round++) {
					for (const target of targets) rows.push({ round, key: target.key, ...(await load(monitor, { ...target, seconds, connections })) });
				}
				const { hwmKb } = await monitor.next();
				return { version: runtime.version, seconds, connections, rounds, env, rows, peakProcessRssMb: hwmKb / 1024 };
			} finally {
				await monitor?.stop();
				if (process.env.BENCH_KEEP_INSTANCE) await instance.stop();
				else await removeInstance(instance);
			}
		},
		async close() {
			await rm(template.userFolder, { recursive: true, force: true });
		},
	};
}

/**
 * Queue mode (PostgreSQL, Redis, main + two webhook processes + one worker),
 * our trigger (no auth, all outputs wired, duplicates in n8n's Redis), load
 * split over both webhook processes, with the same method as above.
 */
export async function measureQueueMode({ seconds = 8, connections = 10, rounds = 2, warmup = 60 } = {}) {
	const { startQueueMode } = await import('../lib/queue-mode.mjs');
	const cluster = await startQueueMode({
		workflows: [triggerWorkflow({ id: IDS.ours.id, name: 'Bench: HighLevel trigger (no auth)', webhookId: IDS.ours.webhookId, parameters: { authentication: 'none' } })],
	});
	try {
		const urls = cluster.webhookBaseUrls.map((base) => `${base}/webhook/${IDS.ours.webhookId}/highlevel`);
		for (const url of urls) {
			for (let attempt = 0; ; attempt++) {
				const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nextBody() });
				const text = await response.text();
				if (response.status === 200 && text.includes('"started":true')) break;
				if (attempt > 240) throw new Error(`queue-mode webhook not live: ${response.status} ${text}`);
				await sleep(500);
			}
		}
		const target = { name: '(q) HighLevel Message Trigger, no auth, queue mode (2 webhook processes, 1 worker)', workflowId: IDS.ours.id, urls, ours: true };
		const warm = await load(cluster, { ...target, amount: warmup, connections });
		if (warm.started !== warm.accepted || warm.executions < warm.accepted) throw new Error(`queue mode: warm-up did not start one execution per request ${JSON.stringify(warm)}`);
		const rows = [];
		for (let round = 0; round < rounds; round++) rows.push({ round, ...(await load(cluster, { ...target, seconds, connections })) });
		return { version: cluster.runtime.version, rows };
	} finally {
		await cluster.stop();
	}
}
