// The n8n installer on a real n8n install: a cache whose sqlite3 binding is gone
// (what a rebuild that silently built nothing leaves behind) is detected on reuse,
// repaired with a one-line explanation, and n8n can open its database again.
// Run under `npm run test:e2e`, so npm's own npm_config_ignore_scripts=true is in
// the environment, as it was when the rebuild used to build nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

import { ensureN8n, repoRoot } from '../../scripts/lib/n8n.mjs';

const run = promisify(execFile);
const installer = path.join(repoRoot, 'scripts', 'install-n8n.sh');

describe('scripts/install-n8n.sh on a real n8n 1.x install', () => {
	it('detects a broken sqlite3 on reuse and repairs it, even with npm_config_ignore_scripts=true', async () => {
		const runtime = await ensureN8n(1);
		const binding = path.join(runtime.dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
		assert.ok(existsSync(binding), 'a checked install has its sqlite3 binding');
		await run('bash', [installer, 'check', runtime.dir]);

		renameSync(binding, `${binding}.moved-by-test`);
		await assert.rejects(run('bash', [installer, 'check', runtime.dir]), /sqlite3 cannot be loaded/);

		const { stdout, stderr } = await run('bash', [installer, '1'], {
			env: { ...process.env, npm_config_ignore_scripts: 'true' },
			maxBuffer: 1 << 24,
			timeout: 15 * 60_000,
		});
		assert.match(stderr, /is broken \(sqlite3 cannot be loaded[^)]*\): repairing it/);
		assert.match(stderr, /repaired/);
		assert.equal(stdout.trim(), runtime.dir);
		assert.ok(existsSync(binding), 'sqlite3 was rebuilt');
		await run('bash', [installer, 'check', runtime.dir]);
		// n8n itself creates and opens its SQLite database with it.
		const userFolder = await mkdtemp(path.join(tmpdir(), 'hl-installer-e2e-'));
		try {
			await run(runtime.node, [runtime.bin, 'list:workflow'], {
				env: { ...process.env, N8N_EXPRESSION_ENGINE: 'legacy', N8N_USER_FOLDER: userFolder, N8N_DIAGNOSTICS_ENABLED: 'false' },
				timeout: 180_000,
			});
			assert.ok(existsSync(path.join(userFolder, '.n8n', 'database.sqlite')));
		} finally {
			await rm(userFolder, { recursive: true, force: true });
		}
	});
});
