// A throw-away redis-server on a free loopback port, for the Redis ledger tests.
// CommonJS for the same reason as io.cjs: n8n's lint forbids child_process,
// process and timers in TypeScript, and this never ships.
//
// The Debian package puts the server at /usr/bin/redis-server (REDIS_SERVER
// overrides). Without it the tests are skipped on a developer machine, but fail
// under CI=true, where the workflow installs it before the unit tests.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');

const binary = process.env.REDIS_SERVER || '/usr/bin/redis-server';

function redisServerInstalled() {
	return fs.existsSync(binary);
}

/** Whether a missing redis-server must fail the tests instead of skipping them. */
function redisRequired() {
	return process.env.CI === 'true' || process.env.CI === '1';
}

async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** PING over a raw connection: true once the server answers +PONG. */
async function pings(port) {
	return await new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(500, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts redis-server (no persistence, loopback only) and resolves once it
 * answers PING: { host, port, stop() }.
 */
async function startRedisServer() {
	if (!redisServerInstalled()) {
		throw new Error(`redis-server not found at ${binary}: install it (apt-get install -y redis-server) or set REDIS_SERVER`);
	}
	const port = await freePort();
	const child = spawn(
		binary,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'],
		{ stdio: ['ignore', 'ignore', 'pipe'] },
	);
	let stderr = '';
	child.stderr.on('data', (chunk) => {
		stderr += chunk.toString();
	});
	let exited = false;
	const exit = new Promise((resolve) => child.once('exit', (code, signal) => {
		exited = true;
		resolve({ code, signal });
	}));
	const deadline = Date.now() + 15_000;
	while (!(await pings(port))) {
		if (exited || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`redis-server did not start on port ${port}: ${stderr.trim() || 'no output'}`);
		}
		await sleep(50);
	}
	return {
		host: '127.0.0.1',
		port,
		async stop() {
			if (exited) return;
			child.kill('SIGTERM');
			await exit;
		},
	};
}

module.exports = { redisServerInstalled, redisRequired, startRedisServer };
