/**
 * Duplicates across n8n processes: the shared check against a store that
 * behaves like n8n's DataDeduplicationService in "entries" mode (read the
 * context's hash list, change it, write it back, with awaits in between).
 */
import { DuplicateMemory } from '../nodes/HighLevel/trigger/dedupe';
import {
	type DeduplicationService,
	duplicateCheckFor,
	ENTRIES_PER_BUCKET,
	SharedDuplicateCheck,
} from '../nodes/HighLevel/trigger/shared-dedupe';

/** n8n's store, as in packages/cli/src/deduplication/deduplication-helper.ts. */
class FakeN8nStore implements DeduplicationService {
	rows = new Map<string, string[]>();
	writes = 0;
	failNext = 0;

	async checkProcessedAndRecord(
		items: string[],
		_scope: 'node',
		contextData: { workflow: { id: string }; node: { id: string } },
		options: { mode: 'entries'; maxEntries: number },
	) {
		if (this.failNext > 0) {
			this.failNext--;
			throw new Error('database is locked');
		}
		const context = `${contextData.workflow.id}|n:${contextData.node.id}`;
		const stored = this.rows.get(context);
		const list = stored ? [...stored] : [];
		await Promise.resolve();
		await new Promise<void>((resolve) => queueMicrotask(resolve));
		const result = { new: [] as string[], processed: [] as string[] };
		for (const item of items) {
			if (list.includes(item)) result.processed.push(item);
			else {
				result.new.push(item);
				list.push(item);
			}
		}
		list.splice(0, Math.max(0, list.length - options.maxEntries));
		this.rows.set(context, list);
		this.writes++;
		return result;
	}
}

const quiet = () => undefined;

describe('SharedDuplicateCheck', () => {
	it('a delivery seen by one process is a duplicate in another', async () => {
		const store = new FakeN8nStore();
		const processA = new SharedDuplicateCheck(new DuplicateMemory(), store, 'wf', 'node', quiet);
		const processB = new SharedDuplicateCheck(new DuplicateMemory(), store, 'wf', 'node', quiet);
		expect(await processA.checkAndRemember('webhook:1')).toBe(false);
		expect(await processB.checkAndRemember('webhook:1')).toBe(true);
		expect(await processA.checkAndRemember('webhook:1')).toBe(true);
		expect(await processB.checkAndRemember('webhook:2')).toBe(false);
	});

	it('answers from its own memory first, without a database round trip', async () => {
		const store = new FakeN8nStore();
		const check = new SharedDuplicateCheck(new DuplicateMemory(), store, 'wf', 'node', quiet);
		await check.checkAndRemember('webhook:1');
		const writes = store.writes;
		expect(await check.checkAndRemember('webhook:1')).toBe(true);
		expect(store.writes).toBe(writes);
	});

	it('loses no record when many deliveries arrive at once in one process', async () => {
		const store = new FakeN8nStore();
		const processA = new SharedDuplicateCheck(new DuplicateMemory(), store, 'wf', 'node', quiet);
		const keys = Array.from({ length: 300 }, (_, index) => `webhook:${index}`);
		expect(await Promise.all(keys.map((key) => processA.checkAndRemember(key)))).toEqual(keys.map(() => false));
		const processB = new SharedDuplicateCheck(new DuplicateMemory(), store, 'wf', 'node', quiet);
		expect(await Promise.all(keys.map((key) => processB.checkAndRemember(key)))).toEqual(keys.map(() => true));
	});

	it('spreads keys over buckets, each bounded', async () => {
		const store = new FakeN8nStore();
		const check = new SharedDuplicateCheck(new DuplicateMemory(), store, 'wf', 'node', quiet);
		for (let index = 0; index < 3000; index++) await check.checkAndRemember(`webhook:${index}`);
		expect(store.rows.size).toBeGreaterThan(8);
		for (const list of store.rows.values()) expect(list.length).toBeLessThanOrEqual(ENTRIES_PER_BUCKET);
	});

	it('retries a failed write, and lets the delivery through (with a warning) when the store keeps failing', async () => {
		const store = new FakeN8nStore();
		const warnings: string[] = [];
		const check = new SharedDuplicateCheck(new DuplicateMemory(), store, 'wf', 'node', (message) => warnings.push(message));
		store.failNext = 1;
		expect(await check.checkAndRemember('webhook:a')).toBe(false);
		expect(warnings).toEqual([]);
		store.failNext = 5;
		expect(await check.checkAndRemember('webhook:b')).toBe(false);
		expect(warnings[0]).toMatch(/shared duplicate check failed, delivery let through: database is locked/);
	});
});

describe('duplicateCheckFor', () => {
	it('uses this process\'s memory by default outside queue mode', async () => {
		const check = await duplicateCheckFor('auto', 'wf-auto', 'n1', quiet);
		expect(check).toBeInstanceOf(DuplicateMemory);
		expect(await duplicateCheckFor('process', 'wf-auto', 'n1', quiet)).toBe(check);
	});
	it('falls back to this process, with a warning, when the host has no shared store', async () => {
		const warnings: string[] = [];
		const check = await duplicateCheckFor('shared', 'wf-shared', 'n1', (message) => warnings.push(message));
		expect(check).toBeInstanceOf(DuplicateMemory);
		expect(warnings[0]).toMatch(/no shared deduplication store/);
	});
});
