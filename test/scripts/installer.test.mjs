// The n8n installer's health check (scripts/install-n8n.sh check DIR): an install
// whose sqlite3 cannot load or cannot open a database is never trusted. Run by
// `npm test` with node's test runner; the real repair of a real n8n install is in
// test/e2e/installer.e2e.test.mjs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const installer = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'install-n8n.sh');
const folders = [];

/** An install folder shaped like the real one, with the given sqlite3 module source. */
async function fakeInstall(sqlite3Source) {
	const dir = await mkdtemp(path.join(tmpdir(), 'hl-installer-test-'));
	folders.push(dir);
	await mkdir(path.join(dir, 'node_modules', 'n8n', 'bin'), { recursive: true });
	await writeFile(path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), '');
	await writeFile(path.join(dir, 'node_modules', 'n8n', 'package.json'), '{"name":"n8n","version":"0.0.0"}');
	await symlink(process.execPath, path.join(dir, 'node'));
	if (sqlite3Source !== undefined) {
		await mkdir(path.join(dir, 'node_modules', 'sqlite3'), { recursive: true });
		await writeFile(path.join(dir, 'node_modules', 'sqlite3', 'index.js'), sqlite3Source);
		await writeFile(path.join(dir, 'node_modules', 'sqlite3', 'package.json'), '{"name":"sqlite3","main":"index.js"}');
	}
	return dir;
}

function check(dir) {
	return new Promise((resolve) => {
		execFile('bash', [installer, 'check', dir], (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stderr }));
	});
}

after(async () => {
	await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('scripts/install-n8n.sh check', () => {
	it('refuses an install whose sqlite3 native binding was never built (the npm ignore-scripts failure)', async () => {
		// What `require('sqlite3')` does when `npm rebuild sqlite3` built nothing.
		const dir = await fakeInstall("throw new Error('Could not locate the bindings file. Tried:\\n → build/Release/node_sqlite3.node');");
		const { code, stderr } = await check(dir);
		assert.notEqual(code, 0);
		assert.match(stderr, /sqlite3 cannot be loaded: Could not locate the bindings file/);
	});

	it('refuses an install whose sqlite3 loads but cannot open a database', async () => {
		const dir = await fakeInstall(
			"exports.Database = class { constructor(file, callback) { setImmediate(() => callback(new Error('SQLITE_CANTOPEN'))); } };",
		);
		const { code, stderr } = await check(dir);
		assert.notEqual(code, 0);
		assert.match(stderr, /sqlite3 cannot open a database: SQLITE_CANTOPEN/);
	});

	it('refuses an install with no sqlite3 at all, or no n8n', async () => {
		const noSqlite = await check(await fakeInstall(undefined));
		assert.notEqual(noSqlite.code, 0);
		assert.match(noSqlite.stderr, /sqlite3 cannot be loaded/);
		const empty = await mkdtemp(path.join(tmpdir(), 'hl-installer-test-'));
		folders.push(empty);
		const noN8n = await check(empty);
		assert.notEqual(noN8n.code, 0);
		assert.match(noN8n.stderr, /no Node|n8n is not installed/);
	});

	it('accepts an install whose sqlite3 opens a database and answers a query', async () => {
		const dir = await fakeInstall(`
			exports.Database = class {
				constructor(file, callback) { setImmediate(() => callback(null)); }
				get(sql, callback) { setImmediate(() => callback(null, sql === 'select 1 as ok' ? { ok: 1 } : undefined)); }
				close(callback) { setImmediate(callback); }
			};`);
		const { code, stderr } = await check(dir);
		assert.equal(code, 0, stderr);
	});
});
