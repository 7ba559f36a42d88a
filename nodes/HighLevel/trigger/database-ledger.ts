/**
 * A delivery ledger kept in n8n's own database, so that it survives a restart:
 * n8n-core's DataDeduplicationService (the store behind the Remove Duplicates
 * node), which every n8n process initialises.
 *
 * That store keeps sets of hashes and forgets only by count, so time is made
 * explicit: a confirmed key goes into the set of the current day, and a key
 * counts as run while it is in the set of a day less than `ttlMs` (rounded up to
 * whole days) before the current one. It is therefore remembered for at least
 * `ttlMs` and at most a day longer, also when `ttlMs` changes (the days are
 * fixed); older days are cleared. Each slot is spread over BUCKETS sets so each write stays
 * small. Claims in flight live in this process's memory only: a process that
 * dies forgets them, and HighLevel's retry runs.
 *
 * A claim only reads the store (its helper's findProcessedData): nothing is
 * written before the execution exists, so a process killed at any moment leaves
 * no record that could refuse HighLevel's retry. The store reads, changes and
 * writes a whole set on record: within this process, writes to one bucket are
 * serialised; across processes they are not atomic, which is why queue mode
 * uses the Redis ledger instead.
 */
import { createHash } from 'crypto';

import { type ClaimResult, DAY_MS, type DeliveryLedger, MemoryLedger } from './ledger';

/** The part of n8n-core's DataDeduplicationService this ledger uses. */
export interface DeduplicationService {
	checkProcessedAndRecord(
		items: string[],
		scope: 'node',
		contextData: DeduplicationContext,
		options: { mode: 'entries'; maxEntries: number },
	): Promise<{ new: unknown[]; processed: unknown[] }>;
	clearAllProcessedItems(
		scope: 'node',
		contextData: DeduplicationContext,
		options: { mode: 'entries'; maxEntries: number },
	): Promise<void>;
}

/**
 * Reads one stored set without changing it: the host's deduplication helper
 * (n8n 1.x and 2.x) has findProcessedData; its rows hold `{ mode, data: hashes }`,
 * each hash the base64 MD5 of an item, as the helper records it.
 */
export type ProcessedDataReader = (
	scope: 'node',
	contextData: DeduplicationContext,
) => Promise<{ value?: { data?: unknown } } | null | undefined>;

interface DeduplicationContext {
	workflow: { id: string };
	node: { id: string };
}

export const BUCKETS = 16;
/** A safety bound per bucket and slot: 16 × 50,000 deliveries per node per day. */
export const ENTRIES_PER_BUCKET = 50_000;
const OPTIONS = { mode: 'entries' as const, maxEntries: ENTRIES_PER_BUCKET };
/** How many old days one clean-up looks back over (a month). */
const MAX_CLEARED_SLOTS = 30;

type Warn = (message: string) => void;

export class DatabaseLedger implements DeliveryLedger {
	private readonly queues = new Map<number, Promise<unknown>>();
	private clearedThrough = Number.NEGATIVE_INFINITY;

	constructor(
		private readonly service: DeduplicationService,
		private readonly read: ProcessedDataReader,
		private readonly workflowId: string,
		private readonly nodeId: string,
		private readonly ttlMs: number,
		private readonly memory: MemoryLedger,
		private readonly warn: Warn,
	) {}

	async claim(key: string, now: number): Promise<ClaimResult> {
		const local = this.memory.claimNow(key, now);
		if (local !== 'new') return local;
		const slot = this.slotOf(now);
		const bucket = bucketOf(key);
		let seen = false;
		try {
			for (let day = slot; day >= slot - this.daysBack() && !seen; day--) seen = await this.has(key, day, bucket);
		} catch (error) {
			// The database is n8n's own: if it fails, n8n cannot create the
			// execution either and answers so that HighLevel retries.
			this.warn(`the duplicate check could not read n8n's database, delivery let through: ${(error as Error).message}`);
		}
		if (!seen) return 'new';
		this.memory.remember(key, now);
		return 'duplicate';
	}

	async confirm(key: string, now: number): Promise<void> {
		this.memory.remember(key, now);
		const slot = this.slotOf(now);
		const bucket = bucketOf(key);
		try {
			await this.inOrder(bucket, async () => await this.service.checkProcessedAndRecord([key], 'node', this.context(slot, bucket), OPTIONS));
			await this.clearOldSlots(slot);
		} catch (error) {
			this.warn(`could not record a delivery in n8n's database (it is remembered by this process only): ${(error as Error).message}`);
		}
	}

	async release(key: string): Promise<void> {
		await this.memory.release(key);
	}

	private slotOf(now: number): number {
		return Math.floor(now / DAY_MS);
	}

	/** How many days before the current one still count. */
	private daysBack(): number {
		return Math.ceil(this.ttlMs / DAY_MS);
	}

	private context(slot: number, bucket: number): DeduplicationContext {
		return { workflow: { id: this.workflowId }, node: { id: `${this.nodeId}:highlevel-deliveries:${slot}:${bucket}` } };
	}

	private async has(key: string, slot: number, bucket: number): Promise<boolean> {
		const row = await this.read('node', this.context(slot, bucket));
		// Stryker disable next-line OptionalChaining: n8n's rows always hold a value, and no row reads as not seen either way
		const hashes = row?.value?.data;
		return Array.isArray(hashes) && hashes.includes(valueHash(key));
	}

	/**
	 * Days no longer read are deleted. After a quiet spell (or a restart) that
	 * can be several; those more than MAX_CLEARED_SLOTS further back are left,
	 * a few small rows at most.
	 */
	private async clearOldSlots(slot: number): Promise<void> {
		const last = slot - this.daysBack() - 1;
		// Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; with clearedThrough >= last the loop below clears nothing
		if (this.clearedThrough >= last) return;
		const first = Math.max(this.clearedThrough + 1, last - MAX_CLEARED_SLOTS + 1);
		this.clearedThrough = last;
		for (let old = first; old <= last; old++) {
			for (let bucket = 0; bucket < BUCKETS; bucket++) {
				await this.inOrder(bucket, async () => await this.service.clearAllProcessedItems('node', this.context(old, bucket), OPTIONS));
			}
		}
	}

	private async inOrder<T>(bucket: number, task: () => Promise<T>): Promise<T> {
		const previous = this.queues.get(bucket) ?? Promise.resolve();
		const next = previous.then(task, task);
		const settled = next.catch(() => undefined);
		this.queues.set(bucket, settled);
		// Stryker disable BlockStatement: the finally block only frees memory (the map holds at most one settled promise per bucket)
		try {
			return await next;
		} finally {
			// Stryker disable next-line ConditionalExpression: "never delete" only keeps a settled promise per bucket (the order test covers "always delete")
			if (this.queues.get(bucket) === settled) this.queues.delete(bucket);
		}
	}
}

// Stryker restore BlockStatement
/** How the host's deduplication helper hashes a recorded item. */
export function valueHash(key: string): string {
	return createHash('md5').update(key).digest('base64');
}

export function bucketOf(key: string): number {
	return createHash('md5').update(key).digest()[0] % BUCKETS;
}
