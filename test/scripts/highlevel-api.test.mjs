// The local stand-in for HighLevel's API (scripts/lib/highlevel-api.mjs) that the
// end-to-end tests and the demo point the HighLevel Conversations node at: Prism
// serving the pinned OpenAPI documents must refuse what HighLevel would refuse
// (no bearer token, no or wrong `Version`, a body against the schema), accept a
// correct send, and record every request with its verdict. Real Prism, real HTTP;
// the first run installs Prism into the cache (about 10 seconds here).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { startHighLevelApi } from '../../scripts/lib/highlevel-api.mjs';

const CONVERSATIONS_VERSION = '2021-04-15';
const CONTACTS_VERSION = '2021-07-28';
const SMS = { type: 'SMS', contactId: 'contact-1', message: 'Thanks, we got your message: hi' };

let api;
before(async () => {
	api = await startHighLevelApi();
});
after(async () => {
	await api?.stop();
});
beforeEach(() => api.reset());

function send(body, headers = {}) {
	return fetch(`${api.url}/conversations/messages`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
}

const auth = { authorization: 'Bearer example-token' };

describe('scripts/lib/highlevel-api.mjs', () => {
	it('accepts a valid send and records it: method, path, token, Version, body and Prism\'s verdict', async () => {
		const response = await send(SMS, { ...auth, version: CONVERSATIONS_VERSION });
		assert.equal(response.status, 200);
		const answer = await response.json();
		assert.equal(typeof answer.messageId, 'string');
		assert.equal(typeof answer.conversationId, 'string');

		const requests = await api.requests();
		assert.equal(requests.length, 1);
		const [request] = requests;
		assert.equal(request.method, 'POST');
		assert.equal(request.path, '/conversations/messages');
		assert.equal(request.authorization, 'Bearer example-token');
		assert.equal(request.version, CONVERSATIONS_VERSION);
		assert.equal(request.headers.version, CONVERSATIONS_VERSION);
		assert.match(request.contentType, /^application\/json/);
		assert.deepEqual(request.body, SMS);
		assert.equal(request.document, 'conversations');
		assert.equal(request.status, 200);
		assert.equal(request.valid, true);
		assert.deepEqual(request.violations, []);
		assert.deepEqual(request.responseViolations, []);
		assert.deepEqual(request.response, { status: 200, body: answer });
	});

	it('refuses a send without the Version header, or with another API\'s version', async () => {
		const missing = await send(SMS, auth);
		assert.equal(missing.status, 400);
		const wrong = await send(SMS, { ...auth, version: CONTACTS_VERSION });
		assert.equal(wrong.status, 400);

		const [first, second] = await api.requests();
		assert.equal(first.valid, false);
		assert.equal(first.version, null);
		assert.ok(first.violations.some((violation) => violation.location.join('.') === 'request.header' && /version/i.test(violation.message)));
		assert.equal(second.valid, false);
		assert.ok(second.violations.some((violation) => violation.location.join('.') === 'request.header.version'), JSON.stringify(second.violations));
	});

	it('refuses a send without a bearer token (401)', async () => {
		const none = await send(SMS, { version: CONVERSATIONS_VERSION });
		assert.equal(none.status, 401);
		const basic = await send(SMS, { authorization: 'Basic ZXhhbXBsZTpleGFtcGxl', version: CONVERSATIONS_VERSION });
		assert.equal(basic.status, 401);
		const requests = await api.requests();
		assert.deepEqual(
			requests.map((request) => [request.status, request.valid, request.authorization]),
			[
				[401, false, null],
				[401, false, 'Basic ZXhhbXBsZTpleGFtcGxl'],
			],
		);
	});

	it('refuses a body against the schema: an unknown send type, a missing contact, a Google Business send', async () => {
		for (const body of [
			{ type: 'Fax', contactId: 'contact-1', message: 'hi' },
			{ type: 'SMS', message: 'hi' },
			{ type: 'GMB', contactId: 'contact-1', message: 'hi' },
			{ type: 'Email', contactId: 'contact-1', emailReplyMode: 'forward' },
		]) {
			const response = await send(body, { ...auth, version: CONVERSATIONS_VERSION });
			assert.ok(response.status >= 400 && response.status < 500, `${JSON.stringify(body)} got ${response.status}`);
		}
		const requests = await api.requests();
		assert.equal(requests.length, 4);
		for (const request of requests) {
			assert.equal(request.valid, false);
			assert.ok(request.violations.some((violation) => violation.location[1] === 'body'), JSON.stringify(request.violations));
		}
	});

	it('serves the Contacts document for /contacts with its own Version, and refuses the Conversations one there', async () => {
		const ok = await fetch(`${api.url}/contacts/contact-1`, { headers: { ...auth, version: CONTACTS_VERSION } });
		assert.equal(ok.status, 200);
		assert.equal(typeof (await ok.json()).contact, 'object');
		const wrong = await fetch(`${api.url}/contacts/contact-1`, { headers: { ...auth, version: CONVERSATIONS_VERSION } });
		assert.ok(wrong.status >= 400 && wrong.status < 500);
		const requests = await api.requests();
		assert.deepEqual(
			requests.map((request) => [request.document, request.valid]),
			[
				['contacts', true],
				['contacts', false],
			],
		);
	});

	it('answers as HighLevel does where the documents are known to be wrong', async () => {
		const headers = { ...auth, version: CONVERSATIONS_VERSION };
		// The get-message answer is wrapped as { message: {...} } (and would be a 500 of Prism's over callDuration otherwise).
		const message = await fetch(`${api.url}/conversations/messages/message-1`, { headers });
		assert.equal(message.status, 200);
		assert.equal(typeof (await message.json()).message?.id, 'string');
		// Message types as the comma-separated list the document describes; a misspelt one is still refused.
		const history = await fetch(`${api.url}/conversations/conversation-1/messages?limit=20&type=TYPE_SMS,TYPE_CALL`, { headers });
		assert.equal(history.status, 200);
		const misspelt = await fetch(`${api.url}/conversations/conversation-1/messages?type=TYPE_SMS,TYPE_FAX`, { headers });
		assert.equal(misspelt.status, 400);
		// The transcription's examples are numbers, as its schema says.
		const transcription = await fetch(`${api.url}/conversations/locations/location-1/messages/message-1/transcription`, { headers });
		assert.equal(transcription.status, 200);
		assert.equal(typeof (await transcription.json()).sentenceIndex, 'number');
		// The recording's file name as the document describes it (Prism sent the text "null" before).
		const recording = await fetch(`${api.url}/conversations/messages/message-1/locations/location-1/recording`, { headers });
		assert.equal(recording.status, 200);
		assert.equal(recording.headers.get('content-disposition'), 'attachment; filename=audio.wav');
		assert.notEqual(recording.headers.get('content-type'), 'null');
		const requests = await api.requests();
		assert.deepEqual(
			requests.map((request) => [request.path, request.valid]),
			[
				['/conversations/messages/message-1', true],
				['/conversations/conversation-1/messages', true],
				['/conversations/conversation-1/messages', false],
				['/conversations/locations/location-1/messages/message-1/transcription', true],
				['/conversations/messages/message-1/locations/location-1/recording', true],
			],
		);
		assert.deepEqual(requests[1].query, { limit: '20', type: 'TYPE_SMS,TYPE_CALL' });
	});

	it('lets a test answer a valid request itself (a rate limit), keeping Prism\'s verdict', async () => {
		const limited = await startHighLevelApi({
			answer: (request) =>
				request.path === '/conversations/search'
					? { status: 429, headers: { 'retry-after': '2' }, body: { statusCode: 429, message: 'Too many requests' } }
					: undefined,
		});
		try {
			const response = await fetch(`${limited.url}/conversations/search?locationId=location-1&limit=1`, {
				headers: { ...auth, version: CONVERSATIONS_VERSION },
			});
			assert.equal(response.status, 429);
			assert.equal(response.headers.get('retry-after'), '2');
			assert.deepEqual(await response.json(), { statusCode: 429, message: 'Too many requests' });
			// An invalid request is never overridden: Prism's refusal goes back.
			const invalid = await fetch(`${limited.url}/conversations/search?limit=1`, { headers: { ...auth, version: CONVERSATIONS_VERSION } });
			assert.equal(invalid.status, 400);
			const [first, second] = await limited.requests();
			assert.deepEqual([first.status, first.valid, first.response.status], [200, true, 429]);
			assert.deepEqual([second.status, second.valid, second.response.status], [400, false, 400]);
		} finally {
			await limited.stop();
		}
	});

	it('records a request the documents have no operation for as invalid', async () => {
		const headers = { ...auth, version: CONVERSATIONS_VERSION };
		// Google Business replies: a newer document's endpoint, not in the pinned one.
		const method = await fetch(`${api.url}/conversations/messages/review-reply`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: '{}',
		});
		assert.equal(method.status, 405);
		const route = await fetch(`${api.url}/locations/location-1`, { headers });
		assert.equal(route.status, 404);
		const requests = await api.requests();
		assert.deepEqual(
			requests.map((request) => [request.valid, request.violations[0]?.code]),
			[
				[false, 'NO_METHOD_MATCHED_ERROR'],
				[false, 'NO_PATH_MATCHED_ERROR'],
			],
		);
	});

	it('validates the query of a conversation search (required locationId, enums, number types)', async () => {
		const headers = { ...auth, version: CONVERSATIONS_VERSION };
		const statuses = [];
		for (const query of ['locationId=location-1&limit=100&startAfterDate=1700000000000', 'limit=1', 'locationId=location-1&status=bogus', 'locationId=location-1&limit=ten']) {
			statuses.push((await fetch(`${api.url}/conversations/search?${query}`, { headers })).status);
		}
		assert.deepEqual(statuses, [200, 400, 400, 400]);
	});

	it('serves a WAV for a valid recording request (Prism has no audio to mock), as HighLevel does', async () => {
		const response = await fetch(`${api.url}/conversations/messages/m1/locations/l1/recording`, {
			headers: { authorization: 'Bearer t', version: CONVERSATIONS_VERSION, accept: '*/*' },
		});
		assert.equal(response.status, 200);
		assert.equal(response.headers.get('content-type'), 'audio/x-wav');
		assert.equal(response.headers.get('content-disposition'), 'attachment; filename=audio.wav');
		const bytes = Buffer.from(await response.arrayBuffer());
		assert.equal(bytes.subarray(0, 4).toString(), 'RIFF');
		const refused = await fetch(`${api.url}/conversations/messages/m1/locations/l1/recording`, { headers: { version: CONVERSATIONS_VERSION } });
		assert.equal(refused.status, 401, 'no token, no recording');
	});

	it('with an echo set, delivers each accepted send back as a signed OutboundMessage with source "api", up to its limit', async () => {
		const deliveries = [];
		const { createServer } = await import('node:http');
		const receiver = createServer((req, res) => {
			const chunks = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				deliveries.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
			});
		});
		await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			api.setEcho({ url: `http://127.0.0.1:${receiver.address().port}/hook`, headers: (raw) => ({ 'x-ghl-signature': `sig-of-${raw.length}` }), appId: 'app-1', locationId: 'loc-1', max: 1 });
			const headers = { authorization: 'Bearer t', version: CONVERSATIONS_VERSION };
			assert.equal((await send(SMS, headers)).status, 200);
			assert.equal((await send(SMS, headers)).status, 200);
			assert.equal((await send({ type: 'SMS' }, headers)).status, 400);
			assert.deepEqual(await api.echoes(), [{ status: 200, answer: { received: true } }], 'one echo: the limit');
			assert.equal(deliveries.length, 1);
			const [echo] = deliveries;
			assert.match(echo.headers['x-ghl-signature'], /^sig-of-\d+$/);
			assert.deepEqual(
				{ type: echo.body.type, appId: echo.body.appId, locationId: echo.body.locationId, contactId: echo.body.contactId, direction: echo.body.direction, source: echo.body.source, messageType: echo.body.messageType, body: echo.body.body },
				{ type: 'OutboundMessage', appId: 'app-1', locationId: 'loc-1', contactId: SMS.contactId, direction: 'outbound', source: 'api', messageType: 'SMS', body: SMS.message },
			);
			assert.ok(echo.body.webhookId && echo.body.messageId && echo.body.timestamp);
		} finally {
			api.setEcho(null);
			await new Promise((resolve) => receiver.close(resolve));
		}
	});
});
