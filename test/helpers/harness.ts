/**
 * Calls the node's webhook() the way n8n 2.x does: a request whose `rawBody` is
 * the exact bytes and whose `body` is what n8n's body parser made of them, node
 * parameters resolved against the node description's defaults by n8n-workflow
 * itself, and a response that behaves like Express's (res.json() ends it
 * through res.end(); 'finish' once the answer is handed to the socket, then
 * 'close'). When the node leaves the answer to
 * n8n (workflowData without noWebhookResponse), the harness answers as n8n 2.x
 * does in `webhook-helpers`: only after the execution exists, with the
 * description's response code and the node's `webhookResponse` as the body.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'crypto';
import {
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IWebhookFunctions,
	type IWebhookResponseData,
	NodeHelpers,
} from 'n8n-workflow';

import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { HighLevelMessageTrigger } from '../../nodes/HighLevel/HighLevelMessageTrigger.node';
import { nextTurn } from './timers.cjs';

export interface Call {
	/** An object is sent as JSON.stringify(body); a string or Buffer is sent as is. */
	body?: unknown;
	headers?: Record<string, string | string[]>;
	/** null sends no Content-Type. */
	contentType?: string | null;
	parameters?: INodeParameters;
	credentials?: Record<string, IDataObject>;
	workflowId?: string;
	nodeId?: string;
	/** Fixed credential ids, to act out a user editing a credential in place. */
	credentialIds?: Record<string, string>;
	/** 'manual': a test event while the editor listens; 'webhook' (default): the production URL. */
	mode?: 'manual' | 'webhook';
	/**
	 * What n8n does with an event the node hands over (default 'created'):
	 * - 'created': creates the execution, then answers 200 with the node's webhookResponse;
	 * - 'failed': cannot create it (database down, queue full), answers 500;
	 * - 'created-after-sender-left': the sender stopped waiting (HighLevel's timeout), then n8n
	 *   created the execution and answered into the closed connection;
	 * - 'closed': the connection closes and n8n never answers (n8n killed before creating it);
	 * - 'held': nothing yet: the test decides later with `Answer.n8nAnswers`.
	 */
	execution?: N8nOutcome | 'held';
	/** A parameter whose value n8n cannot resolve (an expression that throws), to act out an internal failure. */
	failParameter?: string;
	/** The node's typeVersion as saved in the workflow (default 1; new nodes get 1.1). */
	typeVersion?: number;
}

export type N8nOutcome = 'created' | 'created-after-sender-left' | 'failed' | 'closed';

/** What the node wrote to n8n's log, oldest first (tests empty it with `logged.length = 0`). */
export const logged: Array<{ level: 'error' | 'warn' | 'info' | 'debug'; message: string }> = [];

/** How often the node asked n8n for a credential (a database read in n8n). */
export const credentialReads = { count: 0 };

export interface Answer {
	/** What the sender finally receives (undefined: no answer, the connection closed or is held). */
	status: number | undefined;
	body: IDataObject | undefined;
	/** Response headers, lower-case names. */
	headers: Record<string, string>;
	/** Who sent the answer: the node itself, or n8n after (not) creating the execution. */
	answeredBy: 'node' | 'n8n' | undefined;
	result: IWebhookResponseData;
	/** Whether the node handed an item to n8n for an execution. */
	started: boolean;
	/** For `execution: 'held'`: n8n's part, played now. */
	n8nAnswers?: (outcome: N8nOutcome) => Promise<{ status: number | undefined; body: IDataObject | undefined }>;
	outputs: INodeExecutionData[][];
	/** The one emitted item, with its output index. */
	item?: IDataObject;
	binary?: INodeExecutionData['binary'];
	/** Whether HighLevel had its answer before the first attachment download began. */
	repliedBeforeDownload?: boolean;
	output?: number;
}

export const node = new HighLevelMessageTrigger();

/** What n8n's body parser leaves in `req.body` (n8n 1.x and 2.x, body-parser.ts). */
function n8nParsedBody(contentType: string | undefined, raw: Buffer): unknown {
	if (raw.length === 0) return {};
	const mediaType = contentType?.split(';')[0].trim().toLowerCase();
	if (mediaType === 'application/json') {
		try {
			return JSON.parse(raw.toString('utf8'));
		} catch {
			// n8n itself answers 422 here; the node must still cope if reached.
			return undefined;
		}
	}
	if (mediaType === 'text/plain') return raw.toString('utf8');
	return {};
}

let uniqueWorkflow = 0;

export async function callWebhook(call: Call = {}): Promise<Answer> {
	const raw = Buffer.isBuffer(call.body)
		? call.body
		: Buffer.from(typeof call.body === 'string' ? call.body : JSON.stringify(call.body ?? {}), 'utf8');
	const contentType = call.contentType === null ? undefined : (call.contentType ?? 'application/json');
	const headers: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(call.headers ?? {})) headers[name.toLowerCase()] = value;
	if (contentType !== undefined) headers['content-type'] = contentType;

	const typeVersion = call.typeVersion ?? 1;
	const nodeParameters = NodeHelpers.getNodeParameters(
		node.description.properties,
		call.parameters ?? {},
		true,
		false,
		{ typeVersion },
		node.description,
	) as INodeParameters;
	const credentials: INode['credentials'] = {};
	// Like n8n, a different credential has a different id (the node caches by id).
	for (const [type, data] of Object.entries(call.credentials ?? {})) {
		const id = call.credentialIds?.[type] ?? `${type}-${createHash('sha1').update(JSON.stringify(data)).digest('hex')}`;
		credentials[type] = { id, name: type };
	}
	const n8nNode: INode = {
		id: call.nodeId ?? 'node-1',
		name: 'HighLevel Message Trigger',
		type: 'n8n-nodes-highlevel-messages.highLevelMessageTrigger',
		typeVersion,
		position: [0, 0],
		parameters: nodeParameters,
		credentials,
	};

	const response = new FakeResponse();
	const request = { headers, rawBody: raw, body: n8nParsedBody(contentType, raw), method: 'POST' };
	const context = {
		getRequestObject: () => request,
		getResponseObject: () => response,
		getNode: () => n8nNode,
		getWorkflow: () => ({ id: call.workflowId ?? `workflow-${++uniqueWorkflow}`, active: true }),
		getMode: () => call.mode ?? 'webhook',
		getNodeParameter: (name: string, fallback?: unknown) => {
			if (name === call.failParameter) throw new Error(`Could not resolve parameter "${name}"`);
			return nodeParameters[name] ?? fallback;
		},
		getCredentials: async (type: string) => {
			credentialReads.count++;
			const data = call.credentials?.[type];
			if (data === undefined) throw new Error(`Node does not have any credentials set for "${type}"`);
			return data;
		},
		logger: {
			error: (message: string) => logged.push({ level: 'error', message }),
			warn: (message: string) => logged.push({ level: 'warn', message }),
			info: (message: string) => logged.push({ level: 'info', message }),
			debug: (message: string) => logged.push({ level: 'debug', message }),
		},
		helpers: {
			// n8n-core's own HTTP helper, the one n8n gives the node.
			httpRequest: async (options: Parameters<typeof httpRequest>[0]) => {
				repliedBeforeDownload ??= response.headersSent;
				return await httpRequest(options);
			},
			// n8n's helper for the package's API credentials: both put a bearer token on the request.
			httpRequestWithAuthentication: async (type: string, options: IHttpRequestOptions) => {
				const data = call.credentials?.[type];
				if (data === undefined) throw new Error(`Node does not have any credentials set for "${type}"`);
				const token = type === 'highLevelConversationsOAuth2Api' ? (data.oauthTokenData as IDataObject | undefined)?.access_token : data.token;
				return await httpRequest({ ...options, headers: { ...options.headers, Authorization: `Bearer ${String(token)}` } });
			},
			// n8n's default binary mode keeps the file base64-encoded in the item.
			prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => ({
				data: data.toString('base64'),
				fileName,
				mimeType: mimeType ?? 'application/octet-stream',
				fileSize: String(data.length),
			}),
		},
	} as unknown as IWebhookFunctions;
	let repliedBeforeDownload: boolean | undefined;

	const result = await node.webhook.call(context);
	const nodeAnswered = response.headersSent;
	if (result.noWebhookResponse === true) {
		if (!nodeAnswered) throw new Error('the node set noWebhookResponse but sent no answer: the sender would wait for ever');
	} else if (nodeAnswered) {
		throw new Error('the node answered itself but left the answer to n8n too (n8n would fail with ERR_HTTP_HEADERS_SENT)');
	}
	const outputs = (result.workflowData ?? []) as INodeExecutionData[][];
	const answer: Answer = {
		status: undefined,
		body: undefined,
		headers: response.headers,
		answeredBy: nodeAnswered ? 'node' : undefined,
		result,
		started: outputs.some((o) => o.length > 0),
		outputs,
		repliedBeforeDownload,
	};
	outputs.forEach((items, index) => {
		if (items.length > 0) {
			answer.item = items[0].json;
			answer.binary = items[0].binary;
			answer.output = index;
		}
	});
	const sent = () => ({ status: response.sent ? response.statusCode : undefined, body: response.body });
	if (!nodeAnswered) {
		const play = async (outcome: N8nOutcome) => {
			await n8nAnswers(response, result, outcome);
			answer.answeredBy = response.sent ? 'n8n' : undefined;
			Object.assign(answer, sent());
			return sent();
		};
		const outcome = call.execution ?? 'created';
		if (outcome === 'held') answer.n8nAnswers = play;
		else await play(outcome);
	} else {
		await settle();
		Object.assign(answer, sent());
	}
	return answer;
}

/** n8n 2.x's part after webhook() returned without noWebhookResponse (webhook-helpers, responseMode 'onReceived'). */
async function n8nAnswers(response: FakeResponse, result: IWebhookResponseData, outcome: N8nOutcome): Promise<void> {
	if (outcome === 'closed') {
		response.destroy();
	} else if (outcome === 'created-after-sender-left') {
		response.destroy();
		response.status(RESPONSE_CODE).json((result.webhookResponse as IDataObject | undefined) ?? { message: 'Workflow was started' });
	} else if (result.workflowData === undefined) {
		// No execution: n8n answers at once.
		response.status(RESPONSE_CODE).json((result.webhookResponse as IDataObject | undefined) ?? { message: 'Webhook call received' });
	} else if (outcome === 'failed') {
		// WorkflowRunner.run() threw: n8n's error answer.
		response.status(500).json({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
	} else {
		// The execution exists; only now does the deferred answer go out
		// (extractWebhookOnReceivedResponse: responseData '' selects webhookResponse).
		response.status(RESPONSE_CODE).json((result.webhookResponse as IDataObject | undefined) ?? { message: 'Workflow was started' });
	}
	await settle();
}

/** The webhook description's responseCode, which n8n reads with 200 as its default. */
const RESPONSE_CODE = (node.description.webhooks?.[0]?.responseCode as number | undefined) ?? 200;

/** Lets 'finish'/'close' listeners and the ledger work they start complete (each turn drains all promise jobs). */
async function settle(): Promise<void> {
	for (let turn = 0; turn < 3; turn++) await nextTurn();
}

type Listener = (...args: unknown[]) => void;

/**
 * An Express response as far as a webhook node sees it: status(), json(),
 * setHeader(), statusCode, headersSent, and the events of Node's
 * http.ServerResponse: 'finish' after an answer has gone out, then 'close';
 * only 'close' when the connection ends unanswered.
 */
export class FakeResponse {
	statusCode = 200;
	headersSent = false;
	/** Whether the answer reached the sender (the 'finish' event). */
	sent = false;
	body: IDataObject | undefined;
	readonly headers: Record<string, string> = {};
	/** The bytes of the answer, as sent. */
	written: string | undefined;
	private ended = false;
	private closed = false;
	private readonly listeners = new Map<string, Array<{ listener: Listener; once: boolean }>>();

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	setHeader(name: string, value: string | number | readonly string[]): this {
		if (this.headersSent) throw new Error('Cannot set headers after they are sent to the client');
		this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
		return this;
	}

	getHeader(name: string): string | undefined {
		return this.headers[name.toLowerCase()];
	}

	/** Express's res.json(): serialises the body, then res.send() ends the response through `this.end`. */
	json(body: IDataObject): this {
		if (this.headersSent) throw new Error('Cannot set headers after they are sent to the client');
		this.headers['content-type'] = 'application/json; charset=utf-8';
		this.body = body;
		this.end(JSON.stringify(body));
		return this;
	}

	/**
	 * Node's res.end(): the answer is complete. 'finish' (then 'close') follows
	 * once it is handed to the socket, after this call returns; when the socket is
	 * already gone, the bytes go nowhere and there is no 'finish'.
	 */
	end(chunk?: string | Buffer): this {
		if (this.ended) throw new Error('write after end');
		this.ended = true;
		this.written = chunk === undefined ? '' : chunk.toString();
		this.headersSent = true;
		void Promise.resolve().then(() => {
			if (this.closed) return;
			this.sent = true;
			this.emit('finish');
			this.closed = true;
			this.emit('close');
		});
		return this;
	}

	/** The connection ends (the sender gave up, or n8n died) without an answer. */
	destroy(): void {
		if (this.closed) return;
		this.closed = true;
		this.emit('close');
	}

	on(event: string, listener: Listener): this {
		return this.add(event, listener, false);
	}

	once(event: string, listener: Listener): this {
		return this.add(event, listener, true);
	}

	off(event: string, listener: Listener): this {
		this.listeners.set(event, (this.listeners.get(event) ?? []).filter((entry) => entry.listener !== listener));
		return this;
	}

	removeListener(event: string, listener: Listener): this {
		return this.off(event, listener);
	}

	listenerCount(event: string): number {
		return this.listeners.get(event)?.length ?? 0;
	}

	emit(event: string, ...args: unknown[]): boolean {
		const entries = this.listeners.get(event) ?? [];
		this.listeners.set(event, entries.filter((entry) => !entry.once));
		for (const { listener } of entries) listener(...args);
		return entries.length > 0;
	}

	private add(event: string, listener: Listener, once: boolean): this {
		this.listeners.set(event, [...(this.listeners.get(event) ?? []), { listener, once }]);
		return this;
	}
}

/** Test key pairs, made once per test file, and signing helpers. */
export interface TestKeys {
	ed25519Private: KeyObject;
	ed25519PublicPem: string;
	rsaPrivate: KeyObject;
	rsaPublicPem: string;
}

export function makeTestKeys(): TestKeys {
	const ed = generateKeyPairSync('ed25519');
	const rsa = generateKeyPairSync('rsa', { modulusLength: 4096 });
	return {
		ed25519Private: ed.privateKey,
		ed25519PublicPem: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		rsaPrivate: rsa.privateKey,
		rsaPublicPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
	};
}

export function signEd25519(keys: TestKeys, raw: string | Buffer): string {
	return sign(null, Buffer.from(raw), keys.ed25519Private).toString('base64');
}

export function signRsa(keys: TestKeys, raw: string | Buffer): string {
	return sign('sha256', Buffer.from(raw), keys.rsaPrivate).toString('base64');
}

/** Credentials that make the node verify against the test keys. */
export function testKeyCredential(keys: TestKeys): Record<string, IDataObject> {
	return {
		highLevelSignatureKeysApi: { ed25519PublicKey: keys.ed25519PublicPem, rsaPublicKey: keys.rsaPublicPem },
	};
}

/** Parameters with signature checks off, for tests about parsing and routing. */
export const NO_AUTH: INodeParameters = { authentication: 'none' };
export const ALL_EVENTS: INodeParameters = {
	authentication: 'none',
	events: ['InboundMessage', 'OutboundMessage'],
};

/**
 * A delivery as HighLevel sends it: the exact bytes with their X-GHL-Signature,
 * to a node that verifies against the test keys under HighLevel Signature.
 */
export function signedCall(keys: TestKeys, body: unknown, call: Call = {}): Call {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	return {
		...call,
		body: raw,
		headers: { ...call.headers, 'x-ghl-signature': signEd25519(keys, raw) },
		credentials: call.credentials ?? testKeyCredential(keys),
		parameters: { authentication: 'highLevelSignature', ...call.parameters },
	};
}
