// A real npm registry on loopback (verdaccio, from the npm registry), so that n8n
// can install this package the way most users do: Settings > Community Nodes >
// Install, which runs `npm pack <name>@<version>` against n8n's configured
// registry (N8N_COMMUNITY_PACKAGES_REGISTRY).
//
// verdaccio is installed once into the same cache as n8n (outside the repo: it is
// a test service, not a dependency of the package), pinned to 6.8.0, which runs on
// Node 20 once its node-fetch is held at 2.7.0.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freePort, sleep } from './n8n.mjs';

const run = promisify(execFile);
const log = (...args) => console.error('[registry]', ...args);
const VERSION = '6.8.0';

/** npm's environment without this project's npm_config_* (see scripts/install-n8n.sh). */
export function cleanNpmEnv(extra = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name)));
	return { ...env, ...extra };
}

async function ensureVerdaccio() {
	const cache = process.env.HL_N8N_CACHE ?? path.join(homedir(), '.cache', 'n8n-nodes-highlevel-messages');
	const dir = path.join(cache, `verdaccio-${VERSION}`);
	const bin = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	if (existsSync(path.join(dir, '.complete')) && existsSync(bin)) return bin;
	log(`installing verdaccio@${VERSION} into ${dir} (first time only, about a minute)`);
	await rm(dir, { recursive: true, force: true });
	await mkdir(dir, { recursive: true });
	await writeFile(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: 'verdaccio-runtime', private: true, overrides: { 'node-fetch': '2.7.0' } }),
	);
	await run('npm', ['install', `verdaccio@${VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: dir,
		env: cleanNpmEnv(),
		timeout: 15 * 60_000,
		maxBuffer: 1 << 24,
	});
	await writeFile(path.join(dir, '.complete'), '');
	return bin;
}

/**
 * Starts an empty registry that proxies nothing (so every package it serves is
 * one the test published), with a user allowed to publish.
 */
export async function startRegistry() {
	const bin = await ensureVerdaccio();
	const dir = await mkdtemp(path.join(tmpdir(), 'hl-registry-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const config = path.join(dir, 'config.yaml');
	await writeFile(
		config,
		[
			`storage: ${path.join(dir, 'storage')}`,
			'auth:',
			'  htpasswd:',
			`    file: ${path.join(dir, 'htpasswd')}`,
			'uplinks: {}',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'    unpublish: $authenticated',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const output = [];
	const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: cleanNpmEnv(),
	});
	child.stdout.on('data', (chunk) => output.push(String(chunk)));
	child.stderr.on('data', (chunk) => output.push(String(chunk)));
	for (let attempt = 0; ; attempt++) {
		if (child.exitCode !== null) throw new Error(`verdaccio exited: ${output.join('').slice(-2000)}`);
		try {
			if ((await fetch(`${url}/-/ping`)).ok) break;
		} catch {
			// not listening yet
		}
		if (attempt > 120) throw new Error(`verdaccio did not start: ${output.join('').slice(-2000)}`);
		await sleep(500);
	}
	// A user, as `npm adduser` would create one; its token publishes.
	const user = await fetch(`${url}/-/user/org.couchdb.user:hl-test`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'hl-test', password: 'hl-test-password' }),
	});
	const { token } = await user.json();
	if (!token) throw new Error(`verdaccio gave no token (${user.status})`);
	const auth = `--//127.0.0.1:${port}/:_authToken=${token}`;

	return {
		url,
		/** `npm publish` of a packed tarball, as a package author would. */
		async publish(tarball) {
			await run('npm', ['publish', tarball, `--registry=${url}`, auth, '--ignore-scripts', '--no-provenance'], {
				env: cleanNpmEnv(),
				cwd: dir,
			});
		},
		async stop() {
			child.kill('SIGTERM');
			await rm(dir, { recursive: true, force: true });
		},
	};
}

/** A copy of a packed tarball with another version in its package.json (the "update"). */
export async function repackWithVersion(tarball, version) {
	const dir = await mkdtemp(path.join(tmpdir(), 'hl-repack-'));
	await run('tar', ['-xzf', tarball, '-C', dir]);
	const manifest = path.join(dir, 'package', 'package.json');
	const json = JSON.parse(await readFile(manifest, 'utf8'));
	json.version = version;
	await writeFile(manifest, JSON.stringify(json, null, 2));
	const { stdout } = await run('npm', ['pack', path.join(dir, 'package'), '--pack-destination', dir, '--silent', '--ignore-scripts'], {
		env: cleanNpmEnv(),
	});
	return { tarball: path.join(dir, stdout.trim().split('\n').pop()), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
