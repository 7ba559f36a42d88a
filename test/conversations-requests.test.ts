/**
 * Every request each operation builds, as it arrives over HTTP, against
 * HighLevel's pinned OpenAPI documents; and what each operation outputs.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ENDPOINTS } from '../nodes/HighLevel/api/endpoints';
import { type ApiStub, type StubRequest, startApiStub, WAV } from './helpers/api-stub.cjs';
import { LOCATION_ID, OAUTH_ACCESS, oauthCredentials, PIT_TOKEN, pitCredentials, runNode } from './helpers/execute-harness';
import { validateRequest } from './helpers/openapi';

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

/** operationIds of the requests the tests below sent and validated. */
const validated = new Set<string>();

/** Runs the node and checks every request it sent against the documents. */
async function run(parameters: INodeParameters, options: { oauth?: boolean; items?: IDataObject[]; timezone?: string } = {}) {
	const result = await runNode({
		parameters: options.oauth ? { authentication: 'oAuth2', ...parameters } : parameters,
		items: options.items,
		credentials: options.oauth ? oauthCredentials(stub.base) : pitCredentials(stub.base),
		timezone: options.timezone,
	});
	for (const request of stub.requests) {
		const verdict = validateRequest(request);
		expect({ request: `${request.method} ${request.url}`, errors: verdict.errors }).toEqual({
			request: `${request.method} ${request.url}`,
			errors: [],
		});
		expect(request.headers.authorization).toBe(`Bearer ${options.oauth ? OAUTH_ACCESS : PIT_TOKEN}`);
		validated.add(verdict.operationId!);
	}
	return { output: result.output, requests: [...stub.requests] };
}

const bodyOf = (request: StubRequest) => JSON.parse(request.body) as IDataObject;
const send = (parameters: INodeParameters) => ({ resource: 'message', operation: 'send', contactId: 'contact-1', ...parameters });

describe('Message > Send', () => {
	it('SMS: type, contact and text; HighLevel\'s answer plus what was sent', async () => {
		const { output, requests } = await run(send({ channel: 'SMS', message: 'Hi Jane' }));
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({ method: 'POST', path: '/conversations/messages' });
		expect(requests[0].headers.version).toBe('2021-04-15');
		expect(bodyOf(requests[0])).toEqual({ type: 'SMS', contactId: 'contact-1', message: 'Hi Jane' });
		expect(output).toEqual([
			{
				json: { conversationId: 'conv-stub-1', messageId: 'msg-stub-1', msg: 'Message queued successfully.', type: 'SMS', contactId: 'contact-1' },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('SMS with numbers, attachments by URL and a scheduled time', async () => {
		const { requests } = await run(
			send({
				channel: 'SMS',
				message: 'Your invoice',
				additionalFields: {
					fromNumber: '+15559876543',
					toNumber: '+15551234567',
					attachmentUrls: 'https://example.com/a.pdf, https://example.com/b.png',
					scheduledAt: '2026-12-01T09:00:00',
				},
			}),
			{ timezone: 'Europe/Berlin' },
		);
		expect(bodyOf(requests[0])).toEqual({
			type: 'SMS',
			contactId: 'contact-1',
			message: 'Your invoice',
			fromNumber: '+15559876543',
			toNumber: '+15551234567',
			attachments: ['https://example.com/a.pdf', 'https://example.com/b.png'],
			// 09:00 in Berlin (UTC+1 in December) is 08:00 UTC.
			scheduledTimestamp: Date.UTC(2026, 11, 1, 8, 0, 0) / 1000,
		});
	});

	it('Email: subject, HTML body from plain text, copies, sender, threading', async () => {
		const { output, requests } = await run(
			send({
				channel: 'Email',
				subject: 'Your booking',
				message: 'Hello Jane,\n\nSee you on Friday.',
				additionalFields: {
					emailFrom: 'Support <support@example.com>',
					emailTo: 'jane.work@example.com',
					emailCc: 'a@example.com, b@example.com',
					emailBcc: 'audit@example.com',
					threadId: 'thread-1',
					replyMessageId: 'email-0',
					emailReplyMode: 'reply_all',
				},
			}),
		);
		expect(bodyOf(requests[0])).toEqual({
			type: 'Email',
			contactId: 'contact-1',
			subject: 'Your booking',
			html: '<p>Hello Jane,</p><p>See you on Friday.</p>',
			emailFrom: 'Support <support@example.com>',
			emailTo: 'jane.work@example.com',
			emailCc: ['a@example.com', 'b@example.com'],
			emailBcc: ['audit@example.com'],
			threadId: 'thread-1',
			replyMessageId: 'email-0',
			emailReplyMode: 'reply_all',
		});
		expect(output[0].json.emailMessageId).toBe('email-stub-1');
	});

	it.each([
		['WhatsApp', 'WhatsApp'],
		['FB', 'FB'],
		['IG', 'IG'],
		['Live_Chat', 'Live_Chat'],
	])('%s', async (channel, type) => {
		const { requests } = await run(send({ channel, message: 'Hello' }));
		expect(bodyOf(requests[0])).toEqual({ type, contactId: 'contact-1', message: 'Hello' });
	});

	it('Custom provider: the provider id goes along', async () => {
		const { requests } = await run(send({ channel: 'Custom', message: 'Hello', conversationProviderId: 'prov-1' }));
		expect(bodyOf(requests[0])).toEqual({ type: 'Custom', contactId: 'contact-1', message: 'Hello', conversationProviderId: 'prov-1' });
	});

	it('fields of another channel are not sent (an SMS never carries email fields)', async () => {
		const { requests } = await run(
			send({ channel: 'SMS', message: 'Hi', additionalFields: { emailCc: 'a@example.com', threadId: 't-1' } }),
		);
		expect(bodyOf(requests[0])).toEqual({ type: 'SMS', contactId: 'contact-1', message: 'Hi' });
	});

	it('with the OAuth2 credential: the OAuth access token, the same request', async () => {
		const { requests } = await run(send({ channel: 'SMS', message: 'Hi' }), { oauth: true });
		expect(bodyOf(requests[0])).toEqual({ type: 'SMS', contactId: 'contact-1', message: 'Hi' });
	});

	it('an AI agent may name the channel its own way', async () => {
		const { requests } = await run(send({ channel: '={{ "whatsapp" }}', message: 'Hi' }));
		expect(bodyOf(requests[0]).type).toBe('WhatsApp');
	});

	it('an empty message or contact is stopped before anything is sent', async () => {
		await expect(run(send({ channel: 'SMS', message: '' }))).rejects.toMatchObject({ message: 'The message is empty' });
		await expect(run(send({ channel: 'SMS', message: 'Hi', contactId: ' ' }))).rejects.toMatchObject({ message: 'Contact ID is empty' });
		expect(stub.requests).toHaveLength(0);
	});

	it('a Send At that is no date is stopped before anything is sent', async () => {
		await expect(run(send({ channel: 'SMS', message: 'Hi', additionalFields: { scheduledAt: 'next friday' } }))).rejects.toMatchObject({
			message: 'Send At "next friday" is not a date and time',
		});
		expect(stub.requests).toHaveLength(0);
	});

	it('one request per input item, each paired with its item', async () => {
		const { output, requests } = await run(send({ channel: 'SMS', message: '={{ $json.text }}', contactId: '={{ $json.contact }}' }), {
			items: [
				{ contact: 'c-1', text: 'one' },
				{ contact: 'c-2', text: 'two' },
			],
		});
		expect(requests.map(bodyOf)).toEqual([
			{ type: 'SMS', contactId: 'c-1', message: 'one' },
			{ type: 'SMS', contactId: 'c-2', message: 'two' },
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('Message > Get, Get Recording, Get Transcription, Update Status', () => {
	it('Get unwraps the live API\'s {"message": ...} and adds channel and readable text', async () => {
		const { output, requests } = await run({ resource: 'message', operation: 'get', messageId: 'msg 1/2' });
		expect(requests[0]).toMatchObject({ method: 'GET', path: '/conversations/messages/msg%201%2F2' });
		expect(output[0].json).toMatchObject({
			id: 'msg 1/2',
			attachments: ['https://example.com/photo.jpg'],
			channel: 'SMS',
			text: 'Photo attached',
		});
	});

	it('Get accepts the bare message the document shows, and makes email HTML readable', async () => {
		stub.respond({
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: { id: 'e-1', type: 3, messageType: 'TYPE_EMAIL', body: '<div>Hello<br>there &amp; welcome</div>', contentType: 'text/html' },
		});
		const { output } = await run({ resource: 'message', operation: 'get', messageId: 'e-1' });
		expect(output[0].json).toMatchObject({ id: 'e-1', channel: 'Email', text: 'Hello\nthere & welcome' });
	});

	it('Get Recording: the audio as binary data with file name and MIME type, for the credential\'s location', async () => {
		const { output, requests } = await run({ resource: 'message', operation: 'getRecording', messageId: 'call-1' });
		expect(requests[0].path).toBe(`/conversations/messages/call-1/locations/${LOCATION_ID}/recording`);
		expect(output[0].json).toEqual({ messageId: 'call-1', locationId: LOCATION_ID, fileName: 'audio.wav', mimeType: 'audio/x-wav', fileSize: WAV.length });
		const file = output[0].binary!.data;
		expect(file).toMatchObject({ fileName: 'audio.wav', mimeType: 'audio/x-wav', fileExtension: 'wav' });
		expect(Buffer.from(file.data, 'base64').equals(WAV)).toBe(true);
	});

	it('Get Recording with OAuth2: the location comes with the token; a nameless file gets one', async () => {
		stub.respond({ status: 200, headers: { 'content-type': 'audio/mpeg' }, body: Buffer.from('ID3 audio') });
		const { output, requests } = await run(
			{ resource: 'message', operation: 'getRecording', messageId: 'vm-1', binaryPropertyName: 'voicemail' },
			{ oauth: true },
		);
		expect(requests[0].path).toBe('/conversations/messages/vm-1/locations/loc-oauth-example/recording');
		expect(output[0].binary!.voicemail).toMatchObject({ fileName: 'recording-vm-1.mp3', mimeType: 'audio/mpeg' });
	});

	it('Get Transcription: the sentences in order, and the text', async () => {
		const { output, requests } = await run({ resource: 'message', operation: 'getTranscription', messageId: 'call-1' });
		expect(requests[0].path).toBe(`/conversations/locations/${LOCATION_ID}/messages/call-1/transcription`);
		expect(output[0].json).toMatchObject({
			messageId: 'call-1',
			text: 'Hi, this is Jane.\nCould you call me back tomorrow?',
		});
		expect((output[0].json.sentences as IDataObject[]).map((sentence) => sentence.sentenceIndex)).toEqual([0, 1]);
	});

	it('Update Status: delivered', async () => {
		const { output, requests } = await run({ resource: 'message', operation: 'updateStatus', messageId: 'out-1', status: 'delivered' });
		expect(requests[0]).toMatchObject({ method: 'PUT', path: '/conversations/messages/out-1/status' });
		expect(bodyOf(requests[0])).toEqual({ status: 'delivered' });
		expect(output[0].json).toMatchObject({ messageId: 'out-1', status: 'delivered' });
	});

	it('Update Status: failed, with the provider\'s error and the email message id', async () => {
		const { requests } = await run({
			resource: 'message',
			operation: 'updateStatus',
			messageId: 'out-1',
			status: 'failed',
			errorMessage: 'Number unreachable',
			additionalFields: { errorCode: '30003', emailMessageId: 'em-1' },
		});
		expect(bodyOf(requests[0])).toEqual({
			status: 'failed',
			error: { code: '30003', type: 'saas', message: 'Number unreachable' },
			emailMessageId: 'em-1',
		});
	});
});

describe('Conversation > Search, Get, Get Messages', () => {
	it('Search by contact: the credential\'s location, newest first, the limit', async () => {
		const { output, requests } = await run({ resource: 'conversation', operation: 'search', contactId: 'contact-9', limit: 5 });
		expect(requests).toHaveLength(1);
		expect(requests[0].query).toEqual({
			locationId: LOCATION_ID,
			contactId: 'contact-9',
			sort: 'desc',
			sortBy: 'last_message_date',
			limit: '5',
		});
		expect(output).toEqual([{ json: expect.objectContaining({ id: 'conv-stub-1', contactId: 'contact-9' }), pairedItem: { item: 0 } }]);
	});

	it('Search with filters', async () => {
		const { requests } = await run({
			resource: 'conversation',
			operation: 'search',
			filters: { query: 'Jane', status: 'unread', assignedTo: 'user-1', lastMessageDirection: 'inbound' },
		});
		expect(requests[0].query).toMatchObject({ query: 'Jane', status: 'unread', assignedTo: 'user-1', lastMessageDirection: 'inbound' });
		expect(requests[0].query.contactId).toBeUndefined();
	});

	it('Search, Return All: pages on after the last conversation\'s sort value', async () => {
		const page = (from: number, count: number) =>
			Array.from({ length: count }, (_, index) => ({ id: `c-${from + index}`, contactId: 'x', locationId: LOCATION_ID, sort: [1_000_000 - (from + index)] }));
		stub.respond(
			{ status: 200, headers: { 'content-type': 'application/json' }, body: { conversations: page(0, 100), total: 103 } },
			{ status: 200, headers: { 'content-type': 'application/json' }, body: { conversations: page(100, 3), total: 103 } },
		);
		const { output, requests } = await run({ resource: 'conversation', operation: 'search', returnAll: true });
		expect(requests.map((request) => request.query.startAfterDate)).toEqual([undefined, String(1_000_000 - 99)]);
		expect(requests.map((request) => request.query.limit)).toEqual(['100', '100']);
		expect(output).toHaveLength(103);
		expect(output[102].json.id).toBe('c-102');
	});

	it('Get a conversation', async () => {
		const { output, requests } = await run({ resource: 'conversation', operation: 'get', conversationId: 'conv-7' });
		expect(requests[0]).toMatchObject({ method: 'GET', path: '/conversations/conv-7' });
		expect(output[0].json).toMatchObject({ id: 'conv-7', contactId: 'contact-1' });
	});

	it('Get Messages: newest first, each with channel and text readable like the trigger\'s', async () => {
		const { output, requests } = await run({ resource: 'conversation', operation: 'getMessages', conversationId: 'conv-7' });
		expect(requests[0]).toMatchObject({ path: '/conversations/conv-7/messages', query: { limit: '50' } });
		expect(output.map((item) => [item.json.id, item.json.channel, item.json.text])).toEqual([
			['m-2', 'SMS', 'Can I book for Friday?'],
			['m-1', 'Email', 'Hello Jane,\n\nThanks for writing.'],
		]);
	});

	it('Get Messages, Return All: pages with lastMessageId while HighLevel says there is more; type filter', async () => {
		const message = (id: string) => ({ id, messageType: 'TYPE_SMS', body: id, direction: 'inbound' });
		stub.respond(
			{
				status: 200,
				headers: { 'content-type': 'application/json' },
				body: { messages: { lastMessageId: 'p1-last', nextPage: true, messages: [message('a'), message('p1-last')] } },
			},
			{
				status: 200,
				headers: { 'content-type': 'application/json' },
				body: { messages: { lastMessageId: 'p2-last', nextPage: false, messages: [message('p2-last')] } },
			},
		);
		const { output, requests } = await run({
			resource: 'conversation',
			operation: 'getMessages',
			conversationId: 'conv-7',
			returnAll: true,
			filters: { types: ['TYPE_SMS', 'TYPE_EMAIL'] },
		});
		expect(requests.map((request) => request.query)).toEqual([
			{ limit: '100', type: 'TYPE_SMS,TYPE_EMAIL' },
			{ limit: '100', type: 'TYPE_SMS,TYPE_EMAIL', lastMessageId: 'p1-last' },
		]);
		expect(output.map((item) => item.json.id)).toEqual(['a', 'p1-last', 'p2-last']);
		expect(validateRequest(requests[0]).defects).toEqual(['comma-separated enum "type"']);
	});
});

describe('Contact > Get', () => {
	it('uses the contacts API version and unwraps {"contact": ...}', async () => {
		const { output, requests } = await run({ resource: 'contact', operation: 'get', contactId: 'contact-1' });
		expect(requests[0]).toMatchObject({ method: 'GET', path: '/contacts/contact-1' });
		expect(requests[0].headers.version).toBe('2021-07-28');
		expect(output[0].json).toMatchObject({ id: 'contact-1', firstName: 'Jane', phone: '+15551234567' });
	});
});

describe('coverage and the validator itself', () => {
	it('the tests above validated a request to every endpoint the node uses', () => {
		const expected = Object.values(ENDPOINTS).map((endpoint) => `${endpoint.method} ${endpoint.path}`);
		expect(expected).toHaveLength(9);
		expect([...validated].sort()).toEqual(
			[
				'send-a-new-message',
				'get-message',
				'get-message-recording',
				'get-message-transcription',
				'update-message-status',
				'search-conversation',
				'get-conversation',
				'get-messages',
				'get-contact',
			].sort(),
		);
	});

	const good: StubRequest = {
		method: 'POST',
		url: '/conversations/messages',
		path: '/conversations/messages',
		query: {},
		headers: { version: '2021-04-15', authorization: 'Bearer t', 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'SMS', contactId: 'c', message: 'hi' }),
		at: 0,
	};

	it.each([
		['no Version header', { headers: { authorization: 'Bearer t', 'content-type': 'application/json' } }, /required header "Version"/],
		['the contacts Version on a conversations call', { headers: { ...good.headers, version: '2021-07-28' } }, /header.Version/],
		['no token', { headers: { version: '2021-04-15', 'content-type': 'application/json' } }, /bearer/],
		['a misspelt body field', { body: JSON.stringify({ type: 'SMS', contactId: 'c', mesage: 'hi' }) }, /must NOT have additional properties.*mesage/],
		['a send type HighLevel lacks', { body: JSON.stringify({ type: 'GMB', contactId: 'c' }) }, /body\/type/],
		['no contact', { body: JSON.stringify({ type: 'SMS' }) }, /contactId/],
		['a query parameter the document lacks', { url: '/conversations/messages?force=1' }, /"force" is not in the document/],
		['an endpoint that does not exist', { method: 'PATCH' }, /no operation/],
	])('rejects a request with %s', (_, change, error) => {
		const verdict = validateRequest({ ...good, ...change } as StubRequest);
		expect(verdict.errors.join('\n')).toMatch(error);
	});

	it('accepts the good request, and names the document\'s defects it works around', () => {
		expect(validateRequest(good)).toEqual({ operationId: 'send-a-new-message', errors: [], defects: [] });
		const getMessage = { ...good, method: 'GET', url: '/conversations/messages/m-1', path: '/conversations/messages/m-1', body: '' };
		expect(validateRequest(getMessage as StubRequest)).toEqual({ operationId: 'get-message', errors: [], defects: ['undeclared path parameter {id}'] });
	});
});
