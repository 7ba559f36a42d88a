/**
 * Calls the node's webhook() the way n8n does: a request whose `rawBody` is the
 * exact bytes and whose `body` is what n8n's body parser made of them, node
 * parameters resolved against the node description's defaults by n8n-workflow
 * itself, and a response object that records what the node sent.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'crypto';
import {
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IWebhookFunctions,
	type IWebhookResponseData,
	NodeHelpers,
} from 'n8n-workflow';

import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { HighLevelMessageTrigger } from '../../nodes/HighLevel/HighLevelMessageTrigger.node';

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
}

/** How often the node asked n8n for a credential (a database read in n8n). */
export const credentialReads = { count: 0 };

export interface Answer {
	status: number | undefined;
	body: IDataObject | undefined;
	result: IWebhookResponseData;
	/** Whether n8n would start a workflow execution. */
	started: boolean;
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

	const nodeParameters = NodeHelpers.getNodeParameters(
		node.description.properties,
		call.parameters ?? {},
		true,
		false,
		null,
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
		typeVersion: 1,
		position: [0, 0],
		parameters: nodeParameters,
		credentials,
	};

	let status: number | undefined;
	let sentBody: IDataObject | undefined;
	const response = {
		headersSent: false,
		status(code: number) {
			status = code;
			return response;
		},
		json(body: IDataObject) {
			sentBody = body;
			response.headersSent = true;
			return response;
		},
	};
	const request = { headers, rawBody: raw, body: n8nParsedBody(contentType, raw), method: 'POST' };
	const context = {
		getRequestObject: () => request,
		getResponseObject: () => response,
		getNode: () => n8nNode,
		getWorkflow: () => ({ id: call.workflowId ?? `workflow-${++uniqueWorkflow}`, active: true }),
		getMode: () => 'webhook',
		getNodeParameter: (name: string, fallback?: unknown) => nodeParameters[name] ?? fallback,
		getCredentials: async (type: string) => {
			credentialReads.count++;
			const data = call.credentials?.[type];
			if (data === undefined) throw new Error(`Node does not have any credentials set for "${type}"`);
			return data;
		},
		logger: { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined },
		helpers: {
			// n8n-core's own HTTP helper, the one n8n gives the node.
			httpRequest: async (options: Parameters<typeof httpRequest>[0]) => {
				repliedBeforeDownload ??= response.headersSent;
				return await httpRequest(options);
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
	const outputs = (result.workflowData ?? []) as INodeExecutionData[][];
	const answer: Answer = { status, body: sentBody, result, started: outputs.some((o) => o.length > 0), outputs, repliedBeforeDownload };
	outputs.forEach((items, index) => {
		if (items.length > 0) {
			answer.item = items[0].json;
			answer.binary = items[0].binary;
			answer.output = index;
		}
	});
	return answer;
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
