/**
 * Duplicate suppression that holds across n8n processes (queue mode), built on
 * what n8n already has: n8n-core's DataDeduplicationService, the store behind
 * the Remove Duplicates node, kept in n8n's own database and initialised by
 * every n8n process (main, webhook, worker).
 *
 * Its "entries" mode keeps one list of hashes per context and rewrites it on
 * every check, so the keys are spread over BUCKETS contexts: each write stays
 * small and two processes rarely touch the same row at the same moment.
 */
import { createHash } from 'crypto';

import { DuplicateMemory, duplicateMemoryFor } from './dedupe';

/** The part of n8n-core's DataDeduplicationService this node uses. */
export interface DeduplicationService {
	checkProcessedAndRecord(
		items: string[],
		scope: 'node',
		contextData: { workflow: { id: string }; node: { id: string } },
		options: { mode: 'entries'; maxEntries: number },
	): Promise<{ new: unknown[]; processed: unknown[] }>;
}

export interface DuplicateCheck {
	/** True when `key` was seen before; otherwise remembers it. */
	checkAndRemember(key: string, now?: number): boolean | Promise<boolean>;
}

export const BUCKETS = 16;
/** Per bucket: 16 × 1,000 = the last 16,000 deliveries per node, shared. */
export const ENTRIES_PER_BUCKET = 1000;

type Warn = (message: string) => void;

/**
 * This process's memory first (free), then n8n's shared store. When the shared
 * store fails the delivery is let through: a rare double run beats a lost message.
 */
export class SharedDuplicateCheck implements DuplicateCheck {
	private readonly queues = new Map<number, Promise<unknown>>();

	constructor(
		private readonly local: DuplicateMemory,
		private readonly service: DeduplicationService,
		private readonly workflowId: string,
		private readonly nodeId: string,
		private readonly warn: Warn,
	) {}

	async checkAndRemember(key: string, now = Date.now()): Promise<boolean> {
		if (this.local.checkAndRemember(key, now)) return true;
		const bucket = createHash('md5').update(key).digest()[0] % BUCKETS;
		return await this.inOrder(bucket, async () => await this.checkShared(key, bucket));
	}

	private async checkShared(key: string, bucket: number): Promise<boolean> {
		const contextData = { workflow: { id: this.workflowId }, node: { id: `${this.nodeId}:highlevel-dedupe:${bucket}` } };
		const options = { mode: 'entries' as const, maxEntries: ENTRIES_PER_BUCKET };
		for (let attempt = 1; ; attempt++) {
			try {
				const result = await this.service.checkProcessedAndRecord([key], 'node', contextData, options);
				return result.processed.length > 0;
			} catch (error) {
				// The first write of a bucket is an insert; another process may win
				// that race, after which an update succeeds.
				if (attempt < 3) continue;
				this.warn(`shared duplicate check failed, delivery let through: ${(error as Error).message}`);
				return false;
			}
		}
	}

	/**
	 * n8n's store reads, changes and writes the whole list: checks on one bucket
	 * must not overlap within this process, or one would undo the other.
	 */
	private async inOrder<T>(bucket: number, task: () => Promise<T>): Promise<T> {
		const previous = this.queues.get(bucket) ?? Promise.resolve();
		const next = previous.then(task, task);
		const settled = next.catch(() => undefined);
		this.queues.set(bucket, settled);
		try {
			return await next;
		} finally {
			if (this.queues.get(bucket) === settled) this.queues.delete(bucket);
		}
	}
}

/**
 * n8n-core's service as the host n8n initialised it. A community package has
 * no n8n-core of its own, so this resolves to the host's module (and its
 * singleton); undefined where there is none (n8n Cloud, tests, older n8n).
 */
export async function hostDeduplicationService(): Promise<DeduplicationService | undefined> {
	try {
		const core = await import('n8n-core');
		return core.DataDeduplicationService.getInstance() as unknown as DeduplicationService;
	} catch {
		return undefined;
	}
}

/** Whether the host n8n runs in queue mode (webhook processes and workers). */
export async function hostRunsQueueMode(): Promise<boolean> {
	try {
		const { Container } = await import('@n8n/di');
		const { GlobalConfig } = await import('@n8n/config');
		return Container.get(GlobalConfig).executions.mode === 'queue';
	} catch {
		return false;
	}
}

export type DuplicateScope = 'auto' | 'process' | 'shared';

const sharedChecks = new Map<string, SharedDuplicateCheck>();
let queueMode: Promise<boolean> | undefined;
let service: Promise<DeduplicationService | undefined> | undefined;

/**
 * The duplicate check for one workflow node: this process's memory, or (in
 * queue mode, or when asked) that memory backed by n8n's shared store.
 */
export async function duplicateCheckFor(
	scope: DuplicateScope,
	workflowId: string,
	nodeId: string,
	warn: Warn,
): Promise<DuplicateCheck> {
	const key = `${workflowId}:${nodeId}`;
	const local = duplicateMemoryFor(key);
	queueMode ??= hostRunsQueueMode();
	const shared = scope === 'shared' || (scope === 'auto' && (await queueMode));
	if (!shared) return local;
	service ??= hostDeduplicationService();
	const store = await service;
	if (store === undefined) {
		warn('n8n has no shared deduplication store here; duplicates are checked in this process only');
		return local;
	}
	let check = sharedChecks.get(key);
	if (check === undefined) {
		check = new SharedDuplicateCheck(local, store, workflowId, nodeId, warn);
		sharedChecks.set(key, check);
		if (sharedChecks.size > 1000) sharedChecks.delete(sharedChecks.keys().next().value as string);
	}
	return check;
}
