/**
 * What a user sees when HighLevel says no: each HTTP answer mapped to an n8n
 * error that says what to do; 429s waited out for reads only; a send that may
 * have been accepted never repeated; Continue On Fail as in n8n's own nodes.
 */
import type { INodeParameters } from 'n8n-workflow';

import { connect, CREDENTIAL_TYPE } from '../nodes/HighLevel/api/connection';
import { ENDPOINTS, type EndpointName } from '../nodes/HighLevel/api/endpoints';
import { highLevelMessage, neverReachedHighLevel, readFailure, retryAfterSeconds } from '../nodes/HighLevel/api/failure';
import { highLevelRequest, MAX_RATE_LIMIT_RETRIES } from '../nodes/HighLevel/api/request';
import { type ApiStub, closedPortUrl, startApiStub, type StubAnswer } from './helpers/api-stub.cjs';
import { executeContext, oauthCredentials, OAUTH_ACCESS, pitCredentials, runNode } from './helpers/execute-harness';

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): StubAnswer => ({
	status,
	headers: { 'content-type': 'application/json', ...headers },
	body,
});

const SEND: INodeParameters = { resource: 'message', operation: 'send', channel: 'SMS', contactId: 'contact-1', message: 'Hi' };
const GET_MESSAGE: INodeParameters = { resource: 'message', operation: 'get', messageId: 'msg-1' };
const GET_CONTACT: INodeParameters = { resource: 'contact', operation: 'get', contactId: 'contact-1' };

const apiRequests = () => stub.requests.filter((request) => request.path !== '/oauth/token');

async function failure(parameters: INodeParameters, credentials = pitCredentials(stub.base)) {
	try {
		await runNode({ parameters, credentials });
	} catch (error) {
		return error as Error & { description?: string; httpCode?: string | null; context: { itemIndex?: number } };
	}
	throw new Error('the node did not fail');
}

describe('HTTP answers -> errors that say what to do', () => {
	it('400: HighLevel\'s message, and which operation to correct', async () => {
		stub.respond(answer(400, { statusCode: 400, message: 'contactId must be a valid id' }));
		const error = await failure(SEND);
		expect(error.message).toBe('HighLevel rejected the request (400): contactId must be a valid id');
		expect(error.description).toBe('Message > Send: HighLevel found a field missing or invalid. Correct the field it names and run again.');
		expect(error.httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(0);
	});

	it('422: every message HighLevel lists', async () => {
		stub.respond(answer(422, { statusCode: 422, message: ['email must be an email', 'phone must be valid'], error: 'Unprocessable Entity' }));
		const error = await failure(GET_CONTACT);
		expect(error.message).toBe('HighLevel rejected the request (422): email must be an email; phone must be valid');
	});

	it('401 with a Private Integration Token: where to get a new token', async () => {
		stub.respond(answer(401, { statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' }));
		const error = await failure(GET_MESSAGE);
		expect(error.message).toBe('HighLevel did not accept the credential (401): Invalid JWT');
		expect(error.description).toContain('Settings > Private Integrations');
		expect(apiRequests()).toHaveLength(1);
	});

	it('401 with OAuth2: n8n refreshes the token and repeats; still 401 means reconnect', async () => {
		const expired = answer(401, { message: 'Invalid JWT' });
		stub.respond(expired, expired, expired, expired);
		const error = await failure({ authentication: 'oAuth2', ...GET_MESSAGE }, oauthCredentials(stub.base));
		expect(error.message).toBe('HighLevel did not accept the credential (401): Invalid JWT');
		expect(error.description).toBe('The OAuth2 connection is no longer valid and n8n could not refresh it. Open the credential and reconnect it.');
		// The node hands the 401 to n8n, which refreshes the token once and repeats the (refused) read.
		expect(stub.requests.filter((request) => request.path === '/oauth/token')).toHaveLength(1);
		expect(apiRequests().at(-1)?.headers.authorization).toBe('Bearer refreshed-access-example');
	});

	it('an expired OAuth2 token is refreshed with HighLevel\'s token request, and the send goes out once', async () => {
		stub.respond(answer(401, { message: 'Invalid JWT' }), answer(401, { message: 'Invalid JWT' }));
		const { output, credentialsHelper } = await runNode({
			parameters: { authentication: 'oAuth2', ...SEND },
			credentials: oauthCredentials(stub.base),
		});
		expect(output[0].json.messageId).toBe('msg-stub-1');
		const [rejected, rejectedAgain, token, accepted] = stub.requests;
		expect(rejected.headers.authorization).toBe(`Bearer ${OAUTH_ACCESS}`);
		expect(rejectedAgain.headers.authorization).toBe(`Bearer ${OAUTH_ACCESS}`);
		expect(stub.requests).toHaveLength(4);
		// HighLevel expects the client credentials in the form body (credential field Authentication = body).
		expect(new URLSearchParams(token.body).get('grant_type')).toBe('refresh_token');
		expect(new URLSearchParams(token.body).get('client_id')).toBe('client-example');
		expect(accepted.headers.authorization).toBe('Bearer refreshed-access-example');
		expect(credentialsHelper.savedTokens[0]).toMatchObject({ access_token: 'refreshed-access-example', locationId: 'loc-oauth-example' });
	});

	const SCOPE_CASES: Array<[EndpointName, INodeParameters]> = [
		['sendMessage', SEND],
		['getMessage', GET_MESSAGE],
		['getRecording', { resource: 'message', operation: 'getRecording', messageId: 'm' }],
		['getTranscription', { resource: 'message', operation: 'getTranscription', messageId: 'm' }],
		['updateMessageStatus', { resource: 'message', operation: 'updateStatus', messageId: 'm', status: 'read' }],
		['searchConversations', { resource: 'conversation', operation: 'search' }],
		['getConversation', { resource: 'conversation', operation: 'get', conversationId: 'c' }],
		['getConversationMessages', { resource: 'conversation', operation: 'getMessages', conversationId: 'c' }],
		['getContact', GET_CONTACT],
	];

	it('the scope cases cover every endpoint', () => {
		expect(SCOPE_CASES.map(([name]) => name).sort()).toEqual(Object.keys(ENDPOINTS).sort());
	});

	it.each(SCOPE_CASES)('403 on %s names the scope it needs and how to grant it', async (name, parameters) => {
		stub.respond(answer(403, { statusCode: 403, message: 'The token is not authorized for this scope.' }));
		const error = await failure(parameters);
		const { action, scope } = ENDPOINTS[name];
		expect(error.message).toBe(
			`HighLevel refused access (403): ${action} needs the scope "${scope}" (HighLevel says: The token is not authorized for this scope.)`,
		);
		expect(error.description).toContain(`tick the scope "${scope}"`);
	});

	it('403 about the location says the record belongs to another sub-account', async () => {
		stub.respond(answer(403, { message: 'The token does not have access to this location.' }));
		const error = await failure({ authentication: 'oAuth2', ...GET_CONTACT }, oauthCredentials(stub.base));
		expect(error.description).toContain('add "contacts.readonly" to the credential\'s Scope');
		expect(error.description).toContain('belongs to another sub-account');
	});

	it.each([
		[GET_MESSAGE, 'HighLevel knows no message with this Message ID'],
		[GET_CONTACT, 'HighLevel knows no contact with this Contact ID'],
		[SEND, 'HighLevel knows no contact with this Contact ID'],
		[{ resource: 'message', operation: 'getRecording', messageId: 'sms-1' }, 'only calls and voicemails have one'],
		[{ resource: 'conversation', operation: 'getMessages', conversationId: 'gone' }, 'HighLevel knows no conversation'],
	])('404: what was not found (%#)', async (parameters, expected) => {
		stub.respond(answer(404, { statusCode: 404, message: 'Not Found' }));
		const error = await failure(parameters as INodeParameters);
		expect(error.message).toContain(`Not found in HighLevel (404): `);
		expect(error.message).toContain(expected);
		expect(error.description).toContain('HighLevel says: Not Found.');
	});

	it('5xx on a read: HighLevel\'s side, try later', async () => {
		stub.respond(answer(503, { message: 'Service Unavailable' }));
		const error = await failure(GET_MESSAGE);
		expect(error.message).toBe('HighLevel failed to process the request (503): Service Unavailable');
		expect(error.description).toContain("on HighLevel's side");
		expect(apiRequests()).toHaveLength(1);
	});

	it('5xx on a send: may have gone out, not sent again', async () => {
		stub.respond(answer(502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' }));
		const error = await failure(SEND);
		expect(error.message).toBe('HighLevel failed to process the request (502): <html>Bad Gateway</html>');
		expect(error.description).toContain('may or may not have gone out');
		expect(apiRequests()).toHaveLength(1);
	});
});

describe('429: reads wait and repeat, sends never', () => {
	it('a read waits Retry-After and then succeeds', async () => {
		stub.respond(answer(429, { message: 'Too many requests' }, { 'retry-after': '1' }));
		const { output } = await runNode({ parameters: GET_MESSAGE, credentials: pitCredentials(stub.base) });
		expect(output[0].json.id).toBe('msg-1');
		const [first, second] = apiRequests();
		expect(second.at - first.at).toBeGreaterThanOrEqual(900);
	});

	it('a read gives up after a bounded number of repeats, with the time to wait', async () => {
		const limited = answer(429, { message: 'Too many requests' }, { 'retry-after': '0' });
		stub.respond(...Array.from({ length: MAX_RATE_LIMIT_RETRIES + 2 }, () => limited));
		const error = await failure(GET_CONTACT);
		expect(apiRequests()).toHaveLength(MAX_RATE_LIMIT_RETRIES + 1);
		expect(error.message).toBe("HighLevel's rate limit was reached (429): try again in 0 seconds");
		expect(error.description).toContain(`already waited and tried ${MAX_RATE_LIMIT_RETRIES} more times`);
	});

	it('a read does not block the execution for a long Retry-After', async () => {
		stub.respond(answer(429, { message: 'Daily limit reached' }, { 'retry-after': '3600' }));
		const error = await failure(GET_MESSAGE);
		expect(apiRequests()).toHaveLength(1);
		expect(error.message).toBe("HighLevel's rate limit was reached (429): try again in 3600 seconds");
	});

	it('a send is reported with the time to wait, and not repeated', async () => {
		stub.respond(answer(429, { message: 'Too many requests' }, { 'retry-after': '0' }));
		const error = await failure(SEND);
		expect(apiRequests()).toHaveLength(1);
		expect(error.message).toBe("HighLevel's rate limit was reached (429): try again in 0 seconds");
		expect(error.description).toContain('Nothing was sent, and the node did not try again by itself');
	});

	it('without Retry-After, HighLevel\'s 10-second window is the time to wait', async () => {
		stub.respond(answer(429, { message: 'Too many requests' }));
		const error = await failure(SEND);
		expect(error.message).toBe("HighLevel's rate limit was reached (429): try again in 10 seconds");
	});
});

describe('a lost answer to a send is reported, never repeated', () => {
	it('the connection drops after the request arrived', async () => {
		stub.respond({ drop: true });
		const error = await failure(SEND);
		expect(apiRequests()).toHaveLength(1);
		expect(error.message).toBe('No answer from HighLevel after the message was sent: it may have gone out');
		expect(error.description).toContain("check the contact's conversation in HighLevel");
	});

	it('HighLevel does not answer in time', async () => {
		stub.respond({ hang: true });
		const { context } = executeContext({ parameters: SEND, credentials: pitCredentials(stub.base) });
		const connection = await connect(context, CREDENTIAL_TYPE.privateIntegration);
		const sending = highLevelRequest(context, connection, ENDPOINTS.sendMessage, {
			body: { type: 'SMS', contactId: 'contact-1', message: 'Hi' },
			timeoutMs: 300,
		});
		await expect(sending).rejects.toMatchObject({
			message: 'No answer from HighLevel after the message was sent: it may have gone out',
			description: expect.stringContaining('did not send it again'),
		});
		expect(apiRequests()).toHaveLength(1);
	});

	it('HighLevel cannot be reached at all: nothing was sent', async () => {
		const error = await failure(SEND, pitCredentials(await closedPortUrl()));
		expect(error.message).toMatch(/^Could not reach HighLevel at http:\/\/127\.0\.0\.1:\d+$/);
		expect(error.description).toMatch(/^Nothing was sent \(ECONNREFUSED/);
	});

	it('a proxy\'s user and password in the API Base URL never appear in the message (it lands on items and in logs)', async () => {
		const closed = new URL(await closedPortUrl());
		closed.username = 'proxyuser';
		closed.password = 'proxy-secret';
		const error = await failure(SEND, pitCredentials(closed.toString().replace(/\/$/, '')));
		expect(error.message).toMatch(/^Could not reach HighLevel at http:\/\/127\.0\.0\.1:\d+$/);
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toMatch(/proxy-secret|proxyuser/);
	});

	it('a read whose connection drops is reported without the send warning', async () => {
		stub.respond({ drop: true });
		const error = await failure(GET_MESSAGE);
		expect(error.message).toBe('No answer from HighLevel');
	});
});

describe('Continue On Fail', () => {
	it('a failed item carries its error; the other items go on', async () => {
		stub.respond(answer(200, { message: { id: 'a' } }), answer(404, { message: 'Message not found' }), answer(200, { message: { id: 'c' } }));
		const { output } = await runNode({
			parameters: { resource: 'message', operation: 'get', messageId: '={{ $json.id }}' },
			items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
			credentials: pitCredentials(stub.base),
			continueOnFail: true,
		});
		expect(output).toEqual([
			{ json: expect.objectContaining({ id: 'a' }), pairedItem: { item: 0 } },
			{
				json: {
					error: expect.stringContaining('Not found in HighLevel (404)'),
					description: expect.stringContaining('HighLevel says: Message not found.'),
					httpCode: '404',
				},
				pairedItem: { item: 1 },
			},
			{ json: expect.objectContaining({ id: 'c' }), pairedItem: { item: 2 } },
		]);
	});

	it('without it, the node stops at the failing item and names it', async () => {
		stub.respond(answer(200, { message: { id: 'a' } }), answer(404, { message: 'Message not found' }));
		const run = runNode({
			parameters: { resource: 'message', operation: 'get', messageId: '={{ $json.id }}' },
			items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
			credentials: pitCredentials(stub.base),
		});
		await expect(run).rejects.toMatchObject({ httpCode: '404', context: expect.objectContaining({ itemIndex: 1 }) });
		expect(apiRequests()).toHaveLength(2);
	});
});

describe('reading HighLevel\'s answers', () => {
	it('Retry-After in seconds or as a date; nothing readable is null', () => {
		const now = Date.parse('2026-11-25T10:00:00Z');
		expect(retryAfterSeconds({ 'Retry-After': '7' }, now)).toBe(7);
		expect(retryAfterSeconds({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }, now)).toBe(30);
		expect(retryAfterSeconds({ 'retry-after': 'Wed, 25 Nov 2026 09:00:00 GMT' }, now)).toBe(0);
		expect(retryAfterSeconds({ 'retry-after': 'soon' }, now)).toBeNull();
		expect(retryAfterSeconds({}, now)).toBeNull();
	});

	it('HighLevel\'s message from JSON, a list, text or nothing', () => {
		expect(highLevelMessage({ statusCode: 400, message: 'Bad phone' })).toBe('Bad phone');
		expect(highLevelMessage({ message: ['a', 'b'] })).toBe('a; b');
		expect(highLevelMessage(Buffer.from('{"error":"invalid_grant"}'))).toBe('invalid_grant');
		expect(highLevelMessage('upstream timeout')).toBe('upstream timeout');
		expect(highLevelMessage(undefined)).toBeNull();
	});
});

describe('which network failures mean nothing was sent', () => {
	// Node's and OpenSSL's codes for a request that never left this machine or was
	// refused before HighLevel read it: no connection, no DNS answer, a bad URL, a
	// certificate that does not verify. Anything else may have reached HighLevel.
	const NEVER_SENT = [
		'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL',
		'ERR_INVALID_URL', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT',
		'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	];
	const failureWith = (code: string) => readFailure(Object.assign(new Error(`request failed with ${code}`), { code }));
	it.each(NEVER_SENT)('%s: never reached HighLevel', (code) => {
		expect(neverReachedHighLevel(failureWith(code))).toBe(true);
	});
	it.each(['ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE'])('%s: may have arrived', (code) => {
		expect(neverReachedHighLevel(failureWith(code))).toBe(false);
	});
	it('an HTTP answer was never "not sent"', () => {
		expect(neverReachedHighLevel({ ...failureWith('ECONNREFUSED'), status: 502 })).toBe(false);
	});
});
