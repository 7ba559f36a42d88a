/**
 * The body of Message > Send (`POST /conversations/messages`, HighLevel's
 * SendMessageBodyDto): the send type HighLevel expects for the channel as a user,
 * an expression or an AI agent names it, and no text field when there is no text.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type ApiStub, startApiStub } from './helpers/api-stub.cjs';
import { pitCredentials, runNode } from './helpers/execute-harness';
import { validateRequest } from './helpers/openapi';

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

/** Runs Message > Send; the body HighLevel received, checked against its schema. */
async function sentBody(parameters: INodeParameters): Promise<IDataObject> {
	await runNode({
		parameters: { resource: 'message', operation: 'send', contactId: 'contact-1', ...parameters },
		credentials: pitCredentials(stub.base),
	});
	expect(stub.requests).toHaveLength(1);
	expect(validateRequest(stub.requests[0]).errors).toEqual([]);
	return JSON.parse(stub.requests[0].body) as IDataObject;
}

// Every send needs the provider id for Custom; other channels do not read it.
const provider = { conversationProviderId: 'prov-1' };

describe('Channel -> the send type in the body', () => {
	// The Channel options' values are HighLevel's send types (the request schema's `type` enum).
	it.each(['SMS', 'Email', 'WhatsApp', 'FB', 'IG', 'Live_Chat', 'Custom'])('the Channel option %s is sent as it is', async (channel) => {
		const body = await sentBody({ channel, message: 'Hi', ...provider });
		expect(body.type).toBe(channel);
	});

	it.each([
		// The Channel options' display names, as an AI agent or an expression may give them.
		['Custom Provider', 'Custom'],
		['custom provider', 'Custom'],
		['CUSTOM_PROVIDER', 'Custom'],
		['Facebook', 'FB'],
		['Instagram', 'IG'],
		['Live Chat', 'Live_Chat'],
		['sms', 'SMS'],
		['TYPE_WHATSAPP', 'WhatsApp'],
	])('the channel written %j is sent as %s', async (channel, type) => {
		const body = await sentBody({ channel: `={{ ${JSON.stringify(channel)} }}`, message: 'Hi', ...provider });
		expect(body.type).toBe(type);
	});

	// The request schema's `type` enum has no call, voicemail or Google Business type (openapi/README.md: no GMB).
	it.each(['Call', 'Voicemail', 'Google Business', 'GMB', 'pigeon'])('the channel %j is refused before anything is sent', async (channel) => {
		await expect(sentBody({ channel: `={{ ${JSON.stringify(channel)} }}`, message: 'Hi', ...provider })).rejects.toMatchObject({
			message: `HighLevel cannot send on channel "${channel}"`,
			description: expect.stringContaining('Choose SMS, Email'),
		});
		expect(stub.requests).toHaveLength(0);
	});
});

describe('the text goes in `message` (or `html` for email) only when there is some', () => {
	it.each([
		['SMS', { type: 'SMS', contactId: 'contact-1', message: 'See you at 9' }],
		['WhatsApp', { type: 'WhatsApp', contactId: 'contact-1', message: 'See you at 9' }],
		['Email', { type: 'Email', contactId: 'contact-1', html: '<p>See you at 9</p>' }],
	])('%s with text', async (channel, expected) => {
		expect(await sentBody({ channel, message: 'See you at 9' })).toEqual(expected);
	});

	// "Type the text to send ..., or add attachment URLs": attachments alone are a message.
	it.each(['SMS', 'Email'])('%s with attachments and no text sends no text field', async (channel) => {
		const body = await sentBody({
			channel,
			message: '',
			additionalFields: { attachmentUrls: 'https://example.com/menu.pdf' },
		});
		expect(body).toEqual({ type: channel, contactId: 'contact-1', attachments: ['https://example.com/menu.pdf'] });
	});
});
