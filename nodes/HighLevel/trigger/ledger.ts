/**
 * The delivery ledger: which HighLevel deliveries already started the workflow,
 * so that retries, dashboard Resends and replays run once.
 *
 * A delivery is claimed (pending) before the node hands it to n8n and confirmed
 * only once n8n has answered HighLevel with a 2xx, i.e. once the execution exists
 * (n8n 2.x answers after creating it). A claim that is never confirmed (n8n failed,
 * the process died) is released or expires quickly, so HighLevel's retry runs: a
 * rare double run is preferred to a lost message.
 */

/** What a claim found: a delivery to run, one already run, or one being run right now. */
export type ClaimResult = 'new' | 'duplicate' | 'in-flight';

export interface DeliveryLedger {
	/** Atomically claims `key`; only one of any number of simultaneous claims gets 'new'. */
	claim(key: string, now: number): Promise<ClaimResult>;
	/** The claimed delivery's execution exists: remember it for the ledger's lifetime. */
	confirm(key: string, now: number): Promise<void>;
	/** The claimed delivery was not handed over: let the next attempt run. */
	release(key: string): Promise<void>;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * How long an unconfirmed claim blocks copies of its delivery. A live process
 * confirms or releases it within the answer's time budget (at most a minute of
 * attachment downloads, then n8n storing the execution); this only matters when
 * the process died holding the claim, and HighLevel's retries span hours.
 */
export const PENDING_TTL_MS = 60 * 1000;

/**
 * This process's ledger. Entries of one kind share one lifetime, so a Map in
 * insertion order always holds the next to expire first: expiry is O(1) per
 * call. `maxDone` bounds memory; the durable ledgers (database, Redis) keep
 * their own copies, so what this one evicts early is still remembered there.
 */
export class MemoryLedger implements DeliveryLedger {
	private readonly pending = new Map<string, number>();
	private readonly done = new Map<string, number>();

	constructor(
		readonly ttlMs = DAY_MS,
		readonly maxDone = 100_000,
		readonly pendingTtlMs = PENDING_TTL_MS,
	) {}

	get size(): number {
		return this.pending.size + this.done.size;
	}

	/** Synchronous, so that within one process two claims can never interleave. */
	claimNow(key: string, now: number): ClaimResult {
		this.expire(now);
		if (this.done.has(key)) return 'duplicate';
		if (this.pending.has(key)) return 'in-flight';
		this.pending.set(key, now);
		return 'new';
	}

	async claim(key: string, now: number): Promise<ClaimResult> {
		return this.claimNow(key, now);
	}

	/** Marks `key` as run (also for a key this process learnt of from a durable ledger). */
	remember(key: string, now: number): void {
		this.pending.delete(key);
		this.done.delete(key);
		this.done.set(key, now);
		if (this.done.size > this.maxDone) this.done.delete(this.done.keys().next().value as string);
	}

	async confirm(key: string, now: number): Promise<void> {
		this.remember(key, now);
	}

	async release(key: string): Promise<void> {
		this.pending.delete(key);
	}

	private expire(now: number): void {
		for (const [key, at] of this.pending) {
			if (now - at < this.pendingTtlMs) break;
			this.pending.delete(key);
		}
		for (const [key, at] of this.done) {
			if (now - at < this.ttlMs) break;
			this.done.delete(key);
		}
	}
}
