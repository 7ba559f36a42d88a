/**
 * The delivery ledger: each HighLevel delivery runs once, a claim that never led
 * to an execution does not block HighLevel's retry, and what ran is remembered
 * for at least the maximum event age, by time, across restarts.
 *
 * MemoryLedger (one process) and DatabaseLedger (n8n's own deduplication store,
 * here a faithful in-memory copy of it). The Redis ledger is in redis-ledger.test.ts.
 */
import { BUCKETS, bucketOf, DatabaseLedger, ENTRIES_PER_BUCKET } from '../nodes/HighLevel/trigger/database-ledger';
import { DAY_MS, MemoryLedger, PENDING_TTL_MS } from '../nodes/HighLevel/trigger/ledger';
import { ledgerFor } from '../nodes/HighLevel/trigger/ledgers';
import { FakeN8nDeduplicationStore } from './helpers/fake-n8n-store';

const START = Date.parse('2026-03-01T00:00:00Z');
const quiet = () => undefined;

describe('MemoryLedger', () => {
	it('of two simultaneous claims of one delivery, exactly one runs; the other is in flight', async () => {
		const ledger = new MemoryLedger();
		const results = await Promise.all([ledger.claim('webhook:a', START), ledger.claim('webhook:a', START)]);
		expect(results.sort()).toEqual(['in-flight', 'new']);
	});

	it('confirmed: a duplicate; released: runs again', async () => {
		const ledger = new MemoryLedger();
		expect(await ledger.claim('webhook:a', START)).toBe('new');
		await ledger.confirm('webhook:a', START + 10);
		expect(await ledger.claim('webhook:a', START + 20)).toBe('duplicate');

		expect(await ledger.claim('webhook:b', START)).toBe('new');
		await ledger.release('webhook:b');
		expect(await ledger.claim('webhook:b', START + 20)).toBe('new');
	});

	it('a claim never settled (the process died) stops blocking after the pending time', async () => {
		const ledger = new MemoryLedger();
		expect(await ledger.claim('webhook:a', START)).toBe('new');
		expect(await ledger.claim('webhook:a', START + PENDING_TTL_MS - 1)).toBe('in-flight');
		expect(await ledger.claim('webhook:a', START + PENDING_TTL_MS)).toBe('new');
		// Short enough for HighLevel's retries, long enough for n8n to create an execution.
		expect(PENDING_TTL_MS).toBeGreaterThanOrEqual(30_000);
		expect(PENDING_TTL_MS).toBeLessThanOrEqual(10 * 60_000);
	});

	it('remembers a delivery for the whole day even after 60,000 others, and forgets it after', async () => {
		const ledger = new MemoryLedger(DAY_MS);
		await ledger.claim('webhook:first', START);
		await ledger.confirm('webhook:first', START);
		for (let index = 0; index < 60_000; index++) {
			const at = START + Math.floor((index * (DAY_MS - 2)) / 60_000);
			ledger.claimNow(`webhook:${index}`, at);
			await ledger.confirm(`webhook:${index}`, at);
		}
		expect(await ledger.claim('webhook:first', START + DAY_MS - 1)).toBe('duplicate');
		expect(await ledger.claim('webhook:first', START + DAY_MS)).toBe('new');
	});

	it('remembers at most maxDone deliveries: past the bound the oldest is forgotten first', async () => {
		const ledger = new MemoryLedger(DAY_MS, 3);
		for (const key of ['a', 'b', 'c', 'd']) {
			ledger.claimNow(key, START);
			await ledger.confirm(key, START);
		}
		expect(ledger.size).toBe(3);
		expect(await ledger.claim('a', START + 1)).toBe('new');
		for (const key of ['b', 'c', 'd']) expect([key, await ledger.claim(key, START + 1)]).toEqual([key, 'duplicate']);
	});

	it('a delivery seen again is remembered from its latest time (a repeat keeps it fresh)', async () => {
		const ledger = new MemoryLedger(1000);
		await ledger.confirm('a', START);
		await ledger.confirm('b', START + 10);
		await ledger.confirm('a', START + 500);
		// b expires first although a was recorded before it.
		expect(await ledger.claim('b', START + 1010)).toBe('new');
		expect(await ledger.claim('a', START + 1010)).toBe('duplicate');
		expect(await ledger.claim('a', START + 1500)).toBe('new');
	});

	it('forgets expired deliveries as time passes (memory stays small)', async () => {
		const ledger = new MemoryLedger(1000, 100_000, 100);
		for (let index = 0; index < 50; index++) {
			await ledger.claim(`k${index}`, START + index);
			if (index % 2 === 0) await ledger.confirm(`k${index}`, START + index);
		}
		await ledger.claim('late', START + 5000);
		expect(ledger.size).toBe(1);
	});
});

describe('DatabaseLedger (n8n\'s deduplication store)', () => {
	const TTL = DAY_MS;
	const open = (store: FakeN8nDeduplicationStore, warn: (message: string) => void = quiet) =>
		new DatabaseLedger(store, store.findProcessedData.bind(store), 'wf-1', 'node-1', TTL, new MemoryLedger(TTL), warn);

	it('of two simultaneous claims in one process, exactly one runs', async () => {
		const ledger = open(new FakeN8nDeduplicationStore());
		const results = await Promise.all([ledger.claim('webhook:a', START), ledger.claim('webhook:a', START)]);
		expect(results.sort()).toEqual(['in-flight', 'new']);
	});

	it('confirmed: a duplicate here, in another process, and after a restart', async () => {
		const store = new FakeN8nDeduplicationStore();
		const first = open(store);
		expect(await first.claim('webhook:a', START)).toBe('new');
		await first.confirm('webhook:a', START + 5);
		expect(await first.claim('webhook:a', START + 10)).toBe('duplicate');
		// A restarted n8n (or another process): empty memory, same database.
		const restarted = open(store);
		expect(await restarted.claim('webhook:a', START + 60_000)).toBe('duplicate');
		expect(await restarted.claim('webhook:other', START + 60_000)).toBe('new');
	});

	it('released, or never confirmed before a crash: HighLevel\'s retry runs', async () => {
		const store = new FakeN8nDeduplicationStore();
		const ledger = open(store);
		expect(await ledger.claim('webhook:a', START)).toBe('new');
		await ledger.release('webhook:a');
		expect(await ledger.claim('webhook:a', START + 1)).toBe('new');
		// Claimed, then the process died: nothing in the database blocks the retry.
		expect(store.holds('webhook:a')).toBe(false);
		expect(await open(store).claim('webhook:a', START + 2)).toBe('new');
		// In the same process, the claim stops blocking after the pending time.
		expect(await ledger.claim('webhook:a', START + 2)).toBe('in-flight');
		expect(await ledger.claim('webhook:a', START + 1 + PENDING_TTL_MS)).toBe('new');
	});

	it('300 deliveries claimed and confirmed at once in one process: none is lost in the database', async () => {
		const store = new FakeN8nDeduplicationStore();
		const ledger = open(store);
		const keys = Array.from({ length: 300 }, (_, index) => `webhook:${index}`);
		expect(await Promise.all(keys.map(async (key) => await ledger.claim(key, START)))).toEqual(keys.map(() => 'new'));
		await Promise.all(keys.map(async (key) => await ledger.confirm(key, START + 1)));
		const restarted = open(store);
		expect(await Promise.all(keys.map(async (key) => await restarted.claim(key, START + 2)))).toEqual(keys.map(() => 'duplicate'));
	});

	it('answers a copy it has settled itself from memory, without a database round trip', async () => {
		const store = new FakeN8nDeduplicationStore();
		const ledger = open(store);
		await ledger.claim('webhook:a', START);
		await ledger.confirm('webhook:a', START);
		const [reads, writes] = [store.reads, store.writes];
		expect(await ledger.claim('webhook:a', START + 1)).toBe('duplicate');
		expect([store.reads, store.writes]).toEqual([reads, writes]);
	});

	it('checking a delivery leaves no trace in the database: only a confirmation records it', async () => {
		const store = new FakeN8nDeduplicationStore();
		const ledger = open(store);
		for (let index = 0; index < 40; index++) expect(await ledger.claim(`webhook:${index}`, START)).toBe('new');
		expect(Array.from({ length: 40 }, (_, index) => store.holds(`webhook:${index}`))).not.toContain(true);
		await ledger.confirm('webhook:7', START + 1);
		expect(store.holds('webhook:7')).toBe(true);
	});

	it('remembers for at least the TTL by time, after 5,000 other deliveries, and forgets after twice the TTL', async () => {
		const store = new FakeN8nDeduplicationStore();
		const ledger = open(store);
		// Late in a day slot, the hardest case for a slot-based memory.
		const at = START + TTL - 1000;
		await ledger.claim('webhook:first', at);
		await ledger.confirm('webhook:first', at);
		for (let index = 0; index < 5_000; index++) {
			const key = `webhook:${index}`;
			ledger.claim(key, at).catch(quiet);
			await ledger.confirm(key, at + index);
		}
		expect(await open(store).claim('webhook:first', at + TTL - 1)).toBe('duplicate');
		expect(await open(store).claim('webhook:first', at + 2 * TTL)).toBe('new');
		for (const row of store.rows.values()) expect(row.value.data.length).toBeLessThanOrEqual(ENTRIES_PER_BUCKET);
	});

	it('clears day slots older than the memory needs', async () => {
		const store = new FakeN8nDeduplicationStore();
		const ledger = open(store);
		const keys = Array.from({ length: 200 }, (_, index) => `webhook:${index}`);
		for (const key of keys) await ledger.confirm(key, START);
		const slot = Math.floor(START / TTL);
		const rowsOfSlot = (s: number) => [...store.rows.keys()].filter((key) => key.includes(`:highlevel-deliveries:${s}:`)).length;
		expect(rowsOfSlot(slot)).toBe(BUCKETS);
		await ledger.confirm('webhook:next-day', START + TTL);
		expect(rowsOfSlot(slot)).toBe(BUCKETS);
		await ledger.confirm('webhook:two-days-later', START + 2 * TTL);
		expect(rowsOfSlot(slot)).toBe(0);
		// A restarted process clears them too.
		await ledger.confirm('webhook:x', START + 3 * TTL);
		await open(store).confirm('webhook:y', START + 4 * TTL);
		expect(rowsOfSlot(slot + 1)).toBe(0);
		expect(rowsOfSlot(slot + 2)).toBe(0);
	});

	it('clears old day slots also after a quiet spell (no row is kept for ever)', async () => {
		const store = new FakeN8nDeduplicationStore();
		const ledger = open(store);
		await ledger.confirm('webhook:monday', START);
		// Nothing arrives for a week; then one message.
		await ledger.confirm('webhook:next-monday', START + 7 * TTL);
		const slots = new Set([...store.rows.keys()].map((key) => key.split(':highlevel-deliveries:')[1].split(':')[0]));
		expect([...slots]).toEqual([String(Math.floor((START + 7 * TTL) / TTL))]);
	});

	/** Keys that land in one bucket, to act out writes to one stored set. */
	const sameBucket = (count: number) => {
		const keys: string[] = [];
		for (let index = 0; keys.length < count; index++) if (bucketOf(`webhook:b${index}`) === 3) keys.push(`webhook:b${index}`);
		return keys;
	};

	it('writes where n8n\'s deduplication helper reads: the workflow, and a node key naming the day slot and bucket, in entries mode', async () => {
		const store = new FakeN8nDeduplicationStore();
		const warnings: string[] = [];
		const slot = Math.floor(START / DAY_MS);
		const [earlier, key] = sameBucket(2);
		// A row n8n's helper already holds for this slot and bucket (an earlier delivery).
		await store.checkProcessedAndRecord([earlier], 'node', { workflow: { id: 'wf-1' }, node: { id: `node-1:highlevel-deliveries:${slot}:3` } }, { mode: 'entries', maxEntries: ENTRIES_PER_BUCKET });
		expect(await open(store, (message) => warnings.push(message)).claim(earlier, START)).toBe('duplicate');
		const ledger = open(store, (message) => warnings.push(message));
		expect(await ledger.claim(key, START)).toBe('new');
		await ledger.confirm(key, START);
		expect([...store.rows.keys()]).toEqual([`wf-1|n:node-1:highlevel-deliveries:${slot}:3`]);
		expect(await open(store).claim(key, START + 1)).toBe('duplicate');
		expect(warnings).toEqual([]);
	});

	it('a stored set holding other deliveries does not make a new one a duplicate', async () => {
		const store = new FakeN8nDeduplicationStore();
		const [first, second] = sameBucket(2);
		await open(store).confirm(first, START);
		expect(await open(store).claim(second, START + 1)).toBe('new');
	});

	it('an ordinary check of an empty database warns about nothing', async () => {
		const warnings: string[] = [];
		expect(await open(new FakeN8nDeduplicationStore(), (message) => warnings.push(message)).claim('webhook:a', START)).toBe('new');
		expect(warnings).toEqual([]);
	});

	it('a database that fails while recording: a warning, and this process still remembers the delivery', async () => {
		const store = new FakeN8nDeduplicationStore();
		const warnings: string[] = [];
		const ledger = open(store, (message) => warnings.push(message));
		expect(await ledger.claim('webhook:a', START)).toBe('new');
		store.failNext = 1;
		await ledger.confirm('webhook:a', START);
		expect(warnings).toEqual(["could not record a delivery in n8n's database (it is remembered by this process only): SQLITE_BUSY: database is locked"]);
		expect(await ledger.claim('webhook:a', START + 1)).toBe('duplicate');
	});

	it('clears old days once per day, and after a long quiet spell at most a month of them', async () => {
		const store = new FakeN8nDeduplicationStore();
		const ledger = open(store);
		await ledger.confirm('webhook:day0', START);
		const writesAfter = async (key: string, at: number) => {
			const before = store.writes;
			await ledger.confirm(key, at);
			return store.writes - before;
		};
		// Each new day, the one day that fell out of reach (TTL one day) has its 16 buckets cleared, once.
		expect(await writesAfter('webhook:day1-a', START + DAY_MS)).toBe(1 + BUCKETS);
		expect(await writesAfter('webhook:day1-b', START + DAY_MS + 1)).toBe(1);
		expect(await writesAfter('webhook:day2', START + 2 * DAY_MS)).toBe(1 + BUCKETS);
		// 100 days later: the 30 most recent days out of reach are cleared, no more.
		expect(await writesAfter('webhook:day102', START + 102 * DAY_MS)).toBe(1 + 30 * BUCKETS);
		expect(await writesAfter('webhook:day102-b', START + 102 * DAY_MS + 1)).toBe(1);
		expect(await writesAfter('webhook:day103', START + 103 * DAY_MS)).toBe(1 + BUCKETS);
	});

	it('writes to one stored set stay in order while new deliveries keep arriving (none is lost)', async () => {
		const store = new FakeN8nDeduplicationStore();
		const ledger = open(store);
		const keys = sameBucket(6);
		// Today's first record also clears old days; after it, each record is one write.
		await ledger.confirm('webhook:warm-up', START);
		const first = ledger.confirm(keys[0], START);
		const second = ledger.confirm(keys[1], START);
		await first;
		// The second write is under way; more arrive now.
		const rest = keys.slice(2).map(async (key) => await ledger.confirm(key, START));
		await Promise.all([second, ...rest]);
		const restarted = open(store);
		for (const key of keys) expect([key, await restarted.claim(key, START + 1)]).toEqual([key, 'duplicate']);
	});

	it('spreads deliveries over its buckets', () => {
		const used = new Set(Array.from({ length: 1000 }, (_, index) => bucketOf(`webhook:${index}`)));
		expect(used.size).toBe(BUCKETS);
	});

	it('a database that fails lets the delivery through, with a warning for the n8n admin', async () => {
		const store = new FakeN8nDeduplicationStore();
		const warnings: string[] = [];
		const ledger = open(store, (message) => warnings.push(message));
		store.failNext = 10;
		expect(await ledger.claim('webhook:a', START)).toBe('new');
		expect(warnings.join('\n')).toMatch(/database is locked/);
	});

	it('another process checking at any moment of a claim never takes it for a delivery that ran', async () => {
		// Two processes share the database. While process A checks delivery X, B
		// checks a copy of X (between any two of A's database round trips). A's
		// execution then fails, so HighLevel retries. B must not have answered X as
		// already run, nor refuse the retry: that message would be acknowledged and
		// never run.
		for (let step = 1; ; step++) {
			const store = new FakeN8nDeduplicationStore();
			const [processA, processB] = [open(store), open(store)];
			let roundTrips = 0;
			let copyInB: Promise<string> | undefined;
			store.afterRoundTrip = async () => {
				if (++roundTrips !== step) return;
				copyInB = processB.claim('webhook:x', START);
				await copyInB;
			};
			expect(await processA.claim('webhook:x', START)).toBe('new');
			store.afterRoundTrip = undefined;
			if (copyInB === undefined) break;
			expect([step, await copyInB]).not.toEqual([step, 'duplicate']);
			await processA.release('webhook:x');
			expect([step, await processB.claim('webhook:x', START + PENDING_TTL_MS)]).toEqual([step, 'new']);
		}
	});

	it('a process killed at any moment of a claim leaves nothing in the database that refuses the retry', async () => {
		for (let step = 1; ; step++) {
			const store = new FakeN8nDeduplicationStore();
			let roundTrips = 0;
			let killed = false;
			store.afterRoundTrip = async () => {
				if (++roundTrips !== step) return;
				killed = true;
				// The process dies here: nothing after this round trip happens.
				await new Promise<never>(() => undefined);
			};
			void open(store).claim('webhook:x', START);
			for (let turn = 0; turn < 50; turn++) await Promise.resolve();
			store.afterRoundTrip = undefined;
			if (!killed) break;
			expect([step, store.holds('webhook:x')]).toEqual([step, false]);
			expect([step, await open(store).claim('webhook:x', START + 1)]).toEqual([step, 'new']);
		}
	});
});

describe('ledgerFor', () => {
	it('keeps one ledger per workflow node and remembers at least a day', async () => {
		const ledger = await ledgerFor('process', 'wf-a', 'n1', 0, quiet);
		expect(await ledgerFor('process', 'wf-a', 'n1', 0, quiet)).toBe(ledger);
		expect(await ledgerFor('process', 'wf-a', 'n2', 0, quiet)).not.toBe(ledger);
		expect(ledger).toBeInstanceOf(MemoryLedger);
		expect((ledger as MemoryLedger).ttlMs).toBeGreaterThanOrEqual(DAY_MS);
		const longer = (await ledgerFor('process', 'wf-a', 'n3', 3 * DAY_MS, quiet)) as MemoryLedger;
		// At least the age asked for, with an hour's margin for the sender's clock.
		expect(longer.ttlMs).toBe(3 * DAY_MS + 60 * 60 * 1000);
	});

	it('falls back to this process, with a warning, when the host has no deduplication store', async () => {
		const warnings: string[] = [];
		const ledger = await ledgerFor('shared', 'wf-shared', 'n1', DAY_MS, (message) => warnings.push(message));
		expect(ledger).toBeInstanceOf(MemoryLedger);
		expect(warnings.join('\n')).toMatch(/memory only/);
	});
});
