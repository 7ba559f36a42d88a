// npm run bench: prints the numbers and writes BENCHMARKS.md.
//   BENCH_SKIP_N8N=1 npm run bench   in-process, memory and package only
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot } from '../lib/n8n.mjs';
import { enrichmentSection, measureEnrichment } from './enrichment.mjs';
import { measureMemory, measureStages, measureWebhook } from './in-process.mjs';
import { measureQueueMode, prepareN8n, TARGETS } from './n8n-load.mjs';
import { measurePackage } from './package-size.mjs';
import { fmt } from './stats.mjs';

const lines = [];
const say = (line = '') => {
	console.log(line);
	lines.push(line);
};
const table = (header, rows) => {
	say(`| ${header.join(' | ')} |`);
	say(`|${header.map(() => '---').join('|')}|`);
	for (const row of rows) say(`| ${row.join(' | ')} |`);
	say();
};
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const commit = (() => {
	try {
		return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim();
	} catch {
		return 'unknown';
	}
})();

say('# Benchmarks');
say();
say(`Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} at commit ${commit}.`);
say(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${mb(os.totalmem())} RAM, ${os.platform()} ${os.release()}. Node ${process.version} (in-process); n8n runs on its own Node (below).`);
say();
say('Method: each in-process figure times one call at a time with `process.hrtime.bigint()`, 20,000 calls after 3,000 warm-up calls, in one process; medians and 99th percentiles in microseconds, events per second per core = 1 / mean. No timing is asserted in tests.');
say();

say('## In-process: `webhook()` per event');
say();
const webhook = await measureWebhook();
table(
	['event', 'body', 'signature on: median µs', 'p99 µs', 'events/s/core', 'signature off: median µs', 'p99 µs', 'events/s/core', 'JSON.parse of the body (n8n\'s own cost): median µs', 'off ÷ JSON.parse'],
	webhook.map((row) => [
		row.name,
		kb(row.bytes),
		fmt(row.on.medianUs),
		fmt(row.on.p99Us),
		fmt(row.on.perSecond),
		fmt(row.off.medianUs),
		fmt(row.off.p99Us),
		fmt(row.off.perSecond),
		fmt(row.jsonParse.medianUs),
		`${(row.off.medianUs / row.jsonParse.medianUs).toFixed(1)}×`,
	]),
);
const sms = webhook.find((row) => row.name === 'SMS');
const big = webhook.find((row) => row.name === 'Email, 20 KB HTML');
say(`Targets: SMS with signature ${fmt(sms.on.medianUs)} µs (target < 150), 20 KB email with signature ${fmt(big.on.medianUs)} µs (target < 1,000), SMS without signature ${fmt(sms.off.medianUs)} µs (target < 30).`);
say();

say('## In-process: cost of each stage');
say();
const stageResults = await measureStages();
for (const { name, stages } of stageResults) {
	say(`${name}:`);
	say();
	table(['stage', 'median µs', 'p99 µs'], stages.map(([stage, result]) => [stage, fmt(result.medianUs, 2), fmt(result.p99Us, 2)]));
}

say('## Memory: duplicate memory stays bounded');
say();
const memory = await measureMemory();
table(
	['moment', 'heap used', 'events emitted', 'ids remembered'],
	[
		['before (after warm-up)', mb(memory.before), '', ''],
		['after 100,000 distinct deliveries', mb(memory.afterDistinct), String(memory.emittedDistinct), ''],
		['after 100,000 duplicate deliveries', mb(memory.afterDuplicates), `${memory.emittedDuplicates} (duplicates acknowledged: ${memory.duplicates})`, memory.remembered.toLocaleString('en-US')],
	],
);
say(`Ignore Duplicates on (the default), each accepted delivery confirmed as n8n does when it answers. Outside n8n the node's ledger is this process's memory (${memory.ledger}); inside n8n the database ledger keeps the same memory in front of n8n's database. Growth over 100,000 distinct events: ${mb(memory.afterDistinct - memory.before)} (the in-memory bound is ${memory.bound.toLocaleString('en-US')} remembered deliveries per node, each for 24 h; older or further ones stay in n8n's database or Redis); over 100,000 duplicates: ${mb(memory.afterDuplicates - memory.afterDistinct)}.`);
say();

say('## Package');
say();
const pkg = await measurePackage();
table(
	['tarball', 'unpacked', 'files', 'require() cold (incl. zod), median of 9', 'require() with zod and crypto already loaded (as in n8n)'],
	[[kb(pkg.tarballBytes), kb(pkg.unpackedBytes), String(pkg.files), `${pkg.requireColdMs.toFixed(1)} ms`, `${pkg.requireWithZodMs.toFixed(1)} ms`]],
);

const n8nSummaries = [];
const benchStarted = Date.now();
if (!process.env.BENCH_SKIP_N8N) {
	const n8n = await prepareN8n();
	const SECONDS = 8;
	const ROUNDS = 3;
	const WARMUP = 60;
	const CONNECTIONS = 10;
	const all = Object.keys(TARGETS);
	const abc = ['ours', 'baseline', 'bare'];
	const settings = [
		{ key: 'defaults', label: "n8n's defaults", env: {}, targets: all },
		{ key: 'noSkip', label: '`N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP=false`', env: { N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP: 'false' }, targets: abc },
		{ key: 'lazy', label: '`N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' }, targets: abc },
		{ key: 'pool4', label: '`N8N_EXPRESSION_ENGINE_POOL_SIZE=4`', env: { N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' }, targets: abc },
		{ key: 'legacy', label: '`N8N_EXPRESSION_ENGINE=legacy`', env: { N8N_EXPRESSION_ENGINE: 'legacy' }, targets: abc },
	];
	say('## In real n8n 2.x: throughput, latency, backlog and memory');
	say();
	say(`One n8n ${n8n.version} instance at a time (SQLite, executions saved, as installed by \`npm start\`), a fresh copy of one prepared n8n folder (package installed, workflows imported and published) per setting, so each setting starts with its own process and an empty database. Workflows: (a) our trigger with all ten outputs wired to No Op nodes, Authentication None, its defaults otherwise (Ignore Duplicates on, so every delivery is checked against and recorded in n8n's database; Maximum Event Age 24 h); (a') the same with HighLevel Signature verified and App IDs set; (a-) as (a) with Ignore Duplicates off; (b) the baseline a user builds today: Webhook node, Set node producing the same fields, Switch node on \`messageType\` with nine rules and a fallback (the same ten outputs) wired to No Op nodes; (c) a bare Webhook node, n8n's own floor. (a'), (a-) run with n8n's defaults only.`);
	say();
	say(`Load: autocannon on loopback, ${CONNECTIONS} connections, ${SECONDS} s per workflow per round, ${ROUNDS} interleaved rounds after a warm-up of ${WARMUP} requests per workflow. Every request is a new delivery of HighLevel's inbound SMS example (its own \`webhookId\`, a \`timestamp\` of now, the \`appId\`): the fair case for Ignore Duplicates, which then costs its database check and record on every event but refuses none, while (b) and (c) have no duplicate protection at all. Each answer of our trigger is checked for \`"started":true\` and the warm-up must start exactly one execution per request. n8n 2.x answers both our trigger's accepted events and n8n's Webhook node (Respond Immediately) only after \`WorkflowRunner.run()\` has stored the execution; the execution then runs after the answer. "Accepted/s" counts 2xx answers per second; "completed/s" counts executions n8n finished (read from its database), from the start of the load until the last answered one finished. "Peak backlog" is the most executions of that workflow at once in status new or running (n8n's \`execution_entity\`, sampled every 250 ms during the load and until it drained); "peak RSS" is the n8n process's resident memory (\`/proc/<pid>/status\` VmRSS, same samples), followed by its value when the round that reached it began, so what earlier loads left behind shows. Rows show the median of the rounds, peaks the highest of the rounds; "2xx answers" and "executions" add up all rounds (executions exceed answers by the requests still in flight when a timed load stops); "not started / errors" counts answers without a run, non-2xx answers, connection errors and executions that did not end in success.`);
	say();
	const median = (rows, key) => {
		const values = rows.map((row) => row[key]).sort((a, b) => a - b);
		return values.length % 2 ? values[(values.length - 1) / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
	};
	const summarise = (rows) => {
		const byName = new Map();
		for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
		return [...byName].map(([name, group]) => ({
			name,
			accepted: median(group, 'intakeRps'),
			completed: median(group, 'completedPerSecond'),
			p50: median(group, 'p50Ms'),
			p99: median(group, 'p99Ms'),
			peakBacklog: group.some((row) => row.peakBacklog !== undefined) ? Math.max(...group.map((row) => row.peakBacklog ?? 0)) : undefined,
			peakRssMb: group.some((row) => row.peakRssMb !== undefined) ? Math.max(...group.map((row) => row.peakRssMb ?? 0)) : undefined,
			// RSS when the load that reached the peak began.
			startRssMb: group.reduce((peak, row) => (row.peakRssMb !== undefined && row.peakRssMb >= (peak?.peakRssMb ?? -1) ? row : peak), undefined)?.startRssMb,
			executions: group.reduce((sum, row) => sum + row.executions, 0),
			answered: group.reduce((sum, row) => sum + row.accepted, 0),
			errors: group.reduce((sum, row) => sum + row.errors + row.non2xx + (row.accepted - row.started) + row.failed, 0),
		}));
	};
	const rssText = (row) => (row.peakRssMb === undefined ? '' : `${Math.round(row.peakRssMb).toLocaleString('en-US')} (${Math.round(row.startRssMb).toLocaleString('en-US')})`);
	const summaryTable = (summary) =>
		table(
			['workflow', 'accepted/s', 'completed/s', 'p50 ms', 'p99 ms', 'peak backlog', 'peak RSS MB (at load start)', '2xx answers', 'executions', 'not started / errors'],
			summary.map((row) => [
				row.name,
				fmt(row.accepted),
				fmt(row.completed),
				fmt(row.p50),
				fmt(row.p99),
				row.peakBacklog === undefined ? '' : String(row.peakBacklog),
				rssText(row),
				String(row.answered),
				String(row.executions),
				String(row.errors),
			]),
		);
	const find = (summary, prefix) => summary.find((row) => row.name.startsWith(prefix));
	let singleDefault;
	try {
		for (const setting of settings) {
			const settingStarted = Date.now();
			const result = await n8n.measure({ env: setting.env, targets: setting.targets, seconds: SECONDS, rounds: ROUNDS, warmup: WARMUP, connections: CONNECTIONS });
			say(`### n8n ${result.version}, ${setting.label}`);
			say();
			const summary = summarise(result.rows);
			singleDefault ??= summary;
			n8nSummaries.push({ ...setting, summary, peakProcessRssMb: result.peakProcessRssMb });
			summaryTable(summary);
			const [ours, baseline, floor] = ['(a)', '(b)', '(c)'].map((prefix) => find(summary, prefix));
			say(`Ratios, completed/s: (a)/(b) = ${(ours.completed / baseline.completed).toFixed(2)}, (a)/(c) = ${(ours.completed / floor.completed).toFixed(2)}. Accepted/s: (a)/(b) = ${(ours.accepted / baseline.accepted).toFixed(2)}, (a)/(c) = ${(ours.accepted / floor.accepted).toFixed(2)}. n8n process peak (VmHWM) over the whole setting: ${Math.round(result.peakProcessRssMb).toLocaleString('en-US')} MB. Measured in ${Math.round((Date.now() - settingStarted) / 1000)} s.`);
			say();
		}
	} finally {
		await n8n.close();
	}

	say('### All settings side by side');
	say();
	say("Completed executions per second (median of the rounds) of (a) our trigger, (b) the baseline and (c) the bare Webhook node, their ratios, and each one's peak backlog and peak RSS, per n8n setting. Each setting is its own n8n process, measured in the same run.");
	say();
	const defaults = n8nSummaries[0].summary;
	table(
		['setting', '(a) /s', '(b) /s', '(c) /s', '(a)/(b)', '(a)/(c)', '(c) ÷ (c) at defaults', 'peak backlog a / b / c', 'peak RSS MB a / b / c', 'n8n VmHWM MB'],
		n8nSummaries.map(({ label, summary, peakProcessRssMb }) => {
			const [ours, baseline, floor] = ['(a)', '(b)', '(c)'].map((prefix) => find(summary, prefix));
			return [
				label,
				fmt(ours.completed),
				fmt(baseline.completed),
				fmt(floor.completed),
				(ours.completed / baseline.completed).toFixed(2),
				(ours.completed / floor.completed).toFixed(2),
				(floor.completed / find(defaults, '(c)').completed).toFixed(2),
				[ours, baseline, floor].map((row) => row.peakBacklog).join(' / '),
				[ours, baseline, floor].map((row) => Math.round(row.peakRssMb).toLocaleString('en-US')).join(' / '),
				Math.round(peakProcessRssMb).toLocaleString('en-US'),
			];
		}),
	);

	// What the numbers say: computed from this run, so the prose follows the numbers.
	const rowsOf = (key) => {
		const { summary } = n8nSummaries.find((setting) => setting.key === key);
		const [a, b, c] = ['(a)', '(b)', '(c)'].map((prefix) => find(summary, prefix));
		return { a, b, c, summary };
	};
	const base = rowsOf('defaults');
	const noSkip = rowsOf('noSkip');
	const lazy = rowsOf('lazy');
	const pool4 = rowsOf('pool4');
	const legacy = rowsOf('legacy');
	const x = (value) => `${value.toFixed(2)}×`;
	const r2 = (value) => value.toFixed(2);
	const noDuplicates = find(base.summary, '(a-)');
	const signed = find(base.summary, "(a')");
	const allRows = n8nSummaries.flatMap(({ summary }) => summary);
	const backlogs = allRows.map((row) => row.peakBacklog);
	const rss = allRows.map((row) => row.peakRssMb);
	const mbText = (value) => `${Math.round(value).toLocaleString('en-US')} MB`;
	// (a) takes the same path with and without the webhook isolate skip: its two rates are the noise.
	const noise = Math.abs(noSkip.a.completed / base.a.completed - 1);
	const withinNoise = (ratio) => Math.abs(ratio - 1) <= noise;
	const spread = Math.max(...n8nSummaries.map(({ summary }) => Math.max(...summary.map((row) => row.peakRssMb)) - Math.min(...summary.map((row) => row.peakRssMb))));
	const rise = Math.max(...allRows.map((row) => row.peakRssMb - row.startRssMb));
	const signedPercent = (ratio) => `${ratio >= 1 ? '+' : '−'}${Math.abs(Math.round((ratio - 1) * 100))}%`;
	const fastest = ['a', 'b', 'c'].every((key) => [base, noSkip, lazy, pool4].every((setting) => legacy[key].completed >= setting[key].completed));
	const poolHwm = n8nSummaries.find((setting) => setting.key === 'pool4').peakProcessRssMb;
	const lazyHwm = n8nSummaries.find((setting) => setting.key === 'lazy').peakProcessRssMb;
	const lowestHwm = Math.min(...n8nSummaries.map((setting) => setting.peakProcessRssMb));
	say('### What the numbers say');
	say();
	say(`- **The gap to the bare Webhook node is the V8 isolate n8n creates per webhook request, not this node's code.** n8n 2.40.7's default expression engine (\`vm\`) evaluates expressions in isolated-vm isolates. Each execution takes one (\`WorkflowExecute.initializeExecution\` calls \`acquireIsolate()\`; the pool disposes every isolate after use and builds a replacement, so none is reused), and the webhook phase takes one more for every trigger except n8n's own Webhook node: \`webhookPhaseNeedsIsolate\` in n8n's \`dist/webhooks/live-webhooks.js\` skips it only when \`N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP\` is on (the default), the start node's type is \`n8n-nodes-base.webhook\` (version 2 or later) and its parameters are static. So per event (a) builds two isolates, (b) and (c) one each. With n8n's defaults (a)/(c) = ${r2(base.a.completed / base.c.completed)}; with the skip off, (c) pays the same isolate as (a), runs at ${x(noSkip.c.completed / base.c.completed)} its default rate, and (a)/(c) = ${r2(noSkip.a.completed / noSkip.c.completed)}. That setting does not touch (a)'s path: its two rates (${fmt(base.a.completed)} and ${fmt(noSkip.a.completed)}/s, ${x(noSkip.a.completed / base.a.completed)}) show the run-to-run noise between n8n processes on this shared 2-core machine.`);
	say(`- **Against the Webhook + Set + Switch baseline** (b), which needs the isolate for its Set and Switch expressions anyway, (a)/(b) = ${r2(base.a.completed / base.b.completed)} with n8n's defaults (its extra webhook-phase isolate against (b)'s two expression nodes), ${r2(noSkip.a.completed / noSkip.b.completed)} with the skip off, ${r2(lazy.a.completed / lazy.b.completed)} with lazy acquire and ${r2(legacy.a.completed / legacy.b.completed)} with the legacy engine.`);
	say(`- **\`N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true\`** opens a scope per execution and builds an isolate only when an expression is actually evaluated: (c) evaluates none and runs at ${x(lazy.c.completed / base.c.completed)} its default rate; (a) runs at ${x(lazy.a.completed / base.a.completed)}, (b) at ${x(lazy.b.completed / base.b.completed)}. (a) still builds an isolate per event, so n8n still evaluates at least one expression for it (the node itself has none in its parameters). The node's \`outputs\` are an expression (so that Routing can switch between one output per channel and a single output) and n8n evaluates it when it runs the trigger node, but replacing it with a static list of the ten outputs in an installed copy did not change (a)'s rate under lazy acquire (measured separately, same method: 17.4 and 21.8/s against 72 and 82/s for (c)); which evaluation it is remains open.`);
	say(`- **\`N8N_EXPRESSION_ENGINE_POOL_SIZE=4\`** (default 1) only keeps more warm isolates; every request and execution still disposes the one it used and a new one is built, which is the cost. Rates against the defaults: (a) ${x(pool4.a.completed / base.a.completed)}, (b) ${x(pool4.b.completed / base.b.completed)}, (c) ${x(pool4.c.completed / base.c.completed)} (run-to-run noise here: ±${Math.round(noise * 100)}%, see above); n8n's VmHWM ${mbText(poolHwm)} against ${mbText(n8nSummaries[0].peakProcessRssMb)} with the defaults.`);
	say(`- **\`N8N_EXPRESSION_ENGINE=legacy\`** (n8n 1.x's in-process evaluator, no isolate) ${fastest ? 'is the fastest setting for all three' : 'runs'}: (a) ${fmt(legacy.a.completed)}/s (${x(legacy.a.completed / base.a.completed)} its default rate), (b) ${fmt(legacy.b.completed)}/s, (c) ${fmt(legacy.c.completed)}/s; (a)/(b) = ${r2(legacy.a.completed / legacy.b.completed)}, (a)/(c) = ${r2(legacy.a.completed / legacy.c.completed)}.`);
	say(`- **Backlog**: the most unfinished executions of any workflow at once, in any setting, was ${Math.max(...backlogs)} (${Math.min(...backlogs)}–${Math.max(...backlogs)} across workflows and settings) with ${CONNECTIONS} connections${Math.max(...backlogs) <= 2 * CONNECTIONS ? ': n8n now answers only after it has stored the execution, so a sender with N requests open cannot get far ahead of n8n' : ''}. The node's previous version, which answered before n8n created the execution, reached a backlog of 338 and 3.1–3.7 GB under the same kind of load, against 10 and 1.5 GB for the Webhook node.`);
	say(`- **Memory**: n8n's RSS peaked between ${mbText(Math.min(...rss))} and ${mbText(Math.max(...rss))} across workflows and settings. Within one setting the workflows' peaks differ by at most ${mbText(spread)}; within a single load RSS rose by up to ${mbText(rise)} (isolates and executions are built and freed continuously, and V8 gives memory back late), so the per-workflow peaks mostly show the process, not the workflow. Lazy acquire: ${[lazy.a, lazy.b, lazy.c].map((row) => mbText(row.peakRssMb)).join(' / ')} for a / b / c, VmHWM ${mbText(lazyHwm)}${lazyHwm === lowestHwm ? ', the lowest of all settings' : ''}.`);
	say(`- **Our node's own options**: with Ignore Duplicates off (a-) ran at ${fmt(noDuplicates.completed)}/s against ${fmt(base.a.completed)}/s for (a), which checks and records every delivery in n8n's database (${signedPercent(noDuplicates.completed / base.a.completed)}, against run-to-run noise of ±${Math.round(noise * 100)}%); HighLevel Signature with App IDs (a') runs at ${fmt(signed.completed)}/s (Ed25519 verification is about 0.1 ms, see above). Both stay on in production: the numbers are the price of not running a delivery twice and of refusing other accounts' events.`);
	say();
	say('### Settings a user can choose');
	say();
	say('n8n settings (environment variables of the n8n process, for every workflow on the instance; this node needs none of them):');
	say();
	say(`- n8n's defaults: expressions isolated, about ${fmt(base.a.completed)} HighLevel events per second for (a) on 2 cores here.`);
	say(`- \`N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true\`: same isolation, isolates only built when an expression runs; here (a) ${x(lazy.a.completed / base.a.completed)}, (b) ${x(lazy.b.completed / base.b.completed)}, (c) ${x(lazy.c.completed / base.c.completed)} their default rates. It helps most where executions evaluate no expression; when one is needed and no warm isolate is left, it is built synchronously inside the evaluation. Measure your own workflows.`);
	say(`- \`N8N_EXPRESSION_ENGINE=legacy\`: the largest gain ((a) ${x(legacy.a.completed / base.a.completed)}), but expressions run in n8n's own process without the isolate sandbox n8n 2.x introduced: only where everyone who can edit workflows is trusted.`);
	say(`- \`N8N_EXPRESSION_ENGINE_POOL_SIZE\` (default 1): at 4, (a) ${x(pool4.a.completed / base.a.completed)}${withinNoise(pool4.a.completed / base.a.completed) ? ', within the run-to-run noise' : ''} on 2 cores; every isolate is still used once.`);
	say('- `N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP=false`: only makes n8n\'s Webhook node pay the isolate too; a diagnostic, not a tuning knob.');
	say('- Queue mode (below) spreads webhook handling and executions over processes and machines; on this one 2-core machine it cannot add throughput.');
	say();
	say(`In the node: Ignore Duplicates off changed (a)'s rate by ${signedPercent(noDuplicates.completed / base.a.completed)} here and HighLevel Signature costs about 0.1 ms per event; keep both on.`);
	say();

	say('## Queue mode next to single-process n8n');
	say();
	say(`PostgreSQL and Redis (Debian packages, loopback), n8n main + two \`n8n webhook\` processes + one \`n8n worker\`, n8n defaults (duplicates checked in n8n's Redis); load split over both webhook processes (two autocannon instances, 5 connections each), ${SECONDS} s per round, 2 rounds, otherwise the same method and bodies as above (no backlog or memory sampling here). The single-process row is (a) from the n8n-defaults table above (SQLite).`);
	say();
	const queue = await measureQueueMode({ seconds: SECONDS, rounds: 2, warmup: WARMUP, connections: CONNECTIONS });
	const queueSummary = summarise(queue.rows);
	summaryTable([find(singleDefault, '(a)'), ...queueSummary]);
	console.error(`[bench] n8n part took ${Math.round((Date.now() - benchStarted) / 1000)} s`);
}

say('## Targets');
say();
const verifyAlone = stageResults[0].stages[0][1].medianUs;
const verdict = (ok) => (ok ? 'met' : 'missed');
const targetRows = [
	['in-process, SMS, signature on', '< 150 µs median', `${fmt(sms.on.medianUs)} µs`, verdict(sms.on.medianUs < 150), `Ed25519 verification alone (Node's OpenSSL) takes ${fmt(verifyAlone)} µs median on this CPU`],
	['in-process, 20 KB email, signature on', '< 1,000 µs median', `${fmt(big.on.medianUs)} µs`, verdict(big.on.medianUs < 1000), ''],
	['in-process, SMS, signature off', '< 30 µs median', `${fmt(sms.off.medianUs)} µs`, verdict(sms.off.medianUs < 30), ''],
	['memory after 100,000 events', 'no growth beyond the dedupe bound', `${mb(memory.afterDistinct - memory.before)} for ${memory.remembered.toLocaleString('en-US')} remembered deliveries (bound ${memory.bound.toLocaleString('en-US')}); +${mb(Math.max(0, memory.afterDuplicates - memory.afterDistinct))} after 100,000 duplicates`, verdict(memory.remembered <= memory.bound && memory.afterDuplicates - memory.afterDistinct < 1024 * 1024), ''],
	['tarball', '< 60 KB', kb(pkg.tarballBytes), verdict(pkg.tarballBytes < 60 * 1024), ''],
	['require() of the node', '< 30 ms', `${pkg.requireWithZodMs.toFixed(1)} ms in n8n (${pkg.requireColdMs.toFixed(1)} ms cold, incl. loading zod)`, verdict(pkg.requireWithZodMs < 30), ''],
];
for (const { label, summary } of n8nSummaries) {
	const find = (prefix) => summary.find((row) => row.name.startsWith(prefix));
	const [ours, baseline, floor] = ['(a)', '(b)', '(c)'].map(find);
	targetRows.push([`n8n (${label}): ours ≥ baseline (b)`, 'completed/s ratio ≥ 1', `${(ours.completed / baseline.completed).toFixed(2)} (accepted/s ${(ours.accepted / baseline.accepted).toFixed(2)})`, verdict(ours.completed >= baseline.completed), '']);
	targetRows.push([
		`n8n (${label}): within 10% of the bare floor (c)`,
		'completed/s ratio ≥ 0.90',
		`${(ours.completed / floor.completed).toFixed(2)} (accepted/s ${(ours.accepted / floor.accepted).toFixed(2)})`,
		verdict(ours.completed >= 0.9 * floor.completed),
		'',
	]);
}
table(['target', 'goal', 'measured', '', 'what limits it'], targetRows);

for (const line of enrichmentSection(await measureEnrichment())) say(line);

writeFileSync(path.join(repoRoot, 'BENCHMARKS.md'), `${lines.join('\n').trimEnd()}\n`);
console.error('\nwrote BENCHMARKS.md');
