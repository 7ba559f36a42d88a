/**
 * One HighLevel API call as it goes out and comes back: the path with its ids,
 * the query without empty values, the Accept header, a recording's bytes, what
 * counts as success, the OAuth2 repeat after a refreshed token, and how long a
 * 429 is waited out.
 */
import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse, INode } from 'n8n-workflow';

import { connect, type Connection, CREDENTIAL_TYPE } from '../nodes/HighLevel/api/connection';
import { ENDPOINTS } from '../nodes/HighLevel/api/endpoints';
import { type ApiCall, type ApiContext, highLevelRequest } from '../nodes/HighLevel/api/request';
import { type ApiStub, jsonAnswer, startApiStub } from './helpers/api-stub.cjs';
import { executeContext, oauthCredentials, pitCredentials, runNode } from './helpers/execute-harness';

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

const json = jsonAnswer;

/** A call as the node makes it, through n8n's request helper, with a Private Integration Token. */
async function call(endpoint: keyof typeof ENDPOINTS, apiCall: ApiCall) {
	const { context } = executeContext({ parameters: {}, credentials: pitCredentials(stub.base) });
	const connection = await connect(context, CREDENTIAL_TYPE.privateIntegration);
	return await highLevelRequest(context, connection, ENDPOINTS[endpoint], apiCall);
}

describe('the request that goes out', () => {
	it('ids in the path: trimmed and encoded', async () => {
		await call('updateMessageStatus', { pathParams: { messageId: ' out 1/2 ' }, body: { status: 'read' } });
		expect(stub.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['PUT /conversations/messages/out%201%2F2/status']);
	});

	it.each([
		['missing', {}],
		['empty', { messageId: '' }],
		['only spaces', { messageId: '  ' }],
	])('an id that is %s: refused, saying which, and nothing is sent', async (_, pathParams) => {
		await expect(call('updateMessageStatus', { pathParams, body: { status: 'read' } })).rejects.toMatchObject({
			message: 'The messageId is empty',
			description: 'HighLevel needs it to find the record: map it from a previous node or type it in.',
		});
		expect(stub.requests).toHaveLength(0);
	});

	it('query values that are empty or null are left out, not sent as "status="', async () => {
		// HighLevel would filter by an empty status instead of not filtering.
		await call('searchConversations', {
			qs: { locationId: 'loc-1', status: '', assignedTo: null as unknown as string, contactId: undefined, limit: 20 },
		});
		expect(stub.requests.map((request) => request.url)).toEqual(['/conversations/search?locationId=loc-1&limit=20']);
	});

	it('JSON answers are asked for as JSON, a recording as any audio type', async () => {
		await runNode({ parameters: { resource: 'message', operation: 'get', messageId: 'msg-1' }, credentials: pitCredentials(stub.base) });
		await runNode({ parameters: { resource: 'message', operation: 'getRecording', messageId: 'call-1' }, credentials: pitCredentials(stub.base) });
		expect(stub.requests.map((request) => [request.path, request.headers.accept])).toEqual([
			['/conversations/messages/msg-1', 'application/json'],
			['/conversations/messages/call-1/locations/loc-example-1/recording', '*/*'],
		]);
	});
});

describe('the answer that comes back', () => {
	it('a recording arrives byte for byte, also bytes that are not text', async () => {
		const audio = Buffer.from([0x49, 0x44, 0x33, 0xff, 0xfb, 0x90, 0x00, 0x80, 0xc3, 0x28]);
		stub.respond({ status: 200, headers: { 'content-type': 'audio/mpeg' }, body: audio });
		const { output } = await runNode({
			parameters: { resource: 'message', operation: 'getRecording', messageId: 'call-1' },
			credentials: pitCredentials(stub.base),
		});
		expect(output[0].json.fileSize).toBe(audio.length);
		expect(Buffer.from(output[0].binary!.data.data, 'base64')).toEqual(audio);
	});

	it('a 300 answer is a failure, not the message', async () => {
		stub.respond(json(300, { id: 'msg-1' }));
		await expect(
			runNode({ parameters: { resource: 'message', operation: 'get', messageId: 'msg-1' }, credentials: pitCredentials(stub.base) }),
		).rejects.toMatchObject({ httpCode: '300', message: expect.stringContaining('300') });
	});

	it('OAuth2: when the read repeated with a refreshed token fails, the error is about that answer, not the expired token', async () => {
		// The refresh worked; the message does not exist. "Reconnect the credential" would send the user the wrong way.
		const expired = json(401, { message: 'Invalid JWT' });
		stub.respondTo(/^\/conversations\/messages\//, expired, expired, json(404, { message: 'Message not found' }));
		const error = await runNode({
			parameters: { authentication: 'oAuth2', resource: 'message', operation: 'get', messageId: 'msg-9' },
			credentials: oauthCredentials(stub.base),
		}).catch((error: Error & { httpCode?: string; description?: string }) => error);
		expect(error).toMatchObject({ httpCode: '404', message: expect.stringContaining('Not found in HighLevel (404)') });
		expect(stub.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /conversations/messages/msg-9',
			'GET /conversations/messages/msg-9',
			'POST /oauth/token',
			'GET /conversations/messages/msg-9',
		]);
	});
});

describe('how long a 429 is waited out (reads)', () => {
	// A scripted n8n: the waits are up to a minute long, so the clock is faked.
	const NODE: INode = { id: 'n', name: 'HighLevel Conversations', type: 't', typeVersion: 1, position: [0, 0], parameters: {} };
	const CONNECTION: Connection = {
		credentialType: CREDENTIAL_TYPE.privateIntegration,
		baseUrl: 'https://services.leadconnectorhq.com',
		locationId: 'loc-1',
	};

	/** A context whose request helper answers `answers` in order; `cancel` is the execution's signal, if n8n has one. */
	function scripted(answers: Array<Partial<IN8nHttpFullResponse>>, cancel?: AbortSignal | 'none') {
		const sent: IHttpRequestOptions[] = [];
		const context: ApiContext = {
			getNode: () => NODE,
			getCredentials: async () => {
				throw new Error('not used');
			},
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
					sent.push(options);
					return answers.shift();
				},
			},
		};
		if (cancel !== 'none') context.getExecutionCancelSignal = () => cancel;
		return { context, sent };
	}

	const limited = (retryAfter: string) => ({ statusCode: 429, headers: { 'retry-after': retryAfter }, body: { message: 'Too many requests' } });
	const found = { statusCode: 200, headers: {}, body: { message: { id: 'msg-1' } } as IDataObject };

	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('Retry-After: 60, the longest wait: waited in full, then asked again', async () => {
		const { context, sent } = scripted([limited('60'), found], new AbortController().signal);
		const reading = highLevelRequest(context, CONNECTION, ENDPOINTS.getMessage, { pathParams: { id: 'msg-1' } });
		await jest.advanceTimersByTimeAsync(59_999);
		expect(sent).toHaveLength(1);
		await jest.advanceTimersByTimeAsync(1);
		await expect(reading).resolves.toEqual({ message: { id: 'msg-1' } });
		expect(sent).toHaveLength(2);
	});

	it('an n8n whose context has no cancel signal still waits and asks again', async () => {
		const { context, sent } = scripted([limited('2'), found], 'none');
		const reading = highLevelRequest(context, CONNECTION, ENDPOINTS.getMessage, { pathParams: { id: 'msg-1' } });
		await jest.advanceTimersByTimeAsync(2_000);
		await expect(reading).resolves.toEqual({ message: { id: 'msg-1' } });
		expect(sent).toHaveLength(2);
	});

	it('cancelling the execution during the wait ends it at once, without asking again', async () => {
		const execution = new AbortController();
		const { context, sent } = scripted([limited('30'), found], execution.signal);
		const reading = highLevelRequest(context, CONNECTION, ENDPOINTS.getMessage, { pathParams: { id: 'msg-1' } });
		const settled = reading.catch((error: Error) => error);
		await jest.advanceTimersByTimeAsync(5_000);
		execution.abort();
		await expect(settled).resolves.toEqual(new Error('aborted'));
		expect(sent).toHaveLength(1);
	});
});
