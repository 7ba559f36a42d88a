// PostgreSQL and Redis from Debian's packages, started on loopback in throwaway
// folders for n8n's queue mode. Installed with apt-get when missing.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freePort, sleep } from './n8n.mjs';

const run = promisify(execFile);
const log = (...args) => console.error('[services]', ...args);

export async function ensureDebianPackages() {
	const missing = [];
	if (!postgresBin()) missing.push('postgresql');
	if (!existsSync('/usr/bin/redis-server')) missing.push('redis-server');
	if (missing.length === 0) return;
	log(`installing ${missing.join(', ')} with apt-get`);
	await run('apt-get', ['update', '-qq'], { timeout: 600_000 });
	await run('apt-get', ['install', '-y', '-qq', ...missing], {
		timeout: 900_000,
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
}

function postgresBin() {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

/** PostgreSQL runs as the `postgres` user (it refuses root), trust auth on loopback. */
export async function startPostgres() {
	const bin = postgresBin();
	const dir = await mkdtemp(path.join(tmpdir(), 'hl-pg-'));
	await chmod(dir, 0o777);
	const data = path.join(dir, 'data');
	const port = await freePort();
	const asPostgres = (command, args) => run('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args], { timeout: 120_000 });
	await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
	await asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'postgres.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
	await run(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE n8n']);
	return {
		port,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		},
		/** SQL against n8n's database; returns rows as arrays of strings. */
		async query(sql) {
			const { stdout } = await run(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'n8n', '-At', '-F', '\t', '-c', sql], {
				maxBuffer: 1 << 28,
			});
			return stdout.split('\n').filter(Boolean).map((line) => line.split('\t'));
		},
		async stop() {
			await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
			await rm(dir, { recursive: true, force: true });
		},
	};
}

export async function startRedis() {
	const port = await freePort();
	const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: 'ignore',
	});
	for (let attempt = 0; attempt < 100; attempt++) {
		try {
			const { stdout } = await run('/usr/bin/redis-cli', ['-p', String(port), 'ping']);
			if (stdout.trim() === 'PONG') break;
		} catch {
			// not up yet
		}
		await sleep(100);
	}
	return {
		port,
		env: { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		async stop() {
			child.kill('SIGTERM');
		},
	};
}
