#!/usr/bin/env node
// `npm run test:mutation`: StrykerJS over the nodes' modules, one file at a time
// (a whole-project run needs more memory and time than a 2-core machine has, and a
// per-file report says which module's tests are weak). Not part of `npm test` or
// CI. Writes reports/mutation/<file>.html and .json per file and
// reports/mutation/summary.md (the table the README quotes).
//
//   node scripts/mutation/run.mjs                      every file below
//   node scripts/mutation/run.mjs nodes/HighLevel/channel.ts ...   only these
//   node scripts/mutation/run.mjs --summary            only re-read the reports
//
// MUTATION_LOCK=/path/to/lockfile runs each file under `flock` on that file, so
// that runs never overlap with other CPU-heavy work that takes the same lock.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const reportDir = path.join(repoRoot, 'reports', 'mutation');

/** Every .ts file under a folder (sorted), skipping n8n parameter descriptions. */
function tsFilesUnder(folder) {
	const out = [];
	for (const entry of readdirSync(path.join(repoRoot, folder)).sort()) {
		const relative = `${folder}/${entry}`;
		if (statSync(path.join(repoRoot, relative)).isDirectory()) {
			// description/: the editor's labels and option lists (data, not logic).
			if (entry !== 'description') out.push(...tsFilesUnder(relative));
		} else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(relative);
	}
	return out;
}

const MUTATED_FILES = [
	// Shared HighLevel knowledge.
	'nodes/HighLevel/channel.ts',
	'nodes/HighLevel/normalize.ts',
	'nodes/HighLevel/schema.ts',
	'nodes/HighLevel/html-to-text.ts',
	'nodes/HighLevel/sender.ts',
	// The trigger.
	'nodes/HighLevel/trigger/accept.ts',
	'nodes/HighLevel/trigger/attachments.ts',
	'nodes/HighLevel/trigger/authenticate.ts',
	'nodes/HighLevel/trigger/signature.ts',
	'nodes/HighLevel/trigger/request-body.ts',
	'nodes/HighLevel/trigger/ledger.ts',
	'nodes/HighLevel/trigger/database-ledger.ts',
	'nodes/HighLevel/trigger/redis-ledger.ts',
	'nodes/HighLevel/trigger/ledgers.ts',
	'nodes/HighLevel/trigger/address-guard.ts',
	'nodes/HighLevel/trigger/guarded-fetch.ts',
	'nodes/HighLevel/trigger/enrich.ts',
	'nodes/HighLevel/trigger/enrich-api.ts',
	'nodes/HighLevel/HighLevelMessageTrigger.node.ts',
	// The action node.
	...tsFilesUnder('nodes/HighLevel/api'),
	...tsFilesUnder('nodes/HighLevel/conversations'),
	'nodes/HighLevel/HighLevelConversations.node.ts',
];

/**
 * The suites that test each module. Without an entry Stryker runs every suite
 * that imports the file (jest --findRelatedTests); module-level tables are
 * "static" mutants that rerun all of them, so the focused suites keep a run to
 * minutes instead of hours.
 */
const TESTS = {
	'nodes/HighLevel/channel.ts': ['test/channel.test.ts'],
	'nodes/HighLevel/normalize.ts': ['test/normalize.test.ts', 'test/normalize-fields.test.ts', 'test/workflow-webhook.test.ts'],
	'nodes/HighLevel/schema.ts': ['test/schema.test.ts', 'test/normalize.test.ts', 'test/normalize-fields.test.ts', 'test/workflow-webhook.test.ts'],
	'nodes/HighLevel/html-to-text.ts': ['test/html-to-text.test.ts', 'test/linear-time.test.ts'],
	'nodes/HighLevel/trigger/accept.ts': ['test/accept.test.ts', 'test/id-list.test.ts', 'test/binding.test.ts', 'test/replay.test.ts', 'test/webhook.test.ts'],
	'nodes/HighLevel/trigger/attachments.ts': ['test/attachment-downloads.test.ts', 'test/attachments.test.ts'],
	'nodes/HighLevel/trigger/authenticate.ts': ['test/signature.test.ts'],
	'nodes/HighLevel/trigger/signature.ts': ['test/signature.test.ts'],
	'nodes/HighLevel/trigger/request-body.ts': ['test/request-body.test.ts'],
	'nodes/HighLevel/trigger/ledger.ts': ['test/ledger.test.ts', 'test/delivery.test.ts'],
	'nodes/HighLevel/trigger/database-ledger.ts': ['test/ledger.test.ts', 'test/restart.test.ts'],
	'nodes/HighLevel/trigger/redis-ledger.ts': ['test/redis-ledger.test.ts'],
	'nodes/HighLevel/trigger/ledgers.ts': ['test/ledgers.test.ts', 'test/ledger.test.ts', 'test/restart.test.ts'],
	'nodes/HighLevel/trigger/address-guard.ts': ['test/address-guard.test.ts'],
	'nodes/HighLevel/trigger/guarded-fetch.ts': ['test/attachment-downloads.test.ts', 'test/address-guard.test.ts'],
	'nodes/HighLevel/sender.ts': ['test/sender.test.ts', 'test/normalize.test.ts'],
	'nodes/HighLevel/trigger/enrich.ts': ['test/enrich.test.ts', 'test/enrichment.test.ts'],
	'nodes/HighLevel/trigger/enrich-api.ts': ['test/enrich.test.ts', 'test/enrichment.test.ts'],
	// The suites that drive webhook() through the harness, less the slow ones (random
	// input; enrichment, whose wiring in the node file is two calls): each mutant of
	// the description reruns all of them.
	'nodes/HighLevel/HighLevelMessageTrigger.node.ts': [
		'test/trigger-node.test.ts',
		'test/trigger-node-webhook.test.ts',
		'test/webhook.test.ts',
		'test/binding.test.ts',
		'test/delivery.test.ts',
		'test/replay.test.ts',
		'test/restart.test.ts',
		'test/trigger-log.test.ts',
		'test/workflow-webhook.test.ts',
		'test/attachments.test.ts',
		'test/request-body.test.ts',
		'test/signature.test.ts',
		'test/package.test.ts',
	],
};

/**
 * Modules that build something once and cache it (schema.ts builds its zod schemas, ledgers.ts asks the host once
 * on first use): per-test coverage credits that build to whichever test ran first,
 * so Stryker would try a mutant there against that one test only and report
 * survivors that the rest of the suite kills. These run every focused suite
 * against every mutant instead.
 */
const ALL_TESTS_PER_MUTANT = new Set(['nodes/HighLevel/schema.ts', 'nodes/HighLevel/trigger/ledgers.ts']);

/** The API client's own suites, one per module, and the trigger's enrichment unit suite that uses it. */
const API_SUITES = [
	'test/api-failure.test.ts',
	'test/api-errors.test.ts',
	'test/api-connection.test.ts',
	'test/api-request.test.ts',
	'test/api-recording.test.ts',
	'test/api-message-text.test.ts',
	'test/api-wait.test.ts',
	'test/enrich.test.ts',
];

/** The action node's own suites: every test/conversations-*.test.ts. */
const ACTION_SUITES = readdirSync(path.join(repoRoot, 'test'))
	.filter((entry) => entry.startsWith('conversations-') && entry.endsWith('.test.ts'))
	.sort()
	.map((entry) => `test/${entry}`);

/** The action node's modules: its own suites (they drive the API client the trigger's enrichment shares). */
function testsOf(file) {
	if (TESTS[file] !== undefined) return TESTS[file];
	const action = ACTION_SUITES;
	if (file.startsWith('nodes/HighLevel/api/')) return [...API_SUITES, ...action];
	if (file.startsWith('nodes/HighLevel/conversations/') || file.endsWith('HighLevelConversations.node.ts')) return action;
	return [];
}

function reportName(file) {
	return file.replace(/^nodes\/HighLevel\//, '').replace(/\.ts$/, '').replace(/\//g, '__');
}

/**
 * Files tested by the same suites run in one Stryker process: the sandbox copy and
 * the initial test run are paid once (the action node's thirty small files would
 * otherwise spend most of their time on set-up). The reports stay per file: the
 * summary splits each JSON report by the files inside it.
 */
function groupsOf(files) {
	const groups = new Map();
	for (const file of files) {
		const key = `${ALL_TESTS_PER_MUTANT.has(file)}:${testsOf(file).join(',')}`;
		// Files without focused suites keep their own run (findRelatedTests differs per file).
		const id = testsOf(file).length === 0 ? `self:${file}` : key;
		if (!groups.has(id)) groups.set(id, []);
		groups.get(id).push(file);
	}
	return [...groups.values()];
}

function runGroup(files) {
	const name = files.length === 1 ? reportName(files[0]) : `${reportName(files[0])}+${files.length - 1}`;
	const stryker = [path.join(repoRoot, 'node_modules', '.bin', 'stryker'), 'run', 'stryker.config.mjs', '--mutate', files.join(',')];
	if (files.some((file) => ALL_TESTS_PER_MUTANT.has(file))) stryker.push('--coverageAnalysis', 'all');
	const lock = process.env.MUTATION_LOCK;
	const [command, ...args] = lock ? ['flock', lock, ...stryker] : stryker;
	const started = Date.now();
	console.log(`\n[mutation] ${files.join(' ')}`);
	const result = spawnSync(command, args, {
		cwd: repoRoot,
		stdio: 'inherit',
		env: {
			...process.env,
			MUTATION_REPORT: `reports/mutation/${name}`,
			MUTATION_TESTS: testsOf(files[0]).join(','),
			// The sandbox is a copy of this folder: ../shared would not be beside it.
			HIGHLEVEL_SHARED_DIR: process.env.HIGHLEVEL_SHARED_DIR || path.resolve(repoRoot, '..', 'shared'),
		},
	});
	console.log(`[mutation] ${files.join(' ')}: exit ${result.status} in ${Math.round((Date.now() - started) / 1000)} s`);
	return result.status === 0;
}

/** Counts of one file's mutants in a Stryker JSON report (mutation-testing-report-schema). */
function countsOf(mutants) {
	const counts = { Killed: 0, Survived: 0, Timeout: 0, NoCoverage: 0, Ignored: 0, CompileError: 0, RuntimeError: 0 };
	for (const mutant of mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
	const detected = counts.Killed + counts.Timeout;
	const valid = detected + counts.Survived + counts.NoCoverage;
	return { ...counts, score: valid === 0 ? null : (100 * detected) / valid };
}

/** Each file's mutants from the newest report that mutated it. */
function latestMutants() {
	const latest = new Map();
	if (!existsSync(reportDir)) return latest;
	for (const entry of readdirSync(reportDir)) {
		if (!entry.endsWith('.json')) continue;
		const json = path.join(reportDir, entry);
		const time = statSync(json).mtimeMs;
		const report = JSON.parse(readFileSync(json, 'utf8'));
		// A file Stryker was asked to mutate but found nothing in (types, re-exports) has no entry in `files`.
		const mutated = [...(report.config?.mutate ?? []), ...Object.keys(report.files)];
		for (const file of mutated) {
			const known = latest.get(file);
			if (known === undefined || known.time < time) latest.set(file, { time, mutants: report.files[file]?.mutants ?? [] });
		}
	}
	return latest;
}

function summary() {
	const rows = [];
	const latest = latestMutants();
	for (const file of MUTATED_FILES) {
		if (!latest.has(file)) {
			rows.push(`| \`${file.replace(/^nodes\/HighLevel\//, '')}\` | not run | | | | | |`);
			continue;
		}
		const c = countsOf(latest.get(file).mutants);
		const score = c.score === null ? 'nothing to mutate' : `${c.score.toFixed(1)} %`;
		rows.push(
			`| \`${file.replace(/^nodes\/HighLevel\//, '')}\` | ${c.Killed} | ${c.Survived} | ${c.Timeout} | ${c.NoCoverage} | ${c.Ignored} | ${score} |`,
		);
	}
	const table = [
		'| file | killed | survived | timeout | no coverage | equivalent (disabled) | score |',
		'|---|---:|---:|---:|---:|---:|---:|',
		...rows,
	].join('\n');
	mkdirSync(reportDir, { recursive: true });
	writeFileSync(path.join(reportDir, 'summary.md'), `${table}\n`);
	console.log(`\n${table}\n\nreports/mutation/summary.md, one HTML report per file beside it.`);
}

const args = process.argv.slice(2);
if (!args.includes('--summary')) {
	const files = args.length > 0 ? args : MUTATED_FILES;
	const unknown = files.filter((file) => !MUTATED_FILES.includes(file));
	if (unknown.length > 0) {
		console.error(`not in the mutated set: ${unknown.join(', ')}`);
		process.exit(2);
	}
	const failed = groupsOf(files)
		.filter((group) => !runGroup(group))
		.flat();
	summary();
	if (failed.length > 0) {
		console.error(`Stryker failed on: ${failed.join(', ')}`);
		process.exit(1);
	}
} else summary();
