// Real n8n instances for the demo, the end-to-end tests and the benchmark.
//
// Everything goes the way a self-hoster does it: n8n from the npm registry (cached
// outside the repo by scripts/install-n8n.sh), this package built, packed with
// `npm pack` and installed with npm into the instance's ~/.n8n/nodes, SQLite as
// the database, workflows imported and published with n8n's own CLI.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-highlevel-messages';
export const NODE_TYPE = `${PACKAGE_NAME}.highLevelMessageTrigger`;

const log = (...args) => console.error('[n8n]', ...args);

/**
 * n8n 2.x (2.40.7 on Node 24) or 1.x (1.123.81 on the machine's Node 20),
 * installed (and checked) by scripts/install-n8n.sh. Its progress lines go
 * straight to this process's stderr: a first install takes minutes.
 */
export async function ensureN8n(line) {
	const dir = await new Promise((resolve, reject) => {
		const child = spawn('bash', [path.join(repoRoot, 'scripts', 'install-n8n.sh'), String(line)], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let stdout = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve(stdout.trim().split('\n').pop()) : reject(new Error(`scripts/install-n8n.sh ${line} failed (exit ${code})`)),
		);
	});
	return {
		line,
		dir,
		node: path.join(dir, 'node'),
		bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		version: line === 2 ? '2.40.7' : '1.123.81',
	};
}

let packedTarball;
/** `npm run build` then `npm pack`, once per process. */
export async function packPackage() {
	if (packedTarball) return packedTarball;
	await run('npm', ['run', 'build'], { cwd: repoRoot, maxBuffer: 1 << 24 });
	const out = await mkdtemp(path.join(tmpdir(), 'hl-pack-'));
	// The tarball is needed for as long as this process installs instances.
	process.once('exit', () => rmSync(out, { recursive: true, force: true }));
	const { stdout } = await run('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: repoRoot });
	packedTarball = path.join(out, stdout.trim().split('\n').pop());
	return packedTarball;
}

export async function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Installs the tarball into <userFolder>/.n8n/nodes as `npm i` there would. */
async function installPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	await mkdir(nodesDir, { recursive: true });
	await writeFile(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	// Peer dependencies (n8n-workflow) are the host's own, exactly as n8n's
	// community package installer strips them.
	await run('npm', ['install', tarball, '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: nodesDir,
	});
}

export class N8nInstance {
	constructor(runtime, { userFolder, port, brokerPort, env = {} }) {
		this.runtime = runtime;
		this.userFolder = userFolder;
		this.port = port;
		this.brokerPort = brokerPort;
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.extraEnv = env;
		this.process = undefined;
		this.output = [];
	}

	env() {
		return {
			PATH: `${path.dirname(this.runtime.node)}:${process.env.PATH}`,
			HOME: this.userFolder,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			WEBHOOK_URL: `${this.baseUrl}/`,
			// A port of its own, not port + 1: that one may be any outgoing
			// connection's ephemeral port, and n8n exits when it cannot listen.
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_ENABLED: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: process.env.HL_N8N_LOG_LEVEL ?? 'warn',
			DB_SQLITE_POOL_SIZE: '2',
			N8N_ENCRYPTION_KEY: 'example-encryption-key-for-local-tests',
			// n8n 1.x's default expression engine needs isolated-vm, which has no
			// build for Node 20 (see shared/dev/ENVIRONMENT.md).
			...(this.runtime.line === 1 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
			...this.extraEnv,
		};
	}

	async cli(args) {
		const { stdout, stderr } = await run(this.runtime.node, [this.runtime.bin, ...args], {
			env: this.env(),
			cwd: this.userFolder,
			maxBuffer: 1 << 24,
			timeout: 5 * 60_000,
		});
		return stdout + stderr;
	}

	async importCredentials(credentials) {
		const file = path.join(this.userFolder, `credentials-${Date.now()}.json`);
		await writeFile(file, JSON.stringify(credentials));
		await this.cli(['import:credentials', `--input=${file}`]);
	}

	/** Imports and publishes (activates) a workflow; n8n must be stopped. */
	async importWorkflow(workflow) {
		const file = path.join(this.userFolder, `workflow-${workflow.id}.json`);
		await writeFile(file, JSON.stringify(workflow));
		await this.cli(['import:workflow', `--input=${file}`]);
		if (this.runtime.line === 2) await this.cli(['publish:workflow', `--id=${workflow.id}`]);
		else await this.cli(['update:workflow', `--id=${workflow.id}`, '--active=true']);
	}

	async start({ timeoutMs = 180_000 } = {}) {
		try {
			this.process = this.spawn('start');
			await this.waitReady(this.baseUrl, () => this.process, timeoutMs);
		} catch (error) {
			// A port picked as free can be taken before n8n binds it; then n8n
			// exits at once. Once more on fresh ports, then give up with its output.
			if (this.process.exitCode === null) throw error;
			console.error(`[n8n] start failed, retrying on new ports: ${error.message.slice(0, 2000)}`);
			this.port = await freePort();
			this.brokerPort = await freePort();
			this.baseUrl = `http://127.0.0.1:${this.port}`;
			this.process = this.spawn('start');
			await this.waitReady(this.baseUrl, () => this.process, timeoutMs);
		}
	}

	/**
	 * Starts another n8n process on the same user folder and database (queue
	 * mode: `webhook`, `worker`). Each gets its own ports.
	 */
	spawn(command, env = {}) {
		const child = spawn(this.runtime.node, [this.runtime.bin, command], {
			env: { ...this.env(), ...env },
			cwd: this.userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const keep = (chunk) => {
			this.output.push(`[${command}] ${chunk}`);
			if (this.output.length > 400) this.output.splice(0, 200);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		(this.children ??= []).push(child);
		return child;
	}

	async waitReady(baseUrl, getChild, timeoutMs = 180_000) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const child = getChild();
			if (child.exitCode !== null || child.signalCode !== null) {
				// 'exit' can come before the last output: wait for the pipes to close.
				if (child.stdout && !child.stdout.closed) await new Promise((resolve) => child.once('close', resolve));
				throw new Error(`n8n exited early (code ${child.exitCode}, signal ${child.signalCode}):\n${this.output.join('').slice(-4000)}`);
			}
			try {
				const response = await fetch(`${baseUrl}/healthz/readiness`);
				if (response.ok) return;
			} catch {
				// not listening yet
			}
			await sleep(500);
		}
		throw new Error(`n8n at ${baseUrl} did not become ready in ${timeoutMs} ms:\n${this.output.join('').slice(-4000)}`);
	}

	async stop() {
		await Promise.all((this.children ?? []).map(stopChild));
	}

	/** Kills the main process with `signal` (no graceful shutdown) and waits for it to be gone. */
	async kill(signal = 'SIGKILL') {
		const child = this.process;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill(signal);
		await exited;
	}

	/**
	 * Executions from n8n's own SQLite database, read with n8n's own sqlite3 and
	 * flatted (run under n8n's Node, so the native module matches).
	 */
	async executions(workflowId) {
		return JSON.parse(await this.readDatabase([workflowId ?? '']));
	}

	/** How many executions of a workflow have finished (cheap: one COUNT). */
	async finishedCount(workflowId) {
		return JSON.parse(await this.readDatabase([workflowId, 'count'])).done;
	}

	async readDatabase(args) {
		const reader = path.join(repoRoot, 'scripts', 'lib', 'read-executions.cjs');
		const database = path.join(this.userFolder, '.n8n', 'database.sqlite');
		const { stdout } = await run(this.runtime.node, [reader, this.runtime.dir, database, ...args], {
			maxBuffer: 1 << 28,
			timeout: 120_000,
		});
		return stdout;
	}
}

async function stopChild(child) {
	if (!child || child.exitCode !== null) return;
	child.kill('SIGTERM');
	const exited = await Promise.race([
		new Promise((resolve) => child.once('exit', () => resolve(true))),
		sleep(20_000).then(() => false),
	]);
	if (!exited) child.kill('SIGKILL');
}

export function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A fresh instance folder with the packed package npm-installed into
 * ~/.n8n/nodes (or, with `install: false`, none: for Community Nodes installs).
 */
export async function createInstance(runtime, { root, env, install = true } = {}) {
	const base = root ?? path.join(tmpdir(), 'hl-n8n');
	await mkdir(base, { recursive: true });
	const userFolder = await mkdtemp(path.join(base, `n8n-${runtime.version}-`));
	if (install) await installPackage(userFolder, await packPackage());
	return new N8nInstance(runtime, { userFolder, port: await freePort(), brokerPort: await freePort(), env });
}

export const OWNER = { email: 'demo@example.com', password: 'Demo-Password-1', firstName: 'Demo', lastName: 'Owner' };

/**
 * n8n's own REST API as the instance owner (set up on first use), the way the
 * editor calls it: a session cookie from /rest/login.
 */
export async function ownerSession(baseUrl, owner = OWNER) {
	const created = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }),
	});
	if (!login.ok) throw new Error(`n8n login failed: ${login.status} ${await login.text()}`);
	const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
	return {
		ownerCreated: created.ok,
		async request(method, route, body) {
			const response = await fetch(`${baseUrl}/rest${route}`, {
				method,
				headers: { cookie, 'content-type': 'application/json', 'browser-id': 'hl-e2e' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			let json;
			try {
				json = JSON.parse(text);
			} catch {
				json = undefined;
			}
			return { status: response.status, json, text };
		},
	};
}

export async function removeInstance(instance) {
	await instance.stop();
	await rm(instance.userFolder, { recursive: true, force: true });
}

export async function listInstalledNodes(userFolder) {
	return readdir(path.join(userFolder, '.n8n', 'nodes', 'node_modules'));
}
