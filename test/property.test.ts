/**
 * Thousands of random requests at webhook(): every answer is 200, 400 or 401,
 * nothing throws, and every emitted item satisfies SPEC section 4.
 */
import fc from 'fast-check';

import { callWebhook, makeTestKeys, signEd25519, testKeyCredential, type TestKeys } from './helpers/harness';
import { itemSpec } from './helpers/item-spec';
import { readExamples } from './helpers/io.cjs';
import { withinDeadline } from './helpers/deadline.cjs';
import { htmlToText } from '../nodes/HighLevel/html-to-text';
import { splitAddress } from '../nodes/HighLevel/normalize';
import { classifyHost, formatIPv4 } from '../nodes/HighLevel/trigger/address-guard';
import { downloadAll, type HttpRequester } from '../nodes/HighLevel/trigger/attachments';

let keys: TestKeys;
beforeAll(() => {
	keys = makeTestKeys();
});

// Random dates would often be refused as too old: the age check has its own tests.
const NONE = { authentication: 'none', events: ['InboundMessage', 'OutboundMessage'], options: { ignoreDuplicates: false, maxEventAgeMinutes: 0 } };

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
		const raw = JSON.stringify({ type: 'InboundMessage', appId: 'my-app', messageType: 'SMS', body: 'hi' });
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
						parameters: { authentication: 'highLevelSignature', appIds: 'my-app', options: { ignoreDuplicates: false } },
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

describe('attachments: nothing that is not public is ever contacted or kept', () => {
	/** Hosts in many spellings: public and private IPv4 and IPv6, names, local names. */
	const v4 = fc.oneof(
		fc.constantFrom('127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.1', '169.254.169.254', '100.64.0.9', '0.0.0.0', '224.0.0.1', '8.8.8.8', '93.184.216.34'),
		fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(formatIPv4),
	);
	const address = fc.oneof(v4, v4.map((ip) => `::ffff:${ip}`), fc.constantFrom('::1', 'fd00::1', 'fe80::1', '2606:4700::1111', '64:ff9b::a00:1', '2002:7f00:1::1'));
	const host = fc.oneof(
		v4,
		v4.map((ip) => String(ip.split('.').reduce((sum, byte) => sum * 256 + Number(byte), 0))),
		address.filter((ip) => ip.includes(':')).map((ip) => `[${ip}]`),
		fc.constantFrom('files.example.com', 'cdn.example.org', 'localhost', 'LOCALHOST.', 'metadata.google.internal', 'intranet', 'nas.local'),
	);
	const url = fc.tuple(fc.constantFrom('http', 'https', 'ftp'), host, fc.constantFrom('', ':8080')).map(([scheme, name, port]) => `${scheme}://${name}${port}/f`);
	const answer = fc.record({ redirectTo: fc.option(url, { nil: undefined }), peer: fc.option(address, { nil: undefined }) });

	it('whatever the URLs, DNS answers, redirects and peer addresses', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(url, { minLength: 1, maxLength: 4 }),
				fc.array(answer, { minLength: 1, maxLength: 12 }),
				fc.dictionary(fc.constantFrom('files.example.com', 'cdn.example.org'), fc.array(address, { minLength: 1, maxLength: 3 })),
				fc.boolean(),
				async (urls, answers, dns, withResolver) => {
					const contacted: string[] = [];
					let turn = 0;
					const request: HttpRequester = async (options) => {
						contacted.push(options.url);
						const { redirectTo, peer } = answers[turn++ % answers.length];
						const body = Object.assign((async function* () { yield Buffer.from('file'); })(), { destroy: () => undefined, socket: peer === undefined ? undefined : { remoteAddress: peer } });
						return redirectTo === undefined
							? { statusCode: 200, headers: { 'content-type': 'image/png' }, body }
							: { statusCode: 302, headers: { location: redirectTo }, body };
					};
					const resolve = withResolver ? async (name: string) => dns[name] ?? ['93.184.216.34'] : undefined;
					const { downloads, binary } = await downloadAll(urls, request, async (data) => data, { maxBytes: 1024, timeoutMs: 1000, budgetMs: 2000 }, resolve);

					expect(downloads).toHaveLength(urls.length);
					for (const target of contacted) {
						const seen = classifyHost(new URL(target).hostname);
						// With a resolver every request goes to a checked IP; without one, only to names and public IPs.
						if (withResolver) expect(seen.literal).not.toBeNull();
						expect([target, seen.kind]).toEqual([target, 'public']);
					}
					downloads.forEach((entry, index) => {
						expect(entry.error === null).toBe(binary[`attachment_${index}`] !== undefined);
					});
				},
			),
			{ numRuns: 1500 },
		);
	});
});

describe('senders and HTML of any shape complete and give text', () => {
	const soup = fc
		.array(fc.constantFrom('<', '>', '"', ' ', '\n', 'a', '1', '<p>', '<br>', '<!--', '-->', '&amp;', '&', '<script>', '</script>', '<!'), { maxLength: 400 })
		.chain((pieces) => fc.integer({ min: 1, max: 500 }).map((times) => pieces.join('').repeat(times)));

	it('splitAddress and htmlToText on repeated random fragments up to 200,000 pieces', () => {
		fc.assert(
			fc.property(soup, (text) => {
				const { name, address } = withinDeadline(() => splitAddress(text), 5000);
				expect(name === null || typeof name === 'string').toBe(true);
				expect(address === null || typeof address === 'string').toBe(true);
				expect(typeof withinDeadline(() => htmlToText(text), 5000)).toBe('string');
			}),
			{ numRuns: 200 },
		);
	});
});
