/**
 * Which duplicate memory a trigger node gets from the host n8n (ledgers.ts): its
 * Redis in queue mode, configured as n8n configures its own queue's; else its
 * database; else this process's memory. The host is n8n's own @n8n/di container
 * holding a GlobalConfig, as n8n sets it up; n8n's Redis client (ioredis) is
 * replaced by a recorder where a real server cannot show what was configured.
 */
import type { DeliveryLedger } from '../nodes/HighLevel/trigger/ledger';
import { type RedisServer, redisRequired, redisServerInstalled, startRedisServer } from './helpers/redis-server.cjs';

const DAY_MS = 24 * 60 * 60 * 1000;
const quiet = () => undefined;

interface RedisSettings {
	host?: string;
	port?: number;
	username?: string;
	password?: string;
	db?: number;
	tls?: boolean;
	tlsConfig?: { serverName: string; rejectUnauthorized: boolean };
	clusterNodes?: string;
	dualStack?: boolean;
}

/**
 * A fresh copy of ledgers.ts (its host lookups are cached per process), in a
 * host whose GlobalConfig says this. `undefined` is a host without n8n's config.
 */
async function hostWith(config: { mode: string; redis?: RedisSettings; prefix?: string } | undefined) {
	jest.resetModules();
	if (config !== undefined) {
		const { Container } = await import('@n8n/di');
		const { GlobalConfig } = await import('@n8n/config');
		const redis = { host: '127.0.0.1', port: 6379, username: '', password: '', db: 0, tls: false, clusterNodes: '', dualStack: false, ...config.redis };
		redis.tlsConfig ??= { serverName: '', rejectUnauthorized: true };
		Container.set(GlobalConfig, { executions: { mode: config.mode }, queue: { bull: { prefix: config.prefix ?? 'bull', redis } } } as never);
	} else {
		jest.doMock('@n8n/config', () => {
			throw new Error('Cannot find module @n8n/config');
		});
	}
	return await import('../nodes/HighLevel/trigger/ledgers');
}

/** ioredis as a recorder: what each client was built with, and every key it was sent. */
function recordIoredis() {
	const built: Array<{ kind: 'single' | 'cluster'; nodes?: unknown; options: Record<string, unknown> }> = [];
	const keys: string[] = [];
	const listened: string[] = [];
	class Client {
		constructor(options: Record<string, unknown>) {
			built.push({ kind: 'single', options });
		}
		on(event: string) {
			listened.push(event);
			return this;
		}
		async set(key: string) {
			keys.push(key);
			return 'OK';
		}
		async get(key: string) {
			keys.push(key);
			return null;
		}
		async eval() {
			return 1;
		}
		static Cluster = class extends Client {
			constructor(nodes: unknown, options: { redisOptions: Record<string, unknown> }) {
				super(options.redisOptions);
				built[built.length - 1] = { kind: 'cluster', nodes, options: options.redisOptions };
			}
		};
	}
	jest.doMock('ioredis', () => ({ __esModule: true, default: Client }));
	return { built, keys, listened };
}

afterEach(() => {
	jest.dontMock('ioredis');
	jest.dontMock('@n8n/config');
});

describe('queue mode: n8n\'s own Redis, as n8n configures its queue', () => {
	it('uses QUEUE_BULL_REDIS_* (host, port, user, password, db, TLS) and keeps keys under n8n\'s prefix', async () => {
		const recorded = recordIoredis();
		const { ledgerFor } = await hostWith({
			mode: 'queue',
			prefix: 'n8nq',
			redis: { host: 'redis.internal', port: 6380, username: 'n8n', password: 's3cret', db: 2, tls: true, tlsConfig: { serverName: 'redis.example.com', rejectUnauthorized: false } },
		});
		const ledger = await ledgerFor('auto', 'wf1', 'node1', DAY_MS, quiet);
		expect(await ledger.claim('webhook:x', Date.now())).toBe('new');
		expect(recorded.built).toEqual([
			{
				kind: 'single',
				options: {
					host: 'redis.internal',
					port: 6380,
					username: 'n8n',
					password: 's3cret',
					db: 2,
					lazyConnect: false,
					maxRetriesPerRequest: 1,
					enableOfflineQueue: true,
					tls: { servername: 'redis.example.com', rejectUnauthorized: false },
				},
			},
		]);
		expect(recorded.keys).toEqual(['n8nq:highlevel-deliveries:wf1:node1:webhook:x']);
		// A Redis that goes away is the ledger's to report (as a warning per delivery), not ioredis's unhandled error.
		expect(recorded.listened).toContain('error');
	});

	it('without TLS no tls options are passed; with dual stack, IPv4 and IPv6 are both tried (family 0)', async () => {
		const recorded = recordIoredis();
		const { ledgerFor } = await hostWith({ mode: 'queue', redis: { dualStack: true, tlsConfig: { serverName: '', rejectUnauthorized: true } } });
		await ledgerFor('auto', 'wf1', 'node1', DAY_MS, quiet);
		expect(recorded.built[0].options).not.toHaveProperty('tls');
		expect(recorded.built[0].options.family).toBe(0);
		const tlsWithoutName = recordIoredis();
		const again = await hostWith({ mode: 'queue', redis: { tls: true } });
		await again.ledgerFor('auto', 'wf1', 'node1', DAY_MS, quiet);
		expect(tlsWithoutName.built[0].options).toMatchObject({ tls: { servername: undefined, rejectUnauthorized: true } });
		expect(tlsWithoutName.built[0].options).not.toHaveProperty('family');
	});

	it('a Redis cluster: every node listed, default port 6379, and every key of one ledger in one hash slot', async () => {
		const recorded = recordIoredis();
		const { ledgerFor } = await hostWith({ mode: 'queue', redis: { clusterNodes: ' r1:7000, r2 ,, r3:7002' } });
		const ledger = await ledgerFor('auto', 'wf1', 'node1', DAY_MS, quiet);
		await ledger.claim('webhook:x', Date.now());
		expect(recorded.built.map(({ kind, nodes }) => ({ kind, nodes }))).toEqual([
			{ kind: 'cluster', nodes: [{ host: 'r1', port: 7000 }, { host: 'r2', port: 6379 }, { host: 'r3', port: 7002 }] },
		]);
		// Each node is reached with n8n's settings, and one attempt per command.
		expect(recorded.built[0].options).toMatchObject({ maxRetriesPerRequest: 1, enableOfflineQueue: true });
		expect(recorded.keys).toEqual(['{bull}:highlevel-deliveries:wf1:node1:webhook:x']);
	});

	it('one Redis client per process, shared by every node', async () => {
		const recorded = recordIoredis();
		const { ledgerFor } = await hostWith({ mode: 'queue' });
		await Promise.all([ledgerFor('auto', 'wf1', 'a', DAY_MS, quiet), ledgerFor('auto', 'wf1', 'b', DAY_MS, quiet), ledgerFor('auto', 'wf2', 'a', DAY_MS, quiet)]);
		expect(recorded.built).toHaveLength(1);
	});

	it('Process Memory stays in this process even in queue mode; Shared uses the database, not Redis', async () => {
		const recorded = recordIoredis();
		const { ledgerFor } = await hostWith({ mode: 'queue' });
		const { MemoryLedger } = await import('../nodes/HighLevel/trigger/ledger');
		const processWarnings: string[] = [];
		expect(await ledgerFor('process', 'wf1', 'node1', DAY_MS, (message) => processWarnings.push(message))).toBeInstanceOf(MemoryLedger);
		// Chosen, so nothing to warn about (the database's absence is not this scope's concern).
		expect(processWarnings).toEqual([]);
		const warnings: string[] = [];
		await ledgerFor('shared', 'wf1', 'node1', DAY_MS, (message) => warnings.push(message));
		expect(recorded.built).toHaveLength(0);
		expect(warnings.join('\n')).not.toMatch(/Redis/);
	});

	it('when ioredis cannot be loaded, the database is used instead, and the n8n admin is told', async () => {
		jest.doMock('ioredis', () => {
			throw new Error('Cannot find module ioredis');
		});
		const { ledgerFor } = await hostWith({ mode: 'queue' });
		const warnings: string[] = [];
		await ledgerFor('auto', 'wf1', 'node1', DAY_MS, (message) => warnings.push(message));
		expect(warnings[0]).toBe("n8n's Redis could not be reached; duplicates are checked in n8n's database instead");
	});
});

describe('not in queue mode', () => {
	it('regular mode never builds a Redis client', async () => {
		const recorded = recordIoredis();
		const { ledgerFor } = await hostWith({ mode: 'regular' });
		const { RedisLedger } = await import('../nodes/HighLevel/trigger/redis-ledger');
		const ledger: DeliveryLedger = await ledgerFor('auto', 'wf1', 'node1', DAY_MS, quiet);
		expect(ledger).not.toBeInstanceOf(RedisLedger);
		expect(recorded.built).toHaveLength(0);
	});

	it('a host without n8n\'s config counts as regular mode: memory, with a warning', async () => {
		const recorded = recordIoredis();
		const { ledgerFor } = await hostWith(undefined);
		const warnings: string[] = [];
		await ledgerFor('auto', 'wf1', 'node1', DAY_MS, (message) => warnings.push(message));
		expect(recorded.built).toHaveLength(0);
		expect(warnings).toEqual(["n8n has no deduplication store here; duplicates are checked in this process's memory only"]);
	});

	it('a host whose config has no executions section counts as regular mode too, and a ledger is still made', async () => {
		const recorded = recordIoredis();
		const { ledgerFor } = await hostWith({ mode: 'queue' });
		const { Container } = await import('@n8n/di');
		const { GlobalConfig } = await import('@n8n/config');
		Container.set(GlobalConfig, { queue: { bull: { prefix: 'bull', redis: {} } } } as never);
		const ledger = await ledgerFor('auto', 'wf1', 'node1', DAY_MS, () => undefined);
		expect(ledger).toBeDefined();
		expect(recorded.built).toHaveLength(0);
	});
});

describe('memory of ledgers', () => {
	it('keeps at most 1000 nodes\' ledgers; the oldest is dropped first', async () => {
		const { ledgerFor } = await hostWith(undefined);
		const first = await ledgerFor('process', 'wf', 'node-0', DAY_MS, quiet);
		const second = await ledgerFor('process', 'wf', 'node-1', DAY_MS, quiet);
		for (let index = 2; index <= 1000; index++) await ledgerFor('process', 'wf', `node-${index}`, DAY_MS, quiet);
		expect(await ledgerFor('process', 'wf', 'node-1', DAY_MS, quiet)).toBe(second);
		expect(await ledgerFor('process', 'wf', 'node-0', DAY_MS, quiet)).not.toBe(first);
	});
});

// Skipped only on a machine without redis-server; under CI a missing server fails.
const describeWithRedis = redisServerInstalled() || redisRequired() ? describe : describe.skip;

describeWithRedis('queue mode against a real Redis', () => {
	let server: RedisServer;
	beforeAll(async () => {
		server = await startRedisServer();
	}, 30_000);
	afterAll(async () => {
		await server?.stop();
	});

	it('two webhook processes of one n8n: a delivery runs once, and the other process is told to retry', async () => {
		const one = await hostWith({ mode: 'queue', redis: { host: server.host, port: server.port } });
		const a = await one.ledgerFor('auto', 'wf1', 'node1', DAY_MS, quiet);
		const two = await hostWith({ mode: 'queue', redis: { host: server.host, port: server.port } });
		const b = await two.ledgerFor('auto', 'wf1', 'node1', DAY_MS, quiet);
		const results = await Promise.all([a.claim('webhook:x', Date.now()), b.claim('webhook:x', Date.now())]);
		expect(results.sort()).toEqual(['in-flight', 'new']);
		for (const ledger of [a, b]) ((ledger as unknown as { redis: { disconnect(): void } }).redis).disconnect();
	});
});
