/**
 * The Message operations (Send, Reply, Get, Get Recording, Get Transcription,
 * Update Status) through the node, over HTTP: what a user sees when a field is
 * empty or not what HighLevel takes, which fields of the node end up in the
 * request, and what the node outputs for the answers HighLevel may give.
 *
 * Expected values come from the node's own parameter descriptions (labels,
 * options, hints the user reads), HighLevel's pinned OpenAPI documents and the
 * trigger examples; never from running the node.
 */
import type { IDataObject, INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { type MessageItem, toMessage } from '../nodes/HighLevel/normalize';
import { type ApiStub, jsonAnswer, type StubAnswer, type StubRequest, startApiStub } from './helpers/api-stub.cjs';
import { node, pitCredentials, runNode } from './helpers/execute-harness';
import { readExample } from './helpers/io.cjs';
import { validateRequest } from './helpers/openapi';

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

interface RunOptions {
	items?: IDataObject[];
	continueOnFail?: boolean;
}

/** Runs the node with a Private Integration Token; every request it sent must be one HighLevel's document accepts. */
async function run(parameters: INodeParameters, options: RunOptions = {}) {
	const { output } = await runNode({
		parameters,
		items: options.items,
		credentials: pitCredentials(stub.base),
		continueOnFail: options.continueOnFail,
	});
	for (const request of stub.requests) {
		expect({ request: `${request.method} ${request.url}`, errors: validateRequest(request).errors }).toEqual({
			request: `${request.method} ${request.url}`,
			errors: [],
		});
	}
	return { output, requests: [...stub.requests] };
}

const bodyOf = (request: StubRequest) => JSON.parse(request.body) as IDataObject;

/** The one request sent, as HighLevel receives its body. */
async function sentBody(parameters: INodeParameters, options: RunOptions = {}): Promise<IDataObject> {
	const { requests } = await run(parameters, options);
	expect(requests).toHaveLength(1);
	return bodyOf(requests[0]);
}

/** The error the node stops with; nothing may have been sent. */
async function refusal(parameters: INodeParameters, options: RunOptions = {}) {
	let caught: unknown;
	try {
		await run(parameters, options);
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(Error);
	expect(stub.requests).toHaveLength(0);
	return caught as Error & { description?: string; context: IDataObject };
}

/** The label a user reads above a field of one operation. */
function labelOf(operation: string, name: string): string {
	const property = node.description.properties.find(
		(candidate) =>
			candidate.name === name &&
			(candidate.displayOptions?.show?.resource as string[] | undefined)?.includes('message') &&
			(candidate.displayOptions?.show?.operation as string[] | undefined)?.includes(operation),
	) as INodeProperties | undefined;
	if (property === undefined) throw new Error(`no field ${name} on message ${operation}`);
	return property.displayName;
}

/** The names of the options of Send's Channel field, as the user sees them. */
function channelNames(): string[] {
	const channel = node.description.properties.find((property) => property.name === 'channel') as INodeProperties;
	return (channel.options as INodePropertyOptions[]).map((option) => option.name);
}

function triggerItem(name: string, change: IDataObject = {}, remove: string[] = []): MessageItem {
	const body: IDataObject = { ...(readExample(name).json as IDataObject), ...change };
	for (const key of remove) delete body[key];
	const result = toMessage(body as Parameters<typeof toMessage>[0]);
	if (!result.ok) throw new Error(`${name} is not a message`);
	return result.item;
}

const asItem = (item: MessageItem) => item as unknown as IDataObject;

const send = (parameters: INodeParameters) => ({ resource: 'message', operation: 'send', contactId: 'contact-1', ...parameters });
const reply = (parameters: INodeParameters) => ({ resource: 'message', operation: 'reply', ...parameters });
const updateStatus = (parameters: INodeParameters) => ({ resource: 'message', operation: 'updateStatus', messageId: 'out-1', ...parameters });

describe('a required field left empty is named as the user sees it, and nothing is sent', () => {
	it.each<[string, string, INodeParameters]>([
		['get', 'messageId', { messageId: '  ' }],
		['getRecording', 'messageId', { messageId: '' }],
		['getRecording', 'binaryPropertyName', { messageId: 'call-1', binaryPropertyName: ' ' }],
		['getTranscription', 'messageId', { messageId: '' }],
		['updateStatus', 'messageId', { messageId: '', status: 'read' }],
		['updateStatus', 'status', { messageId: 'out-1', status: '={{ "" }}' }],
		['send', 'conversationProviderId', { channel: 'Custom', contactId: 'contact-1', message: 'Hello', conversationProviderId: '' }],
	])('%s without %s', async (operation, name, parameters) => {
		const error = await refusal({ resource: 'message', operation, ...parameters });
		expect(error.message).toBe(`${labelOf(operation, name)} is empty`);
	});

	it('with Continue On Fail only the item without it fails', async () => {
		const { output, requests } = await run(
			{ resource: 'message', operation: 'get', messageId: '={{ $json.id }}' },
			{ items: [{ id: '' }, { id: 'msg-2' }], continueOnFail: true },
		);
		expect(requests.map((request) => request.path)).toEqual(['/conversations/messages/msg-2']);
		expect(output[0]).toEqual({ json: expect.objectContaining({ error: `${labelOf('get', 'messageId')} is empty` }), pairedItem: { item: 0 } });
		expect(output[1]).toMatchObject({ json: { id: 'msg-2' }, pairedItem: { item: 1 } });
	});
});

describe('Send', () => {
	describe('a channel HighLevel cannot send on', () => {
		it.each(['Voicemail', 'GMB', 'pigeon'])('"%s" (as an AI agent may name it) is refused by name, listing the channels', async (channel) => {
			const error = await refusal(send({ channel: `={{ "${channel}" }}`, message: 'Hello' }));
			expect(error.message).toBe(`HighLevel cannot send on channel "${channel}"`);
			for (const name of channelNames()) expect(error.description).toContain(name);
		});

		it('with Continue On Fail the item carries the reason and what to choose', async () => {
			const { output, requests } = await run(send({ channel: '={{ $json.channel }}', message: 'Hello' }), {
				items: [{ channel: 'Voicemail' }, { channel: 'SMS' }],
				continueOnFail: true,
			});
			expect(output[0]).toEqual({
				json: { error: 'HighLevel cannot send on channel "Voicemail"', description: expect.stringContaining('Live Chat') },
				pairedItem: { item: 0 },
			});
			expect(output[1]).toMatchObject({ json: { type: 'SMS', contactId: 'contact-1' }, pairedItem: { item: 1 } });
			expect(requests).toHaveLength(1);
		});
	});

	describe('the text: empty is refused unless there are attachments', () => {
		it.each<[string, INodeParameters, IDataObject[] | undefined]>([
			['only spaces and line breaks', { message: '  \n\t ' }, undefined],
			['an expression with no value (an AI Agent that gave no output)', { message: '={{ $json.output }}' }, [{}]],
			['an expression that gives null', { message: '={{ $json.output }}' }, [{ output: null }]],
		])('%s', async (_, parameters, items) => {
			const { output } = await run(send({ channel: 'SMS', ...parameters }), { items, continueOnFail: true });
			expect(stub.requests).toHaveLength(0);
			expect(output).toEqual([
				{
					json: { error: 'The message is empty', description: expect.stringMatching(/attachment URLs/i) },
					pairedItem: { item: 0 },
				},
			]);
		});

		it.each<[string, string, IDataObject]>([
			['SMS', 'SMS', {}],
			['WhatsApp', 'WhatsApp', {}],
			['Email', 'Email', { subject: 'Your invoice' }],
		])('%s: attachments alone are sent, without any text', async (channel, type, extra) => {
			const body = await sentBody(
				send({ channel, message: '', ...extra, additionalFields: { attachmentUrls: 'https://example.com/invoice.pdf' } }),
			);
			expect(body).toEqual({ type, contactId: 'contact-1', ...extra, attachments: ['https://example.com/invoice.pdf'] });
		});
	});

	describe('Send At', () => {
		it.each<[string, unknown]>([
			['left empty', ''],
			['an expression with no value', '={{ $json.sendAt }}'],
			['an expression that gives null', '={{ null }}'],
		])('%s: the message goes now (no scheduledTimestamp)', async (_, scheduledAt) => {
			const body = await sentBody(send({ channel: 'SMS', message: 'Hi', additionalFields: { scheduledAt } as INodeParameters }), {
				items: [{ sendAt: undefined }],
			});
			expect(body).toEqual({ type: 'SMS', contactId: 'contact-1', message: 'Hi' });
		});

		it('no date: refused with the value and what to enter instead', async () => {
			const { output } = await run(send({ channel: 'SMS', message: 'Hi', additionalFields: { scheduledAt: 'tomorrow morning' } }), {
				continueOnFail: true,
			});
			expect(stub.requests).toHaveLength(0);
			expect(output).toEqual([
				{
					json: { error: 'Send At "tomorrow morning" is not a date and time', description: expect.stringMatching(/\S/) },
					pairedItem: { item: 0 },
				},
			]);
		});
	});

	describe('fields of one channel never go out on another (channel chosen by an expression, as an AI agent does)', () => {
		const everyField = {
			fromNumber: '+15559876543',
			toNumber: '+15551234567',
			emailFrom: 'support@example.com',
			emailTo: 'jane@example.com',
			emailCc: 'a@example.com',
			emailBcc: 'b@example.com',
			threadId: 'thread-1',
			replyMessageId: 'email-0',
			emailReplyMode: 'reply_all',
		};

		it.each<[string, string, IDataObject]>([
			['whatsapp', 'WhatsApp', { message: 'Hello' }],
			['Facebook', 'FB', { message: 'Hello' }],
			['sms', 'SMS', { message: 'Hello', fromNumber: '+15559876543', toNumber: '+15551234567' }],
			[
				'email',
				'Email',
				{
					subject: 'Hello',
					html: '<p>Hello</p>',
					emailFrom: 'support@example.com',
					emailTo: 'jane@example.com',
					emailCc: ['a@example.com'],
					emailBcc: ['b@example.com'],
					threadId: 'thread-1',
					replyMessageId: 'email-0',
					emailReplyMode: 'reply_all',
				},
			],
		])('channel "%s" sends a %s body with only its own fields', async (channel, type, expected) => {
			const body = await sentBody(send({ channel: `={{ "${channel}" }}`, subject: 'Hello', message: 'Hello', additionalFields: everyField }));
			expect(body).toEqual({ type, contactId: 'contact-1', ...expected });
		});
	});

	it('a channel written as none of the field\'s options (a workflow edited by hand): n8n gives no Subject, and none is made up', async () => {
		const body = await sentBody(send({ channel: 'email', message: 'Hello' }));
		expect(body).toEqual({ type: 'Email', contactId: 'contact-1', html: '<p>Hello</p>' });
	});

	describe('Email Reply Mode ("Mode for email replies" in HighLevel\'s document) goes only with a reply', () => {
		it.each<[string, INodeParameters, string | undefined]>([
			['a new email, Reply All chosen', { emailReplyMode: 'reply_all' }, undefined],
			['a new email, nothing chosen', {}, undefined],
			['in a thread, nothing chosen: the default Reply', { threadId: 'thread-1' }, 'reply'],
			['in a thread, Reply All', { threadId: 'thread-1', emailReplyMode: 'reply_all' }, 'reply_all'],
			['answering an email, Reply', { replyMessageId: 'email-0', emailReplyMode: 'reply' }, 'reply'],
			['answering an email, Reply All', { replyMessageId: 'email-0', emailReplyMode: 'reply_all' }, 'reply_all'],
		])('%s', async (_, additionalFields, mode) => {
			const body = await sentBody(send({ channel: 'Email', subject: 'Booking', message: 'See you', additionalFields }));
			expect(body.emailReplyMode).toBe(mode);
			expect('emailReplyMode' in body).toBe(mode !== undefined);
		});
	});
});

describe('Reply', () => {
	describe('Message to Reply To', () => {
		it('JSON text that does not parse is refused, pointing at the trigger item (the field\'s hint)', async () => {
			const { output } = await run(reply({ triggerItem: '{"contactId": "c-1",', message: 'Hi' }), { continueOnFail: true });
			expect(stub.requests).toHaveLength(0);
			expect(output).toEqual([
				{
					json: {
						error: `'${labelOf('reply', 'triggerItem')}' is not valid JSON`,
						description: expect.stringContaining("$('HighLevel Message Trigger').item.json"),
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it.each(['={{ null }}', '={{ $json.nothing }}'])('%s: the incoming item is answered', async (triggerItemValue) => {
			const item = triggerItem('inbound-sms');
			const body = await sentBody(reply({ triggerItem: triggerItemValue, message: 'Hi' }), { items: [asItem(item)] });
			expect(body).toMatchObject({ type: 'SMS', contactId: item.contactId, message: 'Hi' });
		});
	});

	describe('the text: empty is refused unless there are attachments', () => {
		it.each<[string, INodeParameters]>([
			['only spaces', { message: ' \n ' }],
			['an AI Agent with no output', { message: '={{ $json.output }}' }],
		])('%s', async (_, parameters) => {
			const { output } = await run(reply(parameters), { items: [asItem(triggerItem('inbound-sms'))], continueOnFail: true });
			expect(stub.requests).toHaveLength(0);
			expect(output).toEqual([
				{
					json: { error: 'The reply is empty', description: expect.stringMatching(/attachment URLs/i) },
					pairedItem: { item: 0 },
				},
			]);
		});

		it('attachments alone are sent', async () => {
			const item = triggerItem('inbound-whatsapp-media-missing-attachments');
			const body = await sentBody(reply({ message: '', options: { attachmentUrls: 'https://example.com/menu.pdf' } }), {
				items: [asItem(item)],
			});
			expect(body).toEqual({ type: 'WhatsApp', contactId: item.contactId, attachments: ['https://example.com/menu.pdf'] });
		});
	});

	describe('each option reaches HighLevel', () => {
		it('Reply Channel: a missed call is texted back', async () => {
			const item = triggerItem('inbound-call-answered');
			const body = await sentBody(reply({ message: 'Sorry we missed you', options: { replyChannel: 'SMS' } }), { items: [asItem(item)] });
			expect(body).toMatchObject({ type: 'SMS', contactId: item.contactId, message: 'Sorry we missed you' });
		});

		it('Reply Channel and Subject: a voicemail answered by email with the subject chosen', async () => {
			const item = triggerItem('inbound-call-voicemail');
			const body = await sentBody(
				reply({ message: 'We got your voicemail', options: { replyChannel: 'Email', subject: 'Your voicemail' } }),
				{ items: [asItem(item)] },
			);
			expect(body).toMatchObject({ type: 'Email', contactId: item.contactId, subject: 'Your voicemail' });
		});

		it('Subject on an email reply replaces the "Re:" one', async () => {
			const item = triggerItem('inbound-email-to-array');
			const body = await sentBody(reply({ message: 'Thanks', options: { subject: 'Your order, shipped' } }), { items: [asItem(item)] });
			expect(body).toMatchObject({ type: 'Email', subject: 'Your order, shipped' });
		});

		it.each<[string, INodeParameters, string]>([
			['Reply All', { emailReplyMode: 'reply_all' }, 'reply_all'],
			['Reply', { emailReplyMode: 'reply' }, 'reply'],
			['nothing chosen: the default Reply', {}, 'reply'],
		])('Email Reply Mode %s', async (_, options, mode) => {
			const item = triggerItem('inbound-email-to-string-cclist');
			const body = await sentBody(reply({ message: 'Thanks', options }), { items: [asItem(item)] });
			expect(body).toMatchObject({ type: 'Email', contactId: item.contactId, emailReplyMode: mode });
		});

		it('Conversation Provider ID: a custom provider message whose item has none', async () => {
			const item = triggerItem('inbound-sms', { messageType: 'Custom' }, ['messageTypeString', 'messageTypeId', 'conversationProviderId']);
			const body = await sentBody(reply({ message: 'Hi', options: { conversationProviderId: 'prov-1' } }), { items: [asItem(item)] });
			expect(body).toMatchObject({ type: 'Custom', contactId: item.contactId, message: 'Hi', conversationProviderId: 'prov-1' });
		});
	});
});

describe('Get Transcription: what HighLevel answers becomes the text', () => {
	const transcription = { resource: 'message', operation: 'getTranscription', messageId: 'call-1' };
	const sentence = (sentenceIndex: number, transcript: unknown) => ({
		mediaChannel: 1,
		sentenceIndex,
		startTime: sentenceIndex * 1000,
		endTime: sentenceIndex * 1000 + 900,
		transcript,
		confidence: 0.9,
	});

	async function transcribe(answer: StubAnswer) {
		stub.respond(answer);
		const { output } = await run(transcription);
		expect(output).toHaveLength(1);
		return output[0].json;
	}

	it('one sentence as a bare object, the shape HighLevel\'s document shows', async () => {
		const only = sentence(0, 'This call may be recorded.');
		expect(await transcribe(jsonAnswer(200, only))).toEqual({ messageId: 'call-1', text: 'This call may be recorded.', sentences: [only] });
	});

	it.each([
		[[2, 1, 0]],
		[[1, 2, 0]],
		[[0, 2, 1]],
		[[3, 0, 2, 1]],
	])('sentences given in the order %j are read in sentenceIndex order', async (order) => {
		const words = ['One.', 'Two.', 'Three.', 'Four.'];
		const json = await transcribe(jsonAnswer(200, order.map((index) => sentence(index, words[index]))));
		expect(json.text).toBe(words.slice(0, order.length).join('\n'));
		expect((json.sentences as IDataObject[]).map((each) => each.sentenceIndex)).toEqual([...order].sort());
	});

	it('each sentence trimmed, blank ones left out of the text', async () => {
		const json = await transcribe(jsonAnswer(200, [sentence(0, '  Hello there.  '), sentence(1, '   '), sentence(2, '\tBye.\n')]));
		expect(json.text).toBe('Hello there.\nBye.');
	});

	it('entries that are no sentence (no transcript text) are left out', async () => {
		const json = await transcribe(jsonAnswer(200, [sentence(0, 'Hello.'), { mediaChannel: 1, sentenceIndex: 1 }, sentence(2, 42), null]));
		expect(json).toEqual({ messageId: 'call-1', text: 'Hello.', sentences: [sentence(0, 'Hello.')] });
	});

	it.each<[string, StubAnswer]>([
		['an empty body', { status: 200, headers: {}, body: '' }],
		['JSON null', jsonAnswer(200, null)],
		['an empty list', jsonAnswer(200, [])],
		['plain text', { status: 200, headers: { 'content-type': 'text/plain' }, body: 'no transcription' }],
	])('no transcription (%s): empty text, no sentences', async (_, answer) => {
		expect(await transcribe(answer)).toEqual({ messageId: 'call-1', text: '', sentences: [] });
	});
});

describe('Update Status', () => {
	it.each(['delivered', 'read', 'pending'])('%s: an error code filled in is not sent (it is for a failed message)', async (status) => {
		const body = await sentBody(updateStatus({ status, additionalFields: { errorCode: '30003' } }));
		expect(body).toEqual({ status });
	});

	it('failed, with neither message nor code: no error object', async () => {
		expect(await sentBody(updateStatus({ status: 'failed' }))).toEqual({ status: 'failed' });
	});

	it('failed with only a message: the error HighLevel requires gets a code, and the type its document gives', async () => {
		const body = await sentBody(updateStatus({ status: 'failed', errorMessage: 'Number unreachable' }));
		expect(body).toEqual({ status: 'failed', error: { code: expect.stringMatching(/\S/), type: 'saas', message: 'Number unreachable' } });
	});

	it('failed given by an expression: the error message still goes along', async () => {
		const body = await sentBody(updateStatus({ status: '={{ "failed" }}', errorMessage: 'Number unreachable', additionalFields: { errorCode: '30003' } }));
		expect(body).toEqual({ status: 'failed', error: { code: '30003', type: 'saas', message: 'Number unreachable' } });
	});

	it('failed with only a code: the error gets a message', async () => {
		const body = await sentBody(updateStatus({ status: 'failed', additionalFields: { errorCode: '30003' } }));
		expect(body).toEqual({ status: 'failed', error: { code: '30003', type: 'saas', message: expect.stringMatching(/\S/) } });
	});

	it('outputs the message, the status and HighLevel\'s answer', async () => {
		stub.respond(jsonAnswer(200, { conversationId: 'conv-9', messageId: 'out-1', msg: 'Status updated' }));
		const { output } = await run(updateStatus({ status: 'read' }));
		expect(output).toEqual([
			{ json: { messageId: 'out-1', status: 'read', conversationId: 'conv-9', msg: 'Status updated' }, pairedItem: { item: 0 } },
		]);
	});

	it.each<[string, StubAnswer]>([
		['plain text', { status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' }],
		['an empty body', { status: 200, headers: {}, body: '' }],
		['JSON null', jsonAnswer(200, null)],
	])('an answer with nothing to add (%s): the message and the status', async (_, answer) => {
		stub.respond(answer);
		const { output } = await run(updateStatus({ status: 'read' }));
		expect(output).toEqual([{ json: { messageId: 'out-1', status: 'read' }, pairedItem: { item: 0 } }]);
	});
});
