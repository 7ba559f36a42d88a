/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	// The first accepted delivery in a suite loads n8n-core for the ledger: a second on
	// an idle machine, over five on a busy one (mutation testing, a parallel build).
	// Tests that promise an answer in time carry their own deadlines.
	testTimeout: 30_000,
};
