/**
 * Reply, driven through the node: which item gets which answer (reply-mapping),
 * how a typed email body reaches HighLevel (email-html), and how typed lists
 * become arrays (lists). Items come from HighLevel's example webhooks, run
 * through the trigger's own normaliser; every request is checked against
 * HighLevel's OpenAPI document.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { toMessage } from '../nodes/HighLevel/normalize';
import { type ApiStub, startApiStub } from './helpers/api-stub.cjs';
import { pitCredentials, runNode } from './helpers/execute-harness';
import { readExample } from './helpers/io.cjs';
import { validateRequest } from './helpers/openapi';
import { readOpenApiDocs } from './helpers/openapi-docs.cjs';

const TEXT = 'Thanks, we will call you back today.';

/** What the trigger emits for an example webhook, after `changes` (a null value removes the key). */
function triggerItem(example: string, changes: Record<string, unknown> = {}): IDataObject {
	const body: Record<string, unknown> = { ...readExample(example).json };
	for (const [key, value] of Object.entries(changes)) {
		if (value === null) delete body[key];
		else body[key] = value;
	}
	const result = toMessage(body);
	if (!result.ok) throw new Error(`${example} is not a message`);
	return result.item as unknown as IDataObject;
}

/** HighLevel's send types (SendMessageBodyDto.type). */
function sendTypes(): string[] {
	const doc = readOpenApiDocs()['apps/conversations.json'] as {
		components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
	};
	return doc.components.schemas.SendMessageBodyDto.properties.type.enum ?? [];
}

/** What a mail reader shows for the `<p>`/`<br>` HTML of a plain-text email. */
function shown(html: string): string {
	return html
		.replace(/<\/p><p>/g, '\n\n')
		.replace(/<br>/g, '\n')
		.replace(/^<p>|<\/p>$/g, '')
		.replace(/&(quot|lt|gt|amp);/g, (_entity, name: string) => ({ quot: '"', lt: '<', gt: '>', amp: '&' })[name] ?? '');
}

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

interface ReplyRun {
	item?: unknown;
	message?: string;
	options?: INodeParameters;
	/** The Message to Reply To parameter, when not the incoming item. */
	triggerItem?: string;
}

function parameters(run: ReplyRun): INodeParameters {
	return {
		resource: 'message',
		operation: 'reply',
		message: run.message ?? TEXT,
		options: run.options ?? {},
		...(run.triggerItem === undefined ? {} : { triggerItem: run.triggerItem }),
	};
}

/** Runs Reply on one item; the body of the one request it sent, checked against HighLevel's document. */
async function replyBody(run: ReplyRun): Promise<Record<string, unknown>> {
	await runNode({
		parameters: parameters(run),
		items: [(run.item ?? {}) as IDataObject],
		credentials: pitCredentials(stub.base),
	});
	expect(stub.requests).toHaveLength(1);
	expect(validateRequest(stub.requests[0])).toEqual({ operationId: 'send-a-new-message', errors: [], defects: [] });
	return JSON.parse(stub.requests[0].body) as Record<string, unknown>;
}

/** Runs Reply on one item that must be refused; the error n8n shows. Nothing may be sent. */
async function replyError(run: ReplyRun): Promise<{ message: string; description: string }> {
	let error: { message: string; description: string } | undefined;
	try {
		await runNode({ parameters: parameters(run), items: [(run.item ?? {}) as IDataObject], credentials: pitCredentials(stub.base) });
	} catch (caught) {
		error = caught as { message: string; description: string };
	}
	expect(stub.requests).toHaveLength(0);
	if (error === undefined) throw new Error('the reply was not refused');
	return error;
}

/** The hint the "Message to Reply To" parameter shows in the editor. */
const POINT_AT_TRIGGER = "$('HighLevel Message Trigger').item.json";

describe('reply-mapping: what the item says decides the answer', () => {
	it.each([
		['a JSON array', '[{"contactId":"cI08i1Bls3iTB9bKgFJh","channel":"SMS"}]'],
		['a number', '42'],
		['a string', '"Hello"'],
		['null', 'null'],
	])('Message to Reply To that is %s is refused as not an object, pointing at the trigger', async (_what, json) => {
		const error = await replyError({ item: triggerItem('inbound-sms'), triggerItem: json });
		expect(error.message).toMatch(/not an object/);
		expect(error.description).toContain(POINT_AT_TRIGGER);
	});

	it("a 2026 voicemail without `status` is a voicemail (its messageTypeString says so), not a call", async () => {
		const item = triggerItem('inbound-call-voicemail', { status: null });
		expect(item.channel).toBe('Voicemail');
		const error = await replyError({ item });
		expect(error.message).toMatch(/voicemail/i);
		expect(error.message).not.toMatch(/call/i);
		expect(error.description).toMatch(/Reply Channel to SMS/);
	});

	it('a message whose messageType spelling is unknown is answered on the channel its messageTypeString names', async () => {
		const item = triggerItem('inbound-sms', { messageType: 'WhatsAppBusiness', messageTypeString: 'TYPE_WHATSAPP', messageTypeId: 19 });
		expect(item.channel).toBe('WhatsApp');
		expect(await replyBody({ item })).toEqual({ type: 'WhatsApp', contactId: 'cI08i1Bls3iTB9bKgFJh', message: TEXT });
	});

	it('a message as HighLevel\'s API returns it (no trigger `channel` key) is answered on its channel', async () => {
		// GetMessageResponseDto: numeric `type`, `messageType` from the TYPE_* enum.
		const message = {
			id: 've9EPM428h8vShlRW1KT',
			type: 2,
			messageType: 'TYPE_SMS',
			locationId: 'l1C08ntBrFjLS0elLIYU',
			contactId: 'cI08i1Bls3iTB9bKgFJh',
			conversationId: 'fcanlLgpbQgQhderivVs',
			dateAdded: '2024-03-27T18:13:49.000Z',
			body: 'Hi there',
			direction: 'inbound',
			status: 'delivered',
		};
		expect(await replyBody({ item: message })).toEqual({ type: 'SMS', contactId: 'cI08i1Bls3iTB9bKgFJh', message: TEXT });
	});

	it.each([
		['TIKTOK', /TIKTOK/],
		['RCS', /RCS/],
	])('a %s message (output Other) is refused naming its type, not as an internal comment', async (messageType, named) => {
		const item = triggerItem('inbound-sms', { messageType, messageTypeString: null, messageTypeId: null });
		expect(item.channel).toBe('Other');
		const error = await replyError({ item });
		expect(error.message).toMatch(named);
		expect(error.message).not.toMatch(/internal comment/i);
		expect(error.description).toMatch(/Reply Channel/);
	});

	it('a call through a custom call provider is still a call: refused, not sent through the provider', async () => {
		const item = triggerItem('inbound-call-answered', { messageType: 'Custom', messageTypeString: 'TYPE_CUSTOM_CALL', messageTypeId: null });
		expect(item.channel).toBe('Call');
		const error = await replyError({ item });
		expect(error.message).toMatch(/call/i);
		expect(error.description).toMatch(/Reply Channel to SMS/);
	});

	it('a Google Business message is refused with how to answer it instead', async () => {
		const item = triggerItem('inbound-sms', { messageType: 'GMB', messageTypeString: null, messageTypeId: null });
		expect(item.channel).toBe('Google Business');
		const error = await replyError({ item });
		expect(error.message).toMatch(/Google Business/);
		expect(error.description).toMatch(/Reply Channel/);
	});

	it("Reply Channel 'Same as the Message', as a saved workflow stores it ('same'), answers on the item's channel", async () => {
		expect(await replyBody({ item: triggerItem('inbound-sms'), options: { replyChannel: 'same' } })).toMatchObject({
			type: 'SMS',
			contactId: 'cI08i1Bls3iTB9bKgFJh',
			message: TEXT,
		});
	});

	it.each(['Voicemail', 'Telegram'])('Reply Channel %s is refused by name, listing every type HighLevel sends', async (replyChannel) => {
		const error = await replyError({ item: triggerItem('inbound-sms'), options: { replyChannel } });
		expect(error.message).toContain(`"${replyChannel}"`);
		const types = sendTypes();
		expect(types.length).toBeGreaterThan(0);
		for (const type of types) expect(error.description).toContain(type);
	});

	it('an email answered by SMS is a plain SMS: no subject, thread or email recipient', async () => {
		const item = triggerItem('inbound-email-to-array');
		expect(await replyBody({ item, options: { replyChannel: 'SMS', subject: 'Your order' } })).toEqual({
			type: 'SMS',
			contactId: '3bN9f8LYJFG8F232XMUbfq',
			message: TEXT,
		});
	});

	it('an SMS reply carries no subject, even when one is set in the options', async () => {
		const body = await replyBody({ item: triggerItem('inbound-sms'), options: { subject: 'Your order' } });
		expect(body.type).toBe('SMS');
		expect(body).not.toHaveProperty('subject');
	});

	it('a custom provider reply without a provider id is refused, naming what is missing', async () => {
		const item = triggerItem('inbound-sms', { messageType: 'Custom', messageTypeString: null, messageTypeId: null, conversationProviderId: null });
		const error = await replyError({ item });
		expect(error.message).toMatch(/conversationProviderId|conversation provider/i);
		expect(error.description).toMatch(/Conversation Provider ID/);
	});
});

describe('reply-mapping: SMS numbers are sent only in E.164', () => {
	it.each([
		['both numbers E.164', {}, { toNumber: '+15551234567', fromNumber: '+15559876543' }],
		['the sender as a tel: URI', { from: 'tel:+15551234567' }, { fromNumber: '+15559876543' }],
		['the sender in national format', { from: '5551234567' }, { fromNumber: '+15559876543' }],
		['the sender with a trailing extension', { from: '+15551234567 ext 12' }, { fromNumber: '+15559876543' }],
		['our number in national format', { to: '5559876543' }, { toNumber: '+15551234567' }],
		['no sender', { from: null }, { fromNumber: '+15559876543' }],
		['no number of ours', { to: null }, { toNumber: '+15551234567' }],
	])('%s', async (_case, changes, numbers) => {
		expect(await replyBody({ item: triggerItem('inbound-sms', changes) })).toEqual({
			type: 'SMS',
			contactId: 'cI08i1Bls3iTB9bKgFJh',
			message: TEXT,
			...numbers,
		});
	});
});

describe('reply-mapping: email replies', () => {
	it.each([
		['Order Confirmed', 'Re: Order Confirmed'],
		['  Order Confirmed  ', 'Re: Order Confirmed'],
		['Question re: invoice', 'Re: Question re: invoice'],
		['Score: 3-1', 'Re: Score: 3-1'],
		['Request: refund', 'Re: Request: refund'],
		['Are you open?', 'Re: Are you open?'],
		['Re: Order Confirmed', 'Re: Order Confirmed'],
		['RE:Order Confirmed', 'RE:Order Confirmed'],
		['re : Order Confirmed', 're : Order Confirmed'],
	])('subject %j is answered as %j', async (subject, expected) => {
		const body = await replyBody({ item: triggerItem('inbound-email-to-array', { subject }) });
		expect(body.subject).toBe(expected);
	});

	it.each([
		['without a subject', null],
		['with a blank subject', '   '],
	])('an email %s is answered without one (there is nothing to put after "Re: ")', async (_case, subject) => {
		const body = await replyBody({ item: triggerItem('inbound-email-to-array', { subject }) });
		expect(body).toMatchObject({ type: 'Email', threadId: 'sddfDSF3G56GHG' });
		expect(body).not.toHaveProperty('subject');
	});

	it.each([
		['a name and an address', 'Jane Doe <jane@example.com>', 'jane@example.com'],
		['a bare address', 'jane@example.com', 'jane@example.com'],
		['a name only', 'Jane Doe', undefined],
		['nothing', null, undefined],
	])('a sender with %s: emailTo is only ever an email address', async (_case, from, emailTo) => {
		const body = await replyBody({ item: triggerItem('inbound-email-to-array', { from }) });
		expect(body).toMatchObject({ type: 'Email', subject: 'Re: Order Confirmed' });
		expect(body.emailTo).toBe(emailTo);
	});
});

describe('email-html: the email body HighLevel gets', () => {
	const email = () => triggerItem('inbound-email-to-array');

	it.each([
		['a line break tag', 'Hello<br>there'],
		['a self-closed line break', 'Hello<br/>there'],
		['an opening tag with attributes', '<p class="intro">Welcome back'],
		['an image', '<img src="https://example.com/logo.png" alt="logo">'],
	])('HTML with %s is kept as written', async (_case, html) => {
		expect((await replyBody({ item: email(), message: html })).html).toBe(html);
	});

	it.each([
		['quotes, ampersands and comparisons', 'He said "5 > 3" & left'],
		['a lone angle bracket', 'Price < 10 EUR'],
	])('plain text with %s shows exactly as typed', async (_case, text) => {
		expect(shown(String((await replyBody({ item: email(), message: text })).html))).toBe(text);
	});

	it.each([
		['\\n', 'One\nTwo\n\nThree'],
		['\\r\\n', 'One\r\nTwo\r\n\r\nThree'],
		['\\r', 'One\rTwo\r\rThree'],
	])('line breaks written as %s are kept: a line break and a paragraph', async (_case, text) => {
		expect(shown(String((await replyBody({ item: email(), message: text })).html))).toBe('One\nTwo\n\nThree');
	});
});

describe('lists: Attachment URLs', () => {
	const URLS = ['https://example.com/menu.pdf', 'https://example.com/map.png', 'https://example.com/a.jpg', 'https://example.com/b.gif'];

	it.each([
		['commas', URLS.join(', ')],
		['semicolons and new lines', `${URLS[0]};${URLS[1]}\n${URLS[2]}\n\n${URLS[3]}`],
		['doubled and trailing separators', `${URLS[0]},,${URLS[1]};;${URLS[2]},\n${URLS[3]},`],
	])('typed with %s, every URL is attached once', async (_case, typed) => {
		const body = await replyBody({ item: triggerItem('inbound-sms'), options: { attachmentUrls: typed } });
		expect(body.attachments).toEqual(URLS);
	});

	it('given as an array by an expression, entries that are no text are left out', async () => {
		const body = await replyBody({
			item: triggerItem('inbound-sms'),
			options: { attachmentUrls: `={{ ["${URLS[0]}", null, false, true, "  ${URLS[1]}  "] }}` },
		});
		expect(body.attachments).toEqual([URLS[0], URLS[1]]);
	});
});
