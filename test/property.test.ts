/**
 * Thousands of random requests at webhook(): every answer is 200, 400 or 401,
 * nothing throws, and every emitted item satisfies SPEC section 4.
 */
import fc from 'fast-check';

import { callWebhook, makeTestKeys, signEd25519, testKeyCredential, type TestKeys } from './helpers/harness';
import { itemSpec } from './helpers/item-spec';
import { readExamples } from './helpers/io.cjs';

let keys: TestKeys;
beforeAll(() => {
	keys = makeTestKeys();
});

const NONE = { authentication: 'none', events: ['InboundMessage', 'OutboundMessage'], options: { ignoreDuplicates: false } };

/** A value of any JSON type, biased towards the shapes HighLevel fields take. */
const fieldValue = fc.oneof(
	fc.string(),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.object())),
	fc.object(),
	fc.constantFrom('SMS', 'CALL', 'Email', 'VoiceMail', 'TYPE_VOICEMAIL', 'voicemail', 'GMB', '120', '', 'N/A', '<p>x</p>'),
);

const FIELDS = [
	'locationId', 'contactId', 'conversationId', 'messageId', 'userId', 'conversationProviderId', 'dateAdded',
	'direction', 'status', 'messageType', 'messageTypeString', 'messageTypeId', 'body', 'plainText',
	'contentType', 'attachments', 'from', 'to', 'callDuration', 'callStatus', 'subject', 'cc', 'ccList', 'bcc',
	'bccList', 'threadId', 'emailMessageId', 'provider', 'webhookId', 'timestamp', 'chatWidgetId', 'phone',
	'message', 'emailTo', 'emailFrom', 'html',
];

const highLevelish = fc
	.record({
		type: fc.constantFrom('InboundMessage', 'OutboundMessage', 'SMS', 'Email', 'ContactCreate', 'WhatsApp'),
		fields: fc.dictionary(fc.constantFrom(...FIELDS), fieldValue),
	})
	.map(({ type, fields }) => ({ ...fields, type }));

/** Workflow-webhook-shaped bodies: contact fields, location, message, customData of any types. */
const workflowish = fc.record(
	{
		workflow: fc.oneof(fc.record({ id: fc.string() }), fieldValue),
		location: fc.oneof(fc.record({ id: fieldValue }), fc.object()),
		contact_id: fieldValue,
		full_name: fieldValue,
		first_name: fieldValue,
		email: fieldValue,
		phone: fieldValue,
		tags: fieldValue,
		message: fc.oneof(fc.record({ type: fieldValue, body: fieldValue, direction: fieldValue, status: fieldValue }, { requiredKeys: [] }), fieldValue),
		customData: fc.oneof(fc.dictionary(fc.constantFrom(...FIELDS), fieldValue), fieldValue),
	},
	{ requiredKeys: ['location'] },
);

function checkAnswer(answer: Awaited<ReturnType<typeof callWebhook>>) {
	expect([200, 400, 401]).toContain(answer.status);
	expect(answer.body).toBeDefined();
	if (answer.started) {
		expect(answer.status).toBe(200);
		expect(answer.outputs.flat()).toHaveLength(1);
		const parsed = itemSpec.safeParse(answer.item);
		if (!parsed.success) throw new Error(`item breaks SPEC 4: ${parsed.error.message}\n${JSON.stringify(answer.item)}`);
	}
}

describe('random input never breaks the node', () => {
	it('HighLevel-shaped bodies with fields of every type', async () => {
		await fc.assert(
			fc.asyncProperty(highLevelish, async (body) => {
				const answer = await callWebhook({ body, parameters: NONE });
				checkAnswer(answer);
				if (body.type === 'InboundMessage' || body.type === 'OutboundMessage') expect(answer.started).toBe(true);
			}),
			{ numRuns: 2000 },
		);
	});

	it('workflow-webhook-shaped bodies', async () => {
		await fc.assert(
			fc.asyncProperty(workflowish, async (body) => {
				const answer = await callWebhook({ body, parameters: NONE });
				checkAnswer(answer);
			}),
			{ numRuns: 1500 },
		);
	});

	it('mutated HighLevel examples (fields deleted or replaced)', async () => {
		const examples = readExamples().map((example) => example.json);
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...examples),
				fc.array(fc.tuple(fc.constantFrom(...FIELDS, 'type'), fc.option(fieldValue)), { maxLength: 6 }),
				async (example, changes) => {
					const body: Record<string, unknown> = { ...example };
					for (const [field, value] of changes) {
						if (value === null) delete body[field];
						else body[field] = value;
					}
					checkAnswer(await callWebhook({ body, parameters: NONE }));
				},
			),
			{ numRuns: 1500 },
		);
	});

	it('any JSON value as the body', async () => {
		await fc.assert(
			fc.asyncProperty(fc.jsonValue(), async (value) => {
				const answer = await callWebhook({ body: JSON.stringify(value) ?? '', parameters: NONE });
				checkAnswer(answer);
				const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
				if (!isObject) expect(answer.status).toBe(400);
			}),
			{ numRuns: 1500 },
		);
	});

	it('random bytes with random content types', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uint8Array({ maxLength: 512 }),
				fc.option(fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'application/json; charset=latin1', 'x/y+json', '')),
				async (bytes, contentType) => {
					checkAnswer(await callWebhook({ body: Buffer.from(bytes), contentType, parameters: NONE }));
				},
			),
			{ numRuns: 1500 },
		);
	});

	it('random headers on signed and unsigned requests: only a valid signature gets in', async () => {
		const raw = JSON.stringify({ type: 'InboundMessage', messageType: 'SMS', body: 'hi' });
		const valid = () => signEd25519(keys, raw);
		await fc.assert(
			fc.asyncProperty(
				fc.dictionary(fc.constantFrom('x-ghl-signature', 'x-wh-signature', 'x-other', 'content-length'), fc.oneof(fc.string(), fc.base64String(), fc.constant('N/A'))),
				fc.boolean(),
				async (headers, addValid) => {
					const sent = addValid ? { ...headers, 'x-ghl-signature': valid() } : headers;
					const answer = await callWebhook({
						body: raw,
						headers: sent,
						parameters: { authentication: 'highLevelSignature', options: { ignoreDuplicates: false } },
						credentials: testKeyCredential(keys),
					});
					checkAnswer(answer);
					expect(answer.started).toBe(addValid);
					expect(answer.status).toBe(addValid ? 200 : 401);
				},
			),
			{ numRuns: 500 },
		);
	});
});
