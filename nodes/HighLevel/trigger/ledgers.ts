/**
 * Which delivery ledger a trigger node uses, built on what the host n8n already
 * runs: its Redis in queue mode (atomic across webhook processes), else its
 * database (survives restarts), else this process's memory.
 *
 * A community package has no n8n-core, @n8n/config or ioredis of its own: n8n
 * puts its own modules on NODE_PATH, so these imports resolve to the host's
 * modules (and their singletons). Where there are none (tests, other hosts) the
 * ledger falls back to memory and says so in n8n's log.
 */
import { DatabaseLedger, type DeduplicationService, type ProcessedDataReader } from './database-ledger';
import { DAY_MS, type DeliveryLedger, MemoryLedger } from './ledger';

const HOUR_MS = 60 * 60 * 1000;
import { type RedisCommands, RedisLedger } from './redis-ledger';

/** The node's "Duplicate Memory" option (values are saved in workflows: never rename). */
export type DuplicateScope = 'auto' | 'process' | 'shared';

type Warn = (message: string) => void;

interface HostRedis {
	redis: RedisCommands;
	prefix: string;
}

let queueMode: Promise<boolean> | undefined;
let service: Promise<HostStore | undefined> | undefined;
let redis: Promise<HostRedis | undefined> | undefined;
const ledgers = new Map<string, DeliveryLedger>();

async function hostGlobalConfig() {
	const { Container } = await import('@n8n/di');
	const { GlobalConfig } = await import('@n8n/config');
	return Container.get(GlobalConfig);
}

/** Whether n8n runs in queue mode; a host whose config cannot be read is taken as not. */
function hostRunsQueueMode(): Promise<boolean> {
	return (
		hostGlobalConfig()
			.then((config) => config.executions.mode === 'queue')
			// Stryker disable next-line ArrowFunction: undefined reads as "not queue mode" as false does
			.catch(() => false)
	);
}

interface HostStore {
	service: DeduplicationService;
	read: ProcessedDataReader;
}

/** n8n-core's DataDeduplicationService and a read-only view of its helper's rows, or none on a host without them. */
function hostDeduplicationStore(): Promise<HostStore | undefined> {
	return readHostDeduplicationStore().catch(() => undefined);
}

async function readHostDeduplicationStore(): Promise<HostStore | undefined> {
	const core = await import('n8n-core');
	const instance = core.DataDeduplicationService.getInstance() as unknown as DeduplicationService & {
		deduplicator?: { findProcessedData?: ProcessedDataReader };
	};
	const helper = instance.deduplicator;
	// Stryker disable next-line ConditionalExpression,OptionalChaining: without the check, a missing helper or method throws into hostDeduplicationStore's catch, which answers the same
	if (typeof helper?.findProcessedData !== 'function') return undefined;
	return { service: instance, read: helper.findProcessedData.bind(helper) };
}

/** A client of n8n's own Redis, or none where the host's config or ioredis cannot be had. */
function hostRedis(): Promise<HostRedis | undefined> {
	return connectHostRedis().catch(() => undefined);
}

/** A client of n8n's own Redis, configured as n8n configures its queue's (QUEUE_BULL_REDIS_*). */
async function connectHostRedis(): Promise<HostRedis> {
	const config = (await hostGlobalConfig()).queue.bull;
	const { default: Redis } = await import('ioredis');
	const { host, port, username, password, db, tls, tlsConfig, clusterNodes, dualStack } = config.redis;
	const options = {
		username,
		password,
		db,
		lazyConnect: false,
		// One attempt per command: the ledger's own timeout decides what happens next.
		maxRetriesPerRequest: 1,
		enableOfflineQueue: true,
		...(dualStack ? { family: 0 } : {}),
		...(tls ? { tls: { servername: tlsConfig.serverName || undefined, rejectUnauthorized: tlsConfig.rejectUnauthorized } } : {}),
	};
	const nodes = clusterNodes
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map((entry) => {
			const [nodeHost, nodePort] = entry.split(':');
			return { host: nodeHost, port: Number(nodePort) || 6379 };
		});
	const client = nodes.length > 0 ? new Redis.Cluster(nodes, { redisOptions: options }) : new Redis({ ...options, host, port });
	client.on('error', () => undefined);
	// Braces keep every key of one cluster in one hash slot, as n8n's own prefix does.
	const prefix = nodes.length > 0 ? `{${config.prefix}}:highlevel-deliveries:` : `${config.prefix}:highlevel-deliveries:`;
	return { redis: client as unknown as RedisCommands, prefix };
}

/**
 * The ledger for one workflow node. `ttlMs` is how long a run delivery is
 * remembered; one ledger per node and lifetime is kept for the process.
 */
export async function ledgerFor(
	scope: DuplicateScope,
	workflowId: string,
	nodeId: string,
	ttlMs: number,
	warn: Warn,
): Promise<DeliveryLedger> {
	const key = `${scope}:${workflowId}:${nodeId}:${ttlMs}`;
	const existing = ledgers.get(key);
	if (existing !== undefined) return existing;
	// An hour more than asked: the sender's clock and n8n's need not agree.
	const ledger = await createLedger(scope, workflowId, nodeId, Math.max(ttlMs, DAY_MS) + HOUR_MS, warn);
	ledgers.set(key, ledger);
	if (ledgers.size > 1000) ledgers.delete(ledgers.keys().next().value as string);
	return ledger;
}

async function createLedger(scope: DuplicateScope, workflowId: string, nodeId: string, ttlMs: number, warn: Warn) {
	const memory = new MemoryLedger(ttlMs);
	if (scope === 'process') return memory;
	queueMode ??= hostRunsQueueMode();
	if (scope === 'auto' && (await queueMode)) {
		redis ??= hostRedis();
		const host = await redis;
		if (host !== undefined) return new RedisLedger(host.redis, `${host.prefix}${workflowId}:${nodeId}:`, ttlMs, memory, warn);
		warn("n8n's Redis could not be reached; duplicates are checked in n8n's database instead");
	}
	service ??= hostDeduplicationStore();
	const store = await service;
	if (store !== undefined) return new DatabaseLedger(store.service, store.read, workflowId, nodeId, ttlMs, memory, warn);
	warn("n8n has no deduplication store here; duplicates are checked in this process's memory only");
	return memory;
}
