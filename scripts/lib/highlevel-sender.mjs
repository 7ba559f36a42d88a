// A sender that behaves like HighLevel's webhook delivery (FACTS.md, Delivery):
// any non-2xx answer or failed connection is retried with exponential backoff and
// jitter, re-sending the same bytes (same webhookId, same timestamp) until a 2xx
// or the retries run out. Scaled down in time for tests.
import { sleep } from './n8n.mjs';

/**
 * Delivers `raw` to `url` with `headers`; returns the final status (or null when
 * every attempt failed) and how many attempts it took.
 */
export async function deliverLikeHighLevel(url, raw, headers, { retries = 12, baseMs = 250, maxMs = 4000, timeoutMs = 15_000, onAttempt } = {}) {
	let status = null;
	for (let attempt = 1; attempt <= retries + 1; attempt++) {
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: raw,
				signal: AbortSignal.timeout(timeoutMs),
			});
			status = response.status;
			const text = await response.text();
			onAttempt?.(status, text);
			if (status >= 200 && status < 300) return { status, attempts: attempt };
		} catch (error) {
			status = null;
			onAttempt?.(error.name === 'TimeoutError' ? 'timeout' : 'no connection');
		}
		const backoff = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
		await sleep(backoff / 2 + Math.random() * (backoff / 2));
	}
	return { status, attempts: retries + 1 };
}
