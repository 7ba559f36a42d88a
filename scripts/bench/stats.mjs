export function summarize(samplesNs) {
	const sorted = Float64Array.from(samplesNs).sort();
	const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
	return { medianUs: at(0.5) / 1000, p99Us: at(0.99) / 1000, meanUs: mean / 1000, perSecond: 1e9 / mean };
}

/** Times `fn` once per iteration (after a warm-up); `fn` may be async. */
export async function timeEach(fn, { iterations = 20_000, warmup = 3_000 } = {}) {
	for (let index = 0; index < warmup; index++) await fn(index);
	const samples = new Float64Array(iterations);
	for (let index = 0; index < iterations; index++) {
		const start = process.hrtime.bigint();
		await fn(index);
		samples[index] = Number(process.hrtime.bigint() - start);
	}
	return summarize(samples);
}

export const fmt = (value, digits = 1) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits));
