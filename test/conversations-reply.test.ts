/**
 * Reply: real HighLevel Message Trigger items (shared/highlevel/examples, run
 * through the trigger's own normaliser) -> the send that answers each on its
 * channel, or the reason HighLevel cannot.
 */
import type { IDataObject } from 'n8n-workflow';

import { CHANNELS, type Channel } from '../nodes/HighLevel/channel';
import { planReply, type ReplyPlan } from '../nodes/HighLevel/conversations/reply-mapping';
import { type MessageItem, toMessage } from '../nodes/HighLevel/normalize';
import { type ApiStub, startApiStub } from './helpers/api-stub.cjs';
import { pitCredentials, runNode } from './helpers/execute-harness';
import { readExample, readExamples } from './helpers/io.cjs';
import { validateRequest } from './helpers/openapi';

/** Channels of the trigger items these tests answered or refused. */
const seenChannels = new Set<Channel>();

function triggerItem(body: Record<string, unknown>): MessageItem {
	const result = toMessage(body);
	if (!result.ok) throw new Error('not a message');
	seenChannels.add(result.item.channel);
	return result.item;
}

/** The example as another channel would deliver it: only `messageType` says which. */
function asChannel(messageType: string, base = 'inbound-sms'): MessageItem {
	const body: Record<string, unknown> = { ...readExample(base).json, messageType };
	delete body.messageTypeString;
	delete body.messageTypeId;
	return triggerItem(body);
}

const sent = (plan: ReplyPlan) => {
	if (!plan.ok) throw new Error(`refused: ${plan.reason}`);
	return plan.body;
};

const TEXT = 'Thanks, we will call you back today.';

/** What each example with a message must become. */
const EXPECTED: Record<string, { type: string } | { refused: RegExp }> = {
	'inbound-call-answered': { refused: /cannot answer a call/ },
	'inbound-call-voicemail': { refused: /cannot answer a voicemail/ },
	'inbound-email-to-array': { type: 'Email' },
	'inbound-email-to-string-cclist': { type: 'Email' },
	'inbound-sms': { type: 'SMS' },
	'inbound-whatsapp-media-missing-attachments': { type: 'WhatsApp' },
	'outbound-internal-comment': { refused: /internal comment/ },
	'outbound-ringless-voicemail': { refused: /cannot answer a voicemail/ },
	'outbound-sms-failed-real-envelope': { type: 'SMS' },
	'provider-outbound-1': { type: 'SMS' },
	'provider-outbound-2': { type: 'Email' },
	'workflow-webhook-customer-replied': { type: 'SMS' },
	'workflow-webhook-tag-trigger': { refused: /type "unknown".*no channel/ },
};

describe('every trigger example gets a reply on its channel, or a clear refusal', () => {
	const messages = readExamples().filter((example) => toMessage(example.json).ok);

	it('lists every example that is a message', () => {
		expect(messages.map((example) => example.name).sort()).toEqual(Object.keys(EXPECTED).sort());
	});

	it.each(messages.map((example) => [example.name, example.json] as const))('%s', (name, body) => {
		const item = triggerItem(body);
		const plan = planReply(item, { text: TEXT });
		const expected = EXPECTED[name];
		if ('refused' in expected) {
			expect(plan.ok).toBe(false);
			if (plan.ok) return;
			expect(plan.reason).toMatch(expected.refused);
			expect(plan.hint).toMatch(/Reply Channel/);
			return;
		}
		const body2 = sent(plan);
		expect(body2.type).toBe(expected.type);
		expect(body2.contactId).toBe(item.contactId);
		if (body2.type === 'Email') expect(body2.html).toBe(`<p>${TEXT}</p>`);
		else expect(body2.message).toBe(TEXT);
	});
});

describe('channels without an example of their own', () => {
	it.each([
		['FB', 'Facebook', 'FB'],
		['Facebook', 'Facebook', 'FB'],
		['IG', 'Instagram', 'IG'],
		['TYPE_INSTAGRAM', 'Instagram', 'IG'],
		['Live_Chat', 'Live Chat', 'Live_Chat'],
		['TYPE_WEBCHAT', 'Live Chat', 'Live_Chat'],
		['WhatsApp', 'WhatsApp', 'WhatsApp'],
	])('messageType %s (%s) is answered as %s, with no phone numbers', (messageType, channel, type) => {
		const item = asChannel(messageType);
		expect(item.channel).toBe(channel);
		expect(sent(planReply(item, { text: TEXT }))).toEqual({ type, contactId: item.contactId, message: TEXT });
	});

	it('Google Business is refused: HighLevel has no send type for it', () => {
		const plan = planReply(asChannel('GMB'), { text: TEXT });
		expect(plan).toMatchObject({ ok: false, channel: 'Google Business' });
		if (!plan.ok) expect(plan.reason).toMatch(/no Google Business channel/);
	});

	it('a custom conversation provider message is answered through the same provider', () => {
		const item = asChannel('Custom');
		expect(item.channel).toBe('Other');
		expect(sent(planReply(item, { text: TEXT }))).toEqual({
			type: 'Custom',
			contactId: 'cI08i1Bls3iTB9bKgFJh',
			message: TEXT,
			conversationProviderId: 'cI08i1Bls3iTB9bKgF01',
		});
	});

	it('a custom provider message without a provider id is refused, naming the option', () => {
		const body: Record<string, unknown> = { ...readExample('inbound-sms').json, messageType: 'Custom' };
		delete body.messageTypeString;
		delete body.messageTypeId;
		delete body.conversationProviderId;
		const plan = planReply(triggerItem(body), { text: TEXT });
		expect(plan).toMatchObject({ ok: false, hint: 'Set Options > Conversation Provider ID.' });
		expect(sent(planReply(triggerItem(body), { text: TEXT, conversationProviderId: 'prov-1' })).conversationProviderId).toBe('prov-1');
	});

});

describe('SMS replies go back between the same two numbers', () => {
	it('inbound: to the number that wrote, from the number it wrote to', () => {
		const body = sent(planReply(triggerItem(readExample('inbound-sms').json), { text: TEXT }));
		expect(body).toEqual({
			type: 'SMS',
			contactId: 'cI08i1Bls3iTB9bKgFJh',
			message: TEXT,
			toNumber: '+15551234567',
			fromNumber: '+15559876543',
		});
	});

	it('outbound: the sides swap, and a number that is not E.164 is left to HighLevel', () => {
		const body = sent(planReply(triggerItem(readExample('outbound-sms-failed-real-envelope').json), { text: TEXT }));
		expect(body).toEqual({ type: 'SMS', contactId: 'M96zrsDWGhHNvlX7XagM', message: TEXT });
		const provider = sent(planReply(triggerItem(readExample('provider-outbound-1').json), { text: TEXT }));
		expect(provider).toMatchObject({ toNumber: '+15864603685' });
		expect(provider.fromNumber).toBeUndefined();
	});
});

describe('email replies thread with the original', () => {
	it('inbound email: Re: subject, thread, the email replied to, reply mode, back to the sender', () => {
		const body = sent(planReply(triggerItem(readExample('inbound-email-to-string-cclist').json), { text: 'Line one\nLine two\n\nNew paragraph' }));
		expect(body).toEqual({
			type: 'Email',
			contactId: '3bN9f8LYJFG8F232XMUbfq',
			html: '<p>Line one<br>Line two</p><p>New paragraph</p>',
			subject: 'Re: Order Confirmed',
			threadId: 'sddfDSF3G56GHG',
			replyMessageId: 'sddfDSF3G56GHG',
			emailReplyMode: 'reply',
			emailTo: 'sample@example.com',
		});
	});

	it('reply all, an own subject, HTML kept as written', () => {
		const body = sent(
			planReply(triggerItem(readExample('inbound-email-to-array').json), {
				text: '<p>Hello <b>there</b></p>',
				emailReplyMode: 'reply_all',
				subject: 'Your order',
			}),
		);
		expect(body).toMatchObject({ html: '<p>Hello <b>there</b></p>', subject: 'Your order', emailReplyMode: 'reply_all', emailTo: 'sample@email.service' });
	});

	it('a subject that already starts with Re: is not prefixed twice', () => {
		const item = triggerItem({ ...readExample('inbound-email-to-array').json, subject: 'RE: Order Confirmed' });
		expect(sent(planReply(item, { text: TEXT })).subject).toBe('RE: Order Confirmed');
	});

	it('an outbound email (custom provider delivery) is answered to its recipient', () => {
		const body = sent(planReply(triggerItem(readExample('provider-outbound-2').json), { text: TEXT }));
		expect(body).toMatchObject({
			type: 'Email',
			subject: 'Re: Subject from Conversation Page',
			replyMessageId: 'GK56r6wdJDrkUPd0xsmx',
			emailTo: 'abc@gmail.com',
		});
	});
});

describe('Reply Channel: answering where HighLevel cannot answer in place', () => {
	it('a missed call is texted back from the number that was called', () => {
		const body = sent(planReply(triggerItem(readExample('inbound-call-answered').json), { text: TEXT, replyChannel: 'SMS' }));
		expect(body).toEqual({
			type: 'SMS',
			contactId: 'gblakL5aYQC4glDtP1r2t3',
			message: TEXT,
			toNumber: '+15551234567',
			fromNumber: '+15559876543',
		});
	});

	it('a voicemail can be answered by email, with the subject from the options', () => {
		const body = sent(
			planReply(triggerItem(readExample('inbound-call-voicemail').json), { text: TEXT, replyChannel: 'Email', subject: 'Your voicemail' }),
		);
		expect(body).toEqual({ type: 'Email', contactId: 'gb7laj5aYQC4glDtP1r5', html: `<p>${TEXT}</p>`, subject: 'Your voicemail' });
	});

	it('the channel may be written the way people (and AI agents) write it', () => {
		const item = asChannel('GMB');
		expect(sent(planReply(item, { text: TEXT, replyChannel: 'sms' })).type).toBe('SMS');
		expect(sent(planReply(item, { text: TEXT, replyChannel: 'Facebook' })).type).toBe('FB');
	});

	it('a channel HighLevel cannot send on is refused by name', () => {
		const plan = planReply(asChannel('GMB'), { text: TEXT, replyChannel: 'Voicemail' });
		expect(plan).toMatchObject({ ok: false, reason: 'Reply Channel "Voicemail" is not a channel HighLevel can send on' });
	});
});

describe('input that is not a trigger item', () => {
	it('an AI Agent output says how to point at the trigger item', () => {
		const plan = planReply({ output: 'Hello!' }, { text: TEXT });
		expect(plan).toMatchObject({ ok: false, reason: 'The message to reply to has no contactId' });
		if (!plan.ok) expect(plan.hint).toContain("$('HighLevel Message Trigger').item.json");
	});

	it('a raw webhook body (from n8n\'s Webhook node) is read by the trigger\'s normaliser', () => {
		const sms = sent(planReply(readExample('inbound-sms').json, { text: TEXT }));
		expect(sms).toEqual(sent(planReply(triggerItem(readExample('inbound-sms').json), { text: TEXT })));
		const email = sent(planReply(readExample('inbound-email-to-array').json, { text: TEXT }));
		expect(email).toMatchObject({ type: 'Email', subject: 'Re: Order Confirmed', threadId: 'sddfDSF3G56GHG', emailTo: 'sample@email.service' });
	});
});

describe('Reply through the node, over HTTP', () => {
	let stub: ApiStub;
	beforeAll(async () => {
		stub = await startApiStub();
	});
	beforeEach(() => stub.reset());
	afterAll(async () => await stub.close());

	it.each(['inbound-sms', 'inbound-email-to-string-cclist', 'inbound-whatsapp-media-missing-attachments', 'provider-outbound-2'])(
		'%s: one request that HighLevel\'s document accepts',
		async (name) => {
			const item = triggerItem(readExample(name).json);
			const { output } = await runNode({
				parameters: { resource: 'message', operation: 'reply', message: TEXT },
				items: [item as unknown as IDataObject],
				credentials: pitCredentials(stub.base),
			});
			expect(stub.requests).toHaveLength(1);
			const verdict = validateRequest(stub.requests[0]);
			expect(verdict).toEqual({ operationId: 'send-a-new-message', errors: [], defects: [] });
			expect(JSON.parse(stub.requests[0].body)).toEqual(sent(planReply(item, { text: TEXT })));
			expect(output).toEqual([
				{
					json: expect.objectContaining({ conversationId: 'conv-stub-1', messageId: 'msg-stub-1', contactId: item.contactId }),
					pairedItem: { item: 0 },
				},
			]);
		},
	);

	it('after an AI Agent: the trigger item and the text come from expressions', async () => {
		const item = triggerItem(readExample('inbound-sms').json);
		await runNode({
			parameters: {
				resource: 'message',
				operation: 'reply',
				triggerItem: '={{ $json.original }}',
				message: '={{ $json.output }}',
			},
			items: [{ output: 'Friday at 10 works.', original: item as unknown as IDataObject }],
			credentials: pitCredentials(stub.base),
		});
		expect(JSON.parse(stub.requests[0].body)).toMatchObject({ type: 'SMS', contactId: item.contactId, message: 'Friday at 10 works.' });
	});

	it('the item may also be given as JSON text', async () => {
		const item = triggerItem(readExample('inbound-sms').json);
		await runNode({
			parameters: { resource: 'message', operation: 'reply', triggerItem: JSON.stringify(item), message: TEXT },
			credentials: pitCredentials(stub.base),
		});
		expect(JSON.parse(stub.requests[0].body)).toMatchObject({ type: 'SMS', contactId: item.contactId });
	});

	it('a refused channel stops the node with what to do instead, and sends nothing', async () => {
		const item = triggerItem(readExample('inbound-call-answered').json);
		const run = runNode({
			parameters: { resource: 'message', operation: 'reply', message: TEXT },
			items: [item as unknown as IDataObject],
			credentials: pitCredentials(stub.base),
		});
		await expect(run).rejects.toMatchObject({
			message: 'HighLevel cannot answer a call with a message on the call itself',
			description: expect.stringContaining('set Options > Reply Channel to SMS'),
			context: expect.objectContaining({ itemIndex: 0 }),
		});
		expect(stub.requests).toHaveLength(0);
	});

	it('with Continue On Fail, refused items carry the reason and the others are answered', async () => {
		const call = triggerItem(readExample('inbound-call-answered').json);
		const sms = triggerItem(readExample('inbound-sms').json);
		const { output } = await runNode({
			parameters: { resource: 'message', operation: 'reply', message: TEXT },
			items: [call, sms].map((item) => item as unknown as IDataObject),
			credentials: pitCredentials(stub.base),
			continueOnFail: true,
		});
		expect(output).toEqual([
			{
				json: {
					error: 'HighLevel cannot answer a call with a message on the call itself',
					description: expect.stringContaining('Reply Channel'),
				},
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ messageId: 'msg-stub-1' }), pairedItem: { item: 1 } },
		]);
		expect(stub.requests).toHaveLength(1);
	});

	it('an empty reply is stopped before anything is sent', async () => {
		const item = triggerItem(readExample('inbound-sms').json);
		await expect(
			runNode({
				parameters: { resource: 'message', operation: 'reply', message: '  ' },
				items: [item as unknown as IDataObject],
				credentials: pitCredentials(stub.base),
			}),
		).rejects.toMatchObject({ message: 'The reply is empty' });
		expect(stub.requests).toHaveLength(0);
	});
});

describe('coverage', () => {
	it('the tests above answered or refused a trigger item of every channel', () => {
		expect([...seenChannels].sort()).toEqual([...CHANNELS].sort());
	});
});
