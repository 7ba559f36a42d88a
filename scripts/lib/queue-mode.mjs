// n8n 2.x in queue mode on one machine: PostgreSQL and Redis on loopback, the
// main process, two `n8n webhook` processes and one `n8n worker`, all on the
// same database, with this package installed as a user would.
import { createRequire } from 'node:module';
import path from 'node:path';

import { createInstance, ensureN8n, freePort, removeInstance } from './n8n.mjs';
import { ensureDebianPackages, startPostgres, startRedis } from './services.mjs';

export async function startQueueMode({ credentials = [], workflows = [], webhookProcesses = 2, env = {} } = {}) {
	await ensureDebianPackages();
	const postgres = await startPostgres();
	const redis = await startRedis();
	const runtime = await ensureN8n(2);
	const instance = await createInstance(runtime, { env: { ...postgres.env, ...redis.env, N8N_LOG_LEVEL: 'warn', ...env } });
	const flatted = createRequire(path.join(runtime.dir, 'node_modules', 'n8n', 'package.json'))('flatted');
	const stop = async () => {
		await removeInstance(instance);
		await redis.stop();
		await postgres.stop();
	};
	try {
		if (credentials.length) await instance.importCredentials(credentials);
		for (const workflow of workflows) await instance.importWorkflow(workflow);
		await instance.start();
		const workerBroker = await freePort();
		instance.spawn('worker', { N8N_RUNNERS_BROKER_PORT: String(workerBroker), QUEUE_HEALTH_CHECK_ACTIVE: 'false' });
		const webhookBaseUrls = [];
		const webhookChildren = [];
		const startWebhook = async (index, port) => {
			const child = instance.spawn('webhook', { N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
			webhookChildren[index] = child;
			await instance.waitReady(`http://127.0.0.1:${port}`, () => child);
		};
		for (let index = 0; index < webhookProcesses; index++) {
			const port = await freePort();
			await startWebhook(index, port);
			webhookBaseUrls.push(`http://127.0.0.1:${port}`);
		}
		return {
			instance,
			postgres,
			runtime,
			webhookBaseUrls,
			stop,
			/** Kills webhook process `index` with `signal` (no graceful shutdown) and starts it again on its port. */
			async restartWebhook(index, signal = 'SIGKILL') {
				const child = webhookChildren[index];
				if (child.exitCode === null && child.signalCode === null) {
					const exited = new Promise((resolve) => child.once('exit', resolve));
					child.kill(signal);
					await exited;
				}
				await startWebhook(index, Number(new URL(webhookBaseUrls[index]).port));
			},
			/** Finished executions with the trigger's outputs, from the shared database. */
			async executions(workflowId, triggerName = 'HighLevel Message Trigger') {
				const rows = await postgres.query(
					`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${workflowId}' AND e.status NOT IN ('new', 'running', 'waiting') ORDER BY e.id`,
				);
				return rows.map(([id, status, data]) => {
					const run = flatted.parse(data).resultData.runData[triggerName]?.[0];
					return { id: Number(id), status, outputs: (run?.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json)) };
				});
			},
			async finishedCount(workflowId) {
				const [[count]] = await postgres.query(
					`SELECT COUNT(*) FROM execution_entity WHERE "workflowId" = '${workflowId}' AND status NOT IN ('new', 'running', 'waiting')`,
				);
				return Number(count);
			},
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
