/**
 * The Redis ledger (queue mode) against a real redis-server: copies of one
 * delivery reaching several webhook processes at the same instant run once, a
 * claim of a process that died stops blocking after the pending time, and what
 * ran is remembered for the TTL, by time.
 *
 * Each "process" is its own RedisLedger with its own memory and its own Redis
 * connection, as two n8n webhook processes have.
 */
import Redis from 'ioredis';
import { sleep } from 'n8n-workflow';

import { DAY_MS, MemoryLedger } from '../nodes/HighLevel/trigger/ledger';
import { REDIS_TIMEOUT_MS, type RedisCommands, RedisLedger } from '../nodes/HighLevel/trigger/redis-ledger';
import { type RedisServer, redisRequired, redisServerInstalled, startRedisServer } from './helpers/redis-server.cjs';

// Skipped only on a machine without redis-server; under CI a missing server fails.
const describeWithRedis = redisServerInstalled() || redisRequired() ? describe : describe.skip;

describeWithRedis('RedisLedger on a real Redis', () => {
	let server: RedisServer;
	const clients: Redis[] = [];
	let run = 0;

	beforeAll(async () => {
		server = await startRedisServer();
	}, 30_000);

	afterAll(async () => {
		await Promise.all(
			clients.map(async (client) => {
				if (client.status === 'ready') await client.quit();
				else if (client.status !== 'end') client.disconnect();
			}),
		);
		await server?.stop();
	});

	/** A webhook process: its own connection and memory, the shared Redis. */
	function webhookProcess(prefix: string, options: { ttlMs?: number; pendingTtlMs?: number; warn?: (message: string) => void } = {}) {
		const client = new Redis({ host: server.host, port: server.port, maxRetriesPerRequest: 1 });
		clients.push(client);
		const ttlMs = options.ttlMs ?? DAY_MS;
		return new RedisLedger(client, prefix, ttlMs, new MemoryLedger(ttlMs), options.warn ?? (() => undefined), options.pendingTtlMs);
	}
	const freshPrefix = () => `test:${Date.now()}:${++run}:`;

	it('two processes claiming one delivery at the same instant: exactly one runs, the other is told to retry', async () => {
		const prefix = freshPrefix();
		const [a, b] = [webhookProcess(prefix), webhookProcess(prefix)];
		const results = await Promise.all([a.claim('webhook:x', Date.now()), b.claim('webhook:x', Date.now())]);
		expect(results.sort()).toEqual(['in-flight', 'new']);
	});

	it('50 deliveries, each sent to three processes at once: each runs exactly once', async () => {
		const prefix = freshPrefix();
		const processes = [webhookProcess(prefix), webhookProcess(prefix), webhookProcess(prefix)];
		const keys = Array.from({ length: 50 }, (_, index) => `webhook:${index}`);
		const results = await Promise.all(keys.map(async (key) => await Promise.all(processes.map(async (p) => await p.claim(key, Date.now())))));
		for (const perKey of results) expect(perKey.filter((result) => result === 'new')).toHaveLength(1);
	});

	it('in one process, simultaneous copies also run once', async () => {
		const ledger = webhookProcess(freshPrefix());
		const results = await Promise.all([ledger.claim('webhook:x', Date.now()), ledger.claim('webhook:x', Date.now())]);
		expect(results.sort()).toEqual(['in-flight', 'new']);
	});

	it('confirmed: a duplicate in every process and after a restart', async () => {
		const prefix = freshPrefix();
		const a = webhookProcess(prefix);
		expect(await a.claim('webhook:x', Date.now())).toBe('new');
		await a.confirm('webhook:x', Date.now());
		expect(await webhookProcess(prefix).claim('webhook:x', Date.now())).toBe('duplicate');
		expect(await a.claim('webhook:x', Date.now())).toBe('duplicate');
	});

	it('released (n8n could not create the execution): the retry runs, in any process', async () => {
		const prefix = freshPrefix();
		const [a, b] = [webhookProcess(prefix), webhookProcess(prefix)];
		expect(await a.claim('webhook:x', Date.now())).toBe('new');
		expect(await b.claim('webhook:x', Date.now())).toBe('in-flight');
		await a.release('webhook:x');
		expect(await b.claim('webhook:x', Date.now())).toBe('new');
	});

	it('a process that died holding a claim blocks the retry only for the pending time', async () => {
		const prefix = freshPrefix();
		const crashed = webhookProcess(prefix, { pendingTtlMs: 300 });
		expect(await crashed.claim('webhook:x', Date.now())).toBe('new');
		const other = webhookProcess(prefix, { pendingTtlMs: 300 });
		expect(await other.claim('webhook:x', Date.now())).toBe('in-flight');
		await sleep(450);
		expect(await other.claim('webhook:x', Date.now())).toBe('new');
	});

	it('a late release of an expired claim does not free the claim another process holds now', async () => {
		const prefix = freshPrefix();
		const slow = webhookProcess(prefix, { pendingTtlMs: 200 });
		const other = webhookProcess(prefix, { pendingTtlMs: 5_000 });
		expect(await slow.claim('webhook:x', Date.now())).toBe('new');
		await sleep(300);
		expect(await other.claim('webhook:x', Date.now())).toBe('new');
		await slow.release('webhook:x');
		expect(await webhookProcess(prefix).claim('webhook:x', Date.now())).toBe('in-flight');
	});

	it('remembers for the TTL by time, not by count, and forgets after', async () => {
		const prefix = freshPrefix();
		const ttlMs = 4_000;
		const ledger = webhookProcess(prefix, { ttlMs });
		await ledger.claim('webhook:first', Date.now());
		await ledger.confirm('webhook:first', Date.now());
		const confirmedAt = Date.now();
		for (let batch = 0; batch < 10; batch++) {
			await Promise.all(
				Array.from({ length: 500 }, async (_, index) => {
					const key = `webhook:${batch}:${index}`;
					await ledger.claim(key, Date.now());
					await ledger.confirm(key, Date.now());
				}),
			);
		}
		expect(await webhookProcess(prefix, { ttlMs }).claim('webhook:first', Date.now())).toBe('duplicate');
		await sleep(Math.max(0, confirmedAt + ttlMs + 200 - Date.now()));
		expect(await webhookProcess(prefix, { ttlMs }).claim('webhook:first', Date.now())).toBe('new');
	}, 20_000);

	it('Redis unreachable: the delivery is let through, with a warning for the n8n admin', async () => {
		const warnings: string[] = [];
		const client = new Redis({ host: '127.0.0.1', port: 1, maxRetriesPerRequest: 1, retryStrategy: () => null });
		client.on('error', () => undefined);
		clients.push(client);
		const ledger = new RedisLedger(client, freshPrefix(), DAY_MS, new MemoryLedger(), (message) => warnings.push(message));
		expect(await ledger.claim('webhook:x', Date.now())).toBe('new');
		expect(warnings.join('\n')).toMatch(/could not reach Redis/);
	}, 10_000);

	it('keeps every key of a ledger under its prefix, with an expiry', async () => {
		const prefix = freshPrefix();
		const ledger = webhookProcess(prefix);
		await ledger.claim('webhook:x', Date.now());
		await ledger.confirm('webhook:x', Date.now());
		await ledger.claim('webhook:y', Date.now());
		const inspector = new Redis({ host: server.host, port: server.port });
		clients.push(inspector);
		const keys = (await inspector.keys(`${prefix}*`)).sort();
		expect(keys).toEqual([`${prefix}webhook:x`, `${prefix}webhook:y`]);
		for (const key of keys) expect(await inspector.pttl(key)).toBeGreaterThan(0);
	});
});

/**
 * Redis failing in ways a real server will not act out on cue: a client whose
 * answers are scripted per command, recording what was sent.
 */
describe('RedisLedger when Redis misbehaves', () => {
	type Answer = string | null | Error | 'never';
	function scriptedRedis(script: { set?: Answer[]; get?: Answer[]; eval?: Answer[] }) {
		const sent: string[] = [];
		const next = async (command: 'set' | 'get' | 'eval', description: string) => {
			sent.push(description);
			const answer = (script[command] ?? []).shift() ?? null;
			if (answer === 'never') return await new Promise<never>(() => undefined);
			if (answer instanceof Error) throw answer;
			return answer;
		};
		const client: RedisCommands = {
			set: async (key: string, value: string, ...rest: unknown[]) => await next('set', `SET ${key} ${value} ${rest.join(' ')}`),
			get: async (key: string) => await next('get', `GET ${key}`),
			eval: async (_script: string, _keys: number, ...args: string[]) => await next('eval', `EVAL ${args.join(' ')}`),
		};
		return { client, sent };
	}
	const ledgerOn = (client: RedisCommands, warnings: string[] = []) =>
		new RedisLedger(client, 'p:', DAY_MS, new MemoryLedger(DAY_MS), (message) => warnings.push(message), 60_000);

	it('a delivery this process already ran stays a duplicate while Redis is down: it is not asked, and does not run again', async () => {
		const { client, sent } = scriptedRedis({ set: ['OK', 'OK', new Error('connection lost')] });
		const ledger = ledgerOn(client);
		expect(await ledger.claim('webhook:x', Date.now())).toBe('new');
		await ledger.confirm('webhook:x', Date.now());
		expect(await ledger.claim('webhook:x', Date.now())).toBe('duplicate');
		expect(sent).toHaveLength(2);
	});

	it('a claim that expires between the two commands is tried again, and won', async () => {
		const { client } = scriptedRedis({ set: [null, 'OK'], get: [null] });
		expect(await ledgerOn(client).claim('webhook:x', Date.now())).toBe('new');
	});

	it('a key that keeps vanishing is given up on after three tries: the delivery runs rather than wait', async () => {
		const { client, sent } = scriptedRedis({ set: [null, null, null, null], get: [null, null, null, null] });
		expect(await ledgerOn(client).claim('webhook:x', Date.now())).toBe('new');
		expect(sent.filter((command) => command.startsWith('SET'))).toHaveLength(3);
	});

	it('Redis failing to record a delivery or to release a claim is a warning, never an error for the webhook', async () => {
		const warnings: string[] = [];
		const { client } = scriptedRedis({ set: ['OK', new Error('READONLY'), 'OK'], eval: [new Error('NOSCRIPT')] });
		const ledger = ledgerOn(client, warnings);
		expect(await ledger.claim('webhook:x', Date.now())).toBe('new');
		await expect(ledger.confirm('webhook:x', Date.now())).resolves.toBeUndefined();
		expect(await ledger.claim('webhook:y', Date.now())).toBe('new');
		await expect(ledger.release('webhook:y')).resolves.toBeUndefined();
		expect(warnings).toEqual(['could not record a delivery in Redis: READONLY', 'could not release a delivery claim in Redis: NOSCRIPT']);
	});

	it(`a Redis that never answers is given up on after ${REDIS_TIMEOUT_MS} ms: the delivery runs, with a warning`, async () => {
		const warnings: string[] = [];
		const { client } = scriptedRedis({ set: ['never'] });
		const started = Date.now();
		expect(await ledgerOn(client, warnings).claim('webhook:x', Date.now())).toBe('new');
		expect(Date.now() - started).toBeGreaterThanOrEqual(REDIS_TIMEOUT_MS - 50);
		expect(warnings).toEqual([`the shared duplicate check could not reach Redis, delivery let through: no answer in ${REDIS_TIMEOUT_MS} ms`]);
	}, 10_000);
});
