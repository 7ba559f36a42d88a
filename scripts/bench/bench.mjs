// npm run bench: prints the numbers and writes BENCHMARKS.md.
//   BENCH_SKIP_N8N=1 npm run bench   in-process, memory and package only
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot } from '../lib/n8n.mjs';
import { measureMemory, measureStages, measureWebhook } from './in-process.mjs';
import { measureN8n } from './n8n-load.mjs';
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
for (const { name, stages } of await measureStages()) {
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

if (!process.env.BENCH_SKIP_N8N) {
	say('## In real n8n 2.x: throughput and latency');
	say();
	say('One n8n instance (SQLite, executions saved, as installed by `npm start`), four workflows in the same run: (a) our trigger with all ten outputs wired to No Op nodes, with Authentication None and (a\') with the signature verified; (b) the baseline a user builds today: Webhook node, Set node producing the same fields, Switch node on `messageType` with nine rules and a fallback (the same ten outputs) wired to No Op nodes; (c) a bare Webhook node, n8n\'s own floor. Load: autocannon on loopback, 10 connections, 15 s per workflow per round, two interleaved rounds after a warm-up; the body is HighLevel\'s inbound SMS example. "Accepted/s" counts 2xx answers per second; "completed/s" counts executions n8n finished (read from its database), from the start of the load until the last one finished. Rows show the median of the rounds.');
	say();
	for (const [label, env] of [
		["n8n's defaults", {}],
		['`N8N_EXPRESSION_ENGINE=legacy`', { N8N_EXPRESSION_ENGINE: 'legacy' }],
	]) {
		const result = await measureN8n({ env });
		const byName = new Map();
		for (const row of result.rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
		const median = (rows, key) => {
			const values = rows.map((row) => row[key]).sort((a, b) => a - b);
			return values.length % 2 ? values[(values.length - 1) / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
		};
		say(`### n8n ${result.version}, ${label}`);
		say();
		const summary = [...byName].map(([name, rows]) => ({
			name,
			accepted: median(rows, 'intakeRps'),
			completed: median(rows, 'completedPerSecond'),
			p50: median(rows, 'p50Ms'),
			p99: median(rows, 'p99Ms'),
			lost: rows.reduce((sum, row) => sum + row.accepted - row.executions, 0),
			errors: rows.reduce((sum, row) => sum + row.errors + row.non2xx, 0),
		}));
		table(
			['workflow', 'accepted/s', 'completed/s', 'p50 ms', 'p99 ms', 'errors', 'accepted but not run'],
			summary.map((row) => [row.name, fmt(row.accepted), fmt(row.completed), fmt(row.p50), fmt(row.p99), String(row.errors), String(row.lost)]),
		);
		const [ours, , baseline, floor] = summary;
		say(`Ratios (completed/s): (a)/(b) = ${(ours.completed / baseline.completed).toFixed(2)}, (a)/(c) = ${(ours.completed / floor.completed).toFixed(2)}; (accepted/s): (a)/(b) = ${(ours.accepted / baseline.accepted).toFixed(2)}, (a)/(c) = ${(ours.accepted / floor.accepted).toFixed(2)}.`);
		say();
	}
}

writeFileSync(path.join(repoRoot, 'BENCHMARKS.md'), `${lines.join('\n').trimEnd()}\n`);
console.error('\nwrote BENCHMARKS.md');
