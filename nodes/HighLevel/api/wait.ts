/**
 * Waiting that an abort signal ends early. n8n-workflow's `sleepWithAbort` is
 * not in every n8n this package runs in (n8n 2.40's n8n-workflow lacks it), so
 * only `sleep`, which all of them have, is used.
 */
import { sleep } from 'n8n-workflow';

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new Error('aborted');
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(new Error('aborted'));
		signal?.addEventListener('abort', onAbort, { once: true });
		void sleep(ms).then(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}
