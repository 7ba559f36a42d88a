// StrykerJS, run one file at a time by scripts/mutation/run.mjs (`npm run
// test:mutation`), which passes `--mutate <file>` and, in MUTATION_REPORT, the report
// path without extension. Not part of `npm test` or CI: it takes tens of minutes on
// a 2-core machine.
import os from 'node:os';
import path from 'node:path';

const report = process.env.MUTATION_REPORT || 'reports/mutation/mutation';
// MUTATION_TESTS: comma-separated test files for this module (run.mjs's map); the
// default is every suite that imports it (jest --findRelatedTests).
const tests = (process.env.MUTATION_TESTS || '').split(',').filter(Boolean);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'jest',
	jest: {
		projectType: 'custom',
		configFile: 'jest.config.js',
		enableFindRelatedTests: tests.length === 0,
		...(tests.length > 0 ? { config: { testMatch: tests.map((file) => `<rootDir>/${file}`) } } : {}),
	},
	coverageAnalysis: 'perTest',
	// MUTATION_CONCURRENCY: test-runner processes (2 on an idle 2-core machine).
	concurrency: Number(process.env.MUTATION_CONCURRENCY || 1),
	// Some suites start real servers (HTTP file server, redis-server): slower than pure code.
	// MUTATION_TIMEOUT_MS: more on a machine that is busy with other work, where a slow
	// run would otherwise be counted as a killed (timed-out) mutant.
	timeoutMS: Number(process.env.MUTATION_TIMEOUT_MS || 5000),
	timeoutFactor: 1.5,
	// The sandbox is a copy of the project; the examples and keys stay in ../shared
	// (HIGHLEVEL_SHARED_DIR, set by run.mjs).
	ignorePatterns: ['reports', 'test-artifacts', '.n8n-e2e', '*.tgz'],
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: { fileName: `${report}.html` },
	jsonReporter: { fileName: `${report}.json` },
	// Outside the project: `n8n-node lint` lints every .ts file under it (and its
	// strict mode allows no ignore list), so a sandbox inside would fail `npm test`.
	tempDirName: process.env.MUTATION_TEMP_DIR || path.join(os.tmpdir(), 'stryker-n8n-nodes-highlevel-messages'),
	cleanTempDir: true,
	thresholds: { high: 90, low: 80, break: null },
};
