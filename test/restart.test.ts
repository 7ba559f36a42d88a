/**
 * A captured delivery re-sent after n8n restarts does not run: outside queue
 * mode the node keeps its duplicate memory in n8n's own database (n8n-core's
 * DataDeduplicationService, here over a faithful in-memory copy of the table).
 * Each "n8n" below is a fresh copy of every module (the node, its ledgers,
 * n8n-core) sharing only the database, as a restarted process would.
 */
import { randomUUID } from 'crypto';

import { FakeN8nDeduplicationStore } from './helpers/fake-n8n-store';
import { makeTestKeys } from './helpers/harness';
import type * as Harness from './helpers/harness';
import { readExample } from './helpers/io.cjs';

const MY_APP = '6878cec452e7c8d29d4dd3d9';

/**
 * One lifetime of an "n8n" whose deduplication store is `database`: every module
 * it loads while `run` runs is its own copy.
 */
async function n8nLifetime(database: FakeN8nDeduplicationStore, run: (n8n: typeof Harness) => Promise<void>): Promise<void> {
	await jest.isolateModulesAsync(async () => {
		const core = await import('n8n-core');
		await core.DataDeduplicationService.init(database);
		await run(await import('./helpers/harness'));
	});
}

describe('after an n8n restart', () => {
	it('a delivery that ran is still a duplicate; one whose execution was never created runs', async () => {
		const database = new FakeN8nDeduplicationStore();
		const keys = makeTestKeys();
		const delivery = (webhookId: string) => ({ ...readExample('inbound-sms').json, appId: MY_APP, webhookId, timestamp: new Date().toISOString() });
		const send = async (n8n: typeof Harness, webhookId: string, call: Partial<Harness.Call> = {}) =>
			await n8n.callWebhook(n8n.signedCall(keys, delivery(webhookId), { workflowId: 'wf-restart', nodeId: 'trigger-1', parameters: { appIds: MY_APP }, ...call }));
		const ran = randomUUID();
		const killedBeforeExecution = randomUUID();

		await n8nLifetime(database, async (n8n) => {
			expect((await send(n8n, ran)).status).toBe(200);
			expect((await send(n8n, ran)).body?.reason).toBe('duplicate');
			expect((await send(n8n, killedBeforeExecution, { execution: 'closed' })).status).toBeUndefined();
		});
		expect(database.holds(`webhook:${ran}`)).toBe(true);
		expect(database.holds(`webhook:${killedBeforeExecution}`)).toBe(false);
		// n8n is killed and started again: only the database is left.
		await n8nLifetime(database, async (n8n) => {
			const replay = await send(n8n, ran);
			expect([replay.status, replay.started, replay.body?.reason]).toEqual([200, false, 'duplicate']);
			const retry = await send(n8n, killedBeforeExecution);
			expect([retry.status, retry.started]).toEqual([200, true]);
		});
	}, 60_000);
});
