// npm run bench: prints the numbers and writes BENCHMARKS.md.
//   BENCH_SKIP_N8N=1 npm run bench   in-process, memory and package only
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot } from '../lib/n8n.mjs';
import { measureMemory, measureStages, measureWebhook } from './in-process.mjs';
import { measureN8n, measureQueueMode } from './n8n-load.mjs';
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
		['after 100,000 duplicate deliveries', mb(memory.afterDuplicates), `${memory.emittedDuplicates} (duplicates acknowledged: ${memory.duplicates})`, String(memory.remembered)],
	],
);
say(`Growth over 100,000 distinct events: ${mb(memory.afterDistinct - memory.before)} (the bound is 10,000 remembered ids per node); over 100,000 duplicates: ${mb(memory.afterDuplicates - memory.afterDistinct)}.`);
say();

say('## Package');
say();
const pkg = await measurePackage();
table(
	['tarball', 'unpacked', 'files', 'require() cold (incl. zod), median of 9', 'require() with zod and crypto already loaded (as in n8n)'],
	[[kb(pkg.tarballBytes), kb(pkg.unpackedBytes), String(pkg.files), `${pkg.requireColdMs.toFixed(1)} ms`, `${pkg.requireWithZodMs.toFixed(1)} ms`]],
);

const n8nSummaries = [];
if (!process.env.BENCH_SKIP_N8N) {
	say('## In real n8n 2.x: throughput and latency');
	say();
	say('One n8n instance (SQLite, executions saved, as installed by `npm start`), five workflows in the same run: (a) our trigger with all ten outputs wired to No Op nodes, with Authentication None, (a\') the same with the signature verified, (a0) our trigger alone with no outputs wired (our node\'s own cost, without n8n running a downstream node); (b) the baseline a user builds today: Webhook node, Set node producing the same fields, Switch node on `messageType` with nine rules and a fallback (the same ten outputs) wired to No Op nodes; (c) a bare Webhook node, n8n\'s own floor. Load: autocannon on loopback, 10 connections, 15 s per workflow per round, two interleaved rounds after a warm-up; the body is HighLevel\'s inbound SMS example. "Accepted/s" counts 2xx answers per second; "completed/s" counts executions n8n finished (read from its database), from the start of the load until the last one finished. Rows show the median of the rounds; "2xx answers" and "executions" add up all rounds (executions can exceed answers by the requests still in flight when a timed load stops).');
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
			executions: group.reduce((sum, row) => sum + row.executions, 0),
			answered: group.reduce((sum, row) => sum + row.accepted, 0),
			errors: group.reduce((sum, row) => sum + row.errors + row.non2xx, 0),
		}));
	};
	const summaryTable = (summary) =>
		table(
			['workflow', 'accepted/s', 'completed/s', 'p50 ms', 'p99 ms', '2xx answers', 'executions', 'errors'],
			summary.map((row) => [row.name, fmt(row.accepted), fmt(row.completed), fmt(row.p50), fmt(row.p99), String(row.answered), String(row.executions), String(row.errors)]),
		);
	let singleDefault;
	for (const [label, env] of [
		["n8n's defaults", {}],
		['`N8N_EXPRESSION_ENGINE=legacy`', { N8N_EXPRESSION_ENGINE: 'legacy' }],
	]) {
		const result = await measureN8n({ env });
		say(`### n8n ${result.version}, ${label}`);
		say();
		const summary = summarise(result.rows);
		singleDefault ??= summary;
		n8nSummaries.push([label, summary]);
		summaryTable(summary);
		const find = (prefix) => summary.find((row) => row.name.startsWith(prefix));
		const [ours, unwired, baseline, floor] = ['(a)', '(a0)', '(b)', '(c)'].map(find);
		say(`Ratios, completed/s: (a)/(b) = ${(ours.completed / baseline.completed).toFixed(2)}, (a)/(c) = ${(ours.completed / floor.completed).toFixed(2)}, (a0)/(c) = ${(unwired.completed / floor.completed).toFixed(2)}. Accepted/s: (a)/(b) = ${(ours.accepted / baseline.accepted).toFixed(2)}, (a)/(c) = ${(ours.accepted / floor.accepted).toFixed(2)}.`);
		say();
	}

	say('## Queue mode next to single-process n8n');
	say();
	say('PostgreSQL and Redis (Debian packages, loopback), n8n main + two `n8n webhook` processes + one `n8n worker`, n8n defaults; load split over both webhook processes (two autocannon instances, 5 connections each), same method and body as above. The single-process row is (a) from the n8n-defaults table above (SQLite).');
	say();
	const queue = await measureQueueMode();
	const queueSummary = summarise(queue.rows);
	summaryTable([singleDefault.find((row) => row.name.startsWith('(a)')), ...queueSummary]);
}

say('## Targets');
say();
const verifyAlone = stageResults[0].stages[0][1].medianUs;
const verdict = (ok) => (ok ? 'met' : 'missed');
const targetRows = [
	['in-process, SMS, signature on', '< 150 µs median', `${fmt(sms.on.medianUs)} µs`, verdict(sms.on.medianUs < 150), `Ed25519 verification alone (Node's OpenSSL) takes ${fmt(verifyAlone)} µs median on this CPU`],
	['in-process, 20 KB email, signature on', '< 1,000 µs median', `${fmt(big.on.medianUs)} µs`, verdict(big.on.medianUs < 1000), ''],
	['in-process, SMS, signature off', '< 30 µs median', `${fmt(sms.off.medianUs)} µs`, verdict(sms.off.medianUs < 30), ''],
	['memory after 100,000 events', 'no growth beyond the dedupe bound', `${mb(memory.afterDistinct - memory.before)} for 10,000 remembered ids; +${mb(Math.max(0, memory.afterDuplicates - memory.afterDistinct))} after 100,000 duplicates`, verdict(memory.remembered <= 10_000 && memory.afterDuplicates - memory.afterDistinct < 1024 * 1024), ''],
	['tarball', '< 60 KB', kb(pkg.tarballBytes), verdict(pkg.tarballBytes < 60 * 1024), ''],
	['require() of the node', '< 30 ms', `${pkg.requireWithZodMs.toFixed(1)} ms in n8n (${pkg.requireColdMs.toFixed(1)} ms cold, incl. loading zod)`, verdict(pkg.requireWithZodMs < 30), ''],
];
for (const [label, summary] of n8nSummaries) {
	const find = (prefix) => summary.find((row) => row.name.startsWith(prefix));
	const [ours, unwired, baseline, floor] = ['(a)', '(a0)', '(b)', '(c)'].map(find);
	targetRows.push([`n8n (${label}): ours ≥ baseline (b)`, 'completed/s ratio ≥ 1', `${(ours.completed / baseline.completed).toFixed(2)} (accepted/s ${(ours.accepted / baseline.accepted).toFixed(2)})`, verdict(ours.completed >= baseline.completed), '']);
	targetRows.push([
		`n8n (${label}): within 10% of the bare floor (c)`,
		'completed/s ratio ≥ 0.90',
		`${(ours.completed / floor.completed).toFixed(2)}; our node alone (a0): ${(unwired.completed / floor.completed).toFixed(2)}; accepted/s ${(ours.accepted / floor.accepted).toFixed(2)}`,
		verdict(ours.completed >= 0.9 * floor.completed),
		'(a) makes n8n run one more node per event than (c), which has none; (a0) is the node itself',
	]);
}
table(['target', 'goal', 'measured', '', 'what limits it'], targetRows);

writeFileSync(path.join(repoRoot, 'BENCHMARKS.md'), `${lines.join('\n').trimEnd()}\n`);
console.error('\nwrote BENCHMARKS.md');
