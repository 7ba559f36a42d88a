import { sleep } from '../../scripts/lib/n8n.mjs';

/**
 * Polls n8n's execution records until at least `count` are there (and `ready`
 * holds for them), then returns them. Executions finish after n8n's answer.
 */
export async function waitForExecutions(read, count, { timeoutMs = 120_000, ready = () => true, context = () => '' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let list = [];
	while (Date.now() < deadline) {
		list = await read();
		if (list.length >= count && list.slice(0, count).every(ready)) return list;
		await sleep(300);
	}
	throw new Error(`expected ${count} executions, saw ${list.length}${context()}`);
}
