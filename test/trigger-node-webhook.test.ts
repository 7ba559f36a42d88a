/**
 * The trigger node's webhook() as HighLevel, the workflow and the n8n admin see
 * it, for what the other webhook suites leave open: the node's icon, the 409 a
 * copy in flight gets, what the log says and how often, the failure path (a
 * claimed delivery is free again before HighLevel is told to retry; an answer
 * already sent is not sent twice), where the duplicate memory lives (n8n's
 * Redis in queue mode, per node id, long ids by their hash), and that every
 * parameter the node reads is one n8n gives it.
 */
import { createHash, randomUUID } from 'crypto';
import type { IDataObject, INode, IWebhookFunctions } from 'n8n-workflow';

import { type ApiStub, startApiStub, WAV } from './helpers/api-stub.cjs';
import { FakeN8nDeduplicationStore } from './helpers/fake-n8n-store';
import { startFileServer, type FileServer } from './helpers/file-server.cjs';
import { ALL_EVENTS, type Call, callWebhook, logged, makeTestKeys, node, signedCall, type TestKeys } from './helpers/harness';
import type * as Harness from './helpers/harness';
import { fileExists, readExample, repoPath } from './helpers/io.cjs';
import { nextTurn } from './helpers/timers.cjs';

const MY_APP = '6878cec452e7c8d29d4dd3d9';

/**
 * n8n's Redis as far as the ledger uses it (SET NX PX, GET, the release script),
 * one server shared by every "webhook process" of a test. `latencyTurns` delays
 * each answer by that many event-loop turns, as a network round trip would.
 */
class FakeRedisServer {
	readonly values = new Map<string, string>();
	latencyTurns = 0;

	private async roundTrip(): Promise<void> {
		for (let turn = 0; turn < this.latencyTurns; turn++) await nextTurn();
	}

	async set(key: string, value: string, _px: 'PX', _ttl: number, nx?: 'NX'): Promise<string | null> {
		await this.roundTrip();
		if (nx === 'NX' && this.values.has(key)) return null;
		this.values.set(key, value);
		return 'OK';
	}

	async get(key: string): Promise<string | null> {
		await this.roundTrip();
		return this.values.get(key) ?? null;
	}

	/** The ledger's one script: delete the key while it still holds this claim's token. */
	async eval(_script: string, _keys: number, key: string, token: string): Promise<number> {
		await this.roundTrip();
		if (this.values.get(key) !== token) return 0;
		this.values.delete(key);
		return 1;
	}

	on(): this {
		return this;
	}
}

let mockRedisServer = new FakeRedisServer();
// n8n's Redis client: every connection reaches the current test's server.
jest.mock('ioredis', () => ({
	__esModule: true,
	default: class {
		constructor() {
			return mockRedisServer;
		}
	},
}));

/** One n8n webhook process in queue mode (EXECUTIONS_MODE=queue): its own copy of every module, n8n's Redis shared. */
async function queueModeProcess(run: (n8n: typeof Harness) => Promise<void>): Promise<void> {
	await jest.isolateModulesAsync(async () => {
		const { Container } = await import('@n8n/di');
		const { GlobalConfig } = await import('@n8n/config');
		const redis = { host: '127.0.0.1', port: 6379, username: '', password: '', db: 0, tls: false, tlsConfig: { serverName: '', rejectUnauthorized: true }, clusterNodes: '', dualStack: false };
		Container.set(GlobalConfig, { executions: { mode: 'queue' }, queue: { bull: { prefix: 'bull', redis } } } as never);
		await run(await import('./helpers/harness'));
	});
}

/** One n8n process (regular mode) whose deduplication store is `database`. */
async function processWithDatabase(database: FakeN8nDeduplicationStore, run: (n8n: typeof Harness) => Promise<void>): Promise<void> {
	await jest.isolateModulesAsync(async () => {
		const core = await import('n8n-core');
		await core.DataDeduplicationService.init(database);
		await run(await import('./helpers/harness'));
	});
}

/** Runs `call` with what n8n hands the node changed by `change` (another node name, n8n's own parameter reading). */
async function callWith(call: Call, change: (context: IWebhookFunctions) => Partial<IWebhookFunctions>) {
	const original = node.webhook;
	node.webhook = async function (this: IWebhookFunctions) {
		return await original.call({ ...this, ...change(this) } as IWebhookFunctions);
	};
	try {
		return await callWebhook(call);
	} finally {
		node.webhook = original;
	}
}

/** The node as saved in the workflow, otherwise as the harness builds it. */
const savedAs = (saved: Partial<INode>) => (context: IWebhookFunctions) => ({ getNode: () => ({ ...context.getNode(), ...saved }) as INode });

/** A fresh HighLevel delivery: an inbound SMS with its own webhookId, sent now. */
const delivery = (fields: Record<string, unknown> = {}) => ({
	...readExample('inbound-sms').json,
	appId: MY_APP,
	webhookId: randomUUID(),
	timestamp: new Date().toISOString(),
	...fields,
});
const warnings = () => logged.filter((entry) => entry.level === 'warn').map((entry) => entry.message);

let keys: TestKeys;
beforeAll(() => {
	keys = makeTestKeys();
});
beforeEach(() => {
	logged.length = 0;
	mockRedisServer = new FakeRedisServer();
});

describe('the node as the editor shows it', () => {
	it('HighLevel\'s icon, light and dark, as two SVG files beside the node', () => {
		const icon = node.description.icon as { light: string; dark: string };
		expect(Object.keys(icon).sort()).toEqual(['dark', 'light']);
		// n8n reads "file:<name>" relative to the node's folder.
		for (const file of [icon.light, icon.dark]) {
			expect(file).toMatch(/^file:[\w.-]+\.svg$/);
			expect(fileExists(repoPath('nodes', 'HighLevel', file.replace(/^file:/, '')))).toBe(true);
		}
		expect(icon.dark).not.toBe(icon.light);
	});
});

describe('a copy of a delivery that is being handled right now', () => {
	it('gets 409 with the body the README documents, from the node itself', async () => {
		const body = delivery();
		const send = async (call: Partial<Call> = {}) => await callWebhook(signedCall(keys, body, { parameters: { appIds: MY_APP }, ...call }));
		const workflowId = `wf-409-${randomUUID()}`;
		const first = await send({ workflowId, execution: 'held' });
		const copy = await send({ workflowId });
		expect([copy.status, copy.answeredBy, copy.started]).toEqual([409, 'node', false]);
		expect(copy.body).toEqual({ error: 'conflict', message: 'This delivery is being processed; retry later.' });
		await first.n8nAnswers?.('created');
	});
});

describe('n8n\'s log', () => {
	it('an event of another location that names no location: the warning says it has none', async () => {
		const body: Record<string, unknown> = delivery();
		delete body.locationId;
		const answer = await callWebhook({ body, parameters: { authentication: 'none', options: { locationIds: 'my-location' } } });
		expect(answer.body).toEqual({ received: true, started: false, reason: 'location not allowed' });
		expect(warnings()).toEqual([
			'HighLevel Message Trigger (HighLevel Message Trigger): acknowledged and ignored an event: location not allowed (none); check App IDs / Location IDs if this is yours',
		]);
	});

	it('App IDs that are not a list of ids: every signed event refused, and a warning names App IDs', async () => {
		const answer = await callWebhook(signedCall(keys, delivery(), { parameters: { appIds: 42 as unknown as string } }));
		expect(answer.body).toEqual({ received: true, started: false, reason: 'app not allowed' });
		expect(warnings()).toContain('HighLevel Message Trigger: App IDs is not a list of IDs, so no event is accepted until it is corrected');
	});

	it('no deduplication store in this n8n: the delivery runs, and n8n\'s log says where duplicates are remembered', async () => {
		// README, Duplicates and replays: "If the store cannot be reached, the delivery is let through with a warning in n8n's log."
		const answer = await callWebhook({ body: delivery(), parameters: { authentication: 'none' }, workflowId: `wf-no-store-${randomUUID()}` });
		expect([answer.status, answer.started]).toEqual([200, true]);
		expect(warnings()).toEqual([expect.stringMatching(/^HighLevel Message Trigger: .*duplicates are checked in this process's memory only/)]);
	});

	it('the once-a-minute memory of warnings is bounded: after warnings of many other nodes, a node\'s warning comes again', async () => {
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
		try {
			const refused = async (nodeId: string) =>
				await callWebhook({ body: delivery(), nodeId, workflowId: 'wf-warn-bound', parameters: { authentication: 'none', options: { locationIds: 'my-location' } } });
			await refused('first');
			await refused('first');
			expect(warnings()).toHaveLength(1);
			for (let other = 0; other < 1100; other++) await refused(`other-${other}`);
			expect(warnings()).toHaveLength(1101);
			// Still within the same minute.
			await refused('first');
			expect(warnings()).toHaveLength(1102);
		} finally {
			clock.mockRestore();
		}
	}, 120_000);
});

describe('a failure inside the node', () => {
	it('before any delivery was claimed: still 503 (HighLevel retries), never a failed webhook call', async () => {
		// `events` is read before the duplicate memory is consulted.
		const answer = await callWebhook({ body: delivery(), parameters: { authentication: 'none' }, failParameter: 'events' });
		expect([answer.status, answer.answeredBy, answer.started]).toEqual([503, 'node', false]);
		expect(answer.body).toEqual({ error: 'unavailable', message: 'The message could not be accepted right now; retry later.' });
	});

	it('after its answer already went out: nothing more is sent and n8n is told not to answer', async () => {
		// The 401 is written, then the connection fails (the write throws).
		const answer = await callWith({ body: delivery(), parameters: { appIds: MY_APP }, credentials: signedCall(keys, {}).credentials }, (context) => {
			const response = context.getResponseObject();
			const json = response.json.bind(response);
			response.json = (body: unknown) => {
				json(body);
				throw new Error('write EPIPE');
			};
			return {};
		});
		expect(answer.result).toEqual({ noWebhookResponse: true });
		expect([answer.status, answer.body?.error, answer.started]).toEqual([401, 'unauthorized', false]);
	});

	it('queue mode: the claim in n8n\'s Redis is gone before HighLevel gets the 503, so a retry right after it runs', async () => {
		await queueModeProcess(async (n8n) => {
			mockRedisServer.latencyTurns = 10;
			const body = delivery();
			const send = async (call: Partial<Call> = {}) => await n8n.callWebhook({ body, parameters: { authentication: 'none' }, workflowId: 'wf-release', ...call });
			const failed = await send({ failParameter: 'routing' });
			expect([failed.status, failed.started]).toEqual([503, false]);
			expect([...mockRedisServer.values.values()]).toEqual([]);
			const retry = await send();
			expect([retry.status, retry.started]).toEqual([200, true]);
		});
	});
});

describe('the duplicate memory', () => {
	it('Duplicate Memory left at Automatic, in queue mode: n8n\'s Redis, so a copy reaching another webhook process is a duplicate', async () => {
		const body = delivery();
		const send = async (n8n: typeof Harness) => await n8n.callWebhook({ body, parameters: { authentication: 'none' }, workflowId: 'wf-queue', nodeId: 'trigger-1' });
		await queueModeProcess(async (n8n) => {
			const first = await send(n8n);
			expect([first.status, first.started]).toEqual([200, true]);
		});
		expect([...mockRedisServer.values.values()]).toEqual(['done']);
		await queueModeProcess(async (n8n) => {
			const copy = await send(n8n);
			expect([copy.status, copy.body]).toEqual([200, { received: true, started: false, reason: 'duplicate' }]);
		});
	});

	it('belongs to the node, not its name: a delivery resent after the node was renamed is still a duplicate', async () => {
		const body = delivery();
		const call: Call = { body, parameters: { authentication: 'none' }, workflowId: `wf-rename-${randomUUID()}`, nodeId: 'trigger-1' };
		expect((await callWith(call, savedAs({ name: 'HighLevel Message Trigger' }))).started).toBe(true);
		const again = await callWith(call, savedAs({ name: 'Incoming SMS' }));
		expect([again.status, again.body?.reason]).toEqual([200, 'duplicate']);
	});

	it('in a workflow saved without node ids, each trigger node still has its own (by name)', async () => {
		const body = delivery();
		const call: Call = { body, parameters: { authentication: 'none' }, workflowId: `wf-no-ids-${randomUUID()}` };
		const first = await callWith(call, savedAs({ id: undefined as unknown as string, name: 'Sales' }));
		const other = await callWith(call, savedAs({ id: undefined as unknown as string, name: 'Support' }));
		expect([first.started, other.started]).toEqual([true, true]);
		expect((await callWith(call, savedAs({ id: undefined as unknown as string, name: 'Sales' }))).body?.reason).toBe('duplicate');
	});

	it('a very long delivery id is remembered by its SHA-256, never as sent; its copies are duplicates, another long id is not', async () => {
		const database = new FakeN8nDeduplicationStore();
		const shared = 'x'.repeat(5000);
		const first = delivery({ webhookId: `${shared}-1` });
		const second = delivery({ webhookId: `${shared}-2` });
		await processWithDatabase(database, async (n8n) => {
			const send = async (body: IDataObject) => await n8n.callWebhook({ body, parameters: { authentication: 'none' }, workflowId: 'wf-long-id' });
			expect((await send(first)).started).toBe(true);
			expect((await send(first)).body?.reason).toBe('duplicate');
			expect((await send(second)).started).toBe(true);
		});
		const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
		expect(database.holds(`webhook:${first.webhookId}`)).toBe(false);
		expect(database.holds(`sha256:${sha256(`webhook:${first.webhookId}`)}`)).toBe(true);
		expect(database.holds(`sha256:${sha256(`webhook:${second.webhookId}`)}`)).toBe(true);
	});
});

describe('n8n\'s own parameter reading', () => {
	/** n8n-core's getNodeParameter: a parameter the node has no value for and no fallback is an error. */
	const asN8nReads = (context: IWebhookFunctions) => ({
		getNodeParameter: ((name: string, fallback?: unknown) => {
			const value = context.getNodeParameter(name, fallback as never) as unknown;
			if (value === undefined) throw new Error(`Could not get parameter: ${name}`);
			return value;
		}) as IWebhookFunctions['getNodeParameter'],
	});

	it.each([
		['None', { authentication: 'none' }, (): Call => ({ body: delivery() })],
		['None, Single Output, Outbound too', { ...ALL_EVENTS, routing: 'single' }, (): Call => ({ body: delivery() })],
		['HighLevel Signature with App IDs', { appIds: MY_APP }, (): Call => signedCall(keys, delivery())],
	])('%s: an event is accepted and runs', async (_name, parameters, request) => {
		const call = request();
		const answer = await callWith({ ...call, parameters: { ...call.parameters, ...parameters } }, asN8nReads);
		expect([answer.status, answer.started, answer.body?.channel]).toEqual([200, true, 'SMS']);
	});
});

describe('Fill In From HighLevel API together with the rest', () => {
	let api: ApiStub;
	let files: FileServer;
	beforeAll(async () => {
		[api, files] = await Promise.all([startApiStub(), startFileServer()]);
	});
	afterAll(async () => await Promise.all([api.close(), files.close()]));
	beforeEach(() => api.reset());

	const voicemail = () => readExample('inbound-call-voicemail').json;

	it('API Credential Type OAuth2: the contact is asked for with the OAuth2 connection\'s token', async () => {
		api.respondTo(/^\/contacts\//, { status: 200, headers: { 'content-type': 'application/json' }, body: { contact: { id: 'c1', firstName: 'Jane', lastName: 'Doe' } } });
		const sms = readExample('inbound-sms').json;
		const answer = await callWebhook({
			body: sms,
			parameters: { ...ALL_EVENTS, enrich: ['contact'], apiAuthentication: 'oAuth2', options: { maxEventAgeMinutes: 0 } },
			credentials: { highLevelConversationsOAuth2Api: { baseUrl: api.base, oauthTokenData: { access_token: 'oauth-access-token', locationId: sms.locationId } } },
		});
		expect([answer.status, answer.started]).toEqual([200, true]);
		expect(answer.item?.contact).toMatchObject({ id: 'c1', name: 'Jane Doe' });
		expect(api.requests.map((request) => request.headers.authorization)).toEqual(['Bearer oauth-access-token']);
	});

	it('Download Recordings and Download Attachments: the item carries the recording and the attachment', async () => {
		const body = { ...voicemail(), attachments: [`${files.base}/photo.png`] };
		const locationId = voicemail().locationId as string;
		const answer = await callWebhook({
			body,
			parameters: { ...ALL_EVENTS, enrich: ['recordings'], options: { maxEventAgeMinutes: 0, downloadAttachments: true, attachmentAllowPrivateNetwork: true } },
			credentials: { highLevelPrivateIntegrationTokenApi: { token: 'pit', locationId, baseUrl: api.base } },
		});
		expect([answer.status, answer.started]).toEqual([200, true]);
		expect(Object.keys(answer.binary ?? {}).sort()).toEqual(['attachment_0', 'recording']);
		expect(Buffer.from(answer.binary?.recording.data as string, 'base64').equals(WAV)).toBe(true);
	});
});
