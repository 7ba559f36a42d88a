/**
 * Bounded memory of deliveries already seen, so that HighLevel's retries and
 * dashboard Resends (same `webhookId`) start the workflow once.
 *
 * A Map keeps insertion order, so the oldest entry is always first: expiry and
 * eviction are O(1) per call and memory never exceeds `maxEntries`.
 */
export class DuplicateMemory {
	private readonly seen = new Map<string, number>();

	constructor(
		readonly maxEntries = 10_000,
		readonly ttlMs = 24 * 60 * 60 * 1000,
	) {}

	get size(): number {
		return this.seen.size;
	}

	/** True when `key` was seen within the TTL; otherwise remembers it and returns false. */
	checkAndRemember(key: string, now = Date.now()): boolean {
		this.forgetExpired(now);
		const seenAt = this.seen.get(key);
		if (seenAt !== undefined && now - seenAt < this.ttlMs) return true;
		this.seen.delete(key);
		this.seen.set(key, now);
		if (this.seen.size > this.maxEntries) {
			const oldest = this.seen.keys().next().value as string;
			this.seen.delete(oldest);
		}
		return false;
	}

	/** Lets a key be accepted again (used when the event could not be handed to n8n). */
	forget(key: string): void {
		this.seen.delete(key);
	}

	private forgetExpired(now: number): void {
		// Entries are in time order; stop at the first one still fresh.
		for (const [key, seenAt] of this.seen) {
			if (now - seenAt < this.ttlMs) break;
			this.seen.delete(key);
		}
	}
}

const memories = new Map<string, DuplicateMemory>();

/**
 * One memory per workflow node, kept for the life of the n8n process. Bounded
 * too: a process serving many workflows keeps at most 1,000 node memories.
 */
export function duplicateMemoryFor(scope: string): DuplicateMemory {
	let memory = memories.get(scope);
	if (memory === undefined) {
		memory = new DuplicateMemory();
		memories.set(scope, memory);
		if (memories.size > 1000) memories.delete(memories.keys().next().value as string);
	}
	return memory;
}
