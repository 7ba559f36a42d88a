import { DuplicateMemory, duplicateMemoryFor } from '../nodes/HighLevel/trigger/dedupe';

describe('DuplicateMemory', () => {
	it('says duplicate for a key seen within 24 hours, not after', () => {
		const memory = new DuplicateMemory();
		const start = Date.parse('2026-01-01T00:00:00Z');
		expect(memory.checkAndRemember('a', start)).toBe(false);
		expect(memory.checkAndRemember('a', start + 1000)).toBe(true);
		expect(memory.checkAndRemember('a', start + 24 * 3600_000 - 1)).toBe(true);
		expect(memory.checkAndRemember('a', start + 24 * 3600_000 + 1)).toBe(false);
	});

	it('stays bounded after 100,000 distinct ids, evicting the oldest', () => {
		const memory = new DuplicateMemory(10_000);
		const now = Date.now();
		for (let index = 0; index < 100_000; index++) memory.checkAndRemember(`id-${index}`, now);
		expect(memory.size).toBe(10_000);
		expect(memory.checkAndRemember('id-99999', now)).toBe(true);
		expect(memory.checkAndRemember('id-0', now)).toBe(false);
	});

	it('forgets expired entries as time passes', () => {
		const memory = new DuplicateMemory(100, 1000);
		for (let index = 0; index < 50; index++) memory.checkAndRemember(`k${index}`, index);
		memory.checkAndRemember('late', 5000);
		expect(memory.size).toBe(1);
	});

	it('forget() lets a key through again', () => {
		const memory = new DuplicateMemory();
		memory.checkAndRemember('a', 1);
		memory.forget('a');
		expect(memory.checkAndRemember('a', 2)).toBe(false);
	});

	it('keeps one memory per scope', () => {
		expect(duplicateMemoryFor('w1:n1')).toBe(duplicateMemoryFor('w1:n1'));
		expect(duplicateMemoryFor('w1:n1')).not.toBe(duplicateMemoryFor('w1:n2'));
	});
});
