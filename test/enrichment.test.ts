/**
 * Fill In From HighLevel API: the trigger asks HighLevel's API (here a local
 * stand-in over real HTTP) for what the webhook left out, within its time
 * budget, and the message runs whatever the API answers.
 */
import { type ApiStub, startApiStub, WAV } from './helpers/api-stub.cjs';
import { startFileServer, type FileServer } from './helpers/file-server.cjs';
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { toMessage } from '../nodes/HighLevel/normalize';
import { fillInFromApi } from '../nodes/HighLevel/trigger/enrich-api';
import { ALL_EVENTS, callWebhook, type Call, credentialReads, node } from './helpers/harness';
import { itemSpec } from './helpers/item-spec';
import { readExample } from './helpers/io.cjs';

const TOKEN = 'pit-trigger-example';

let api: ApiStub;
let files: FileServer;
beforeAll(async () => {
	[api, files] = await Promise.all([startApiStub(), startFileServer()]);
});
afterAll(async () => await Promise.all([api.close(), files.close()]));
beforeEach(() => api.reset());
afterEach(() => jest.restoreAllMocks());

/** A Private Integration Token of the sub-account the message comes from. */
const credentials = (locationId: string | undefined) => ({ highLevelPrivateIntegrationTokenApi: { token: TOKEN, locationId, baseUrl: api.base } });

/** The examples are old recordings: the age check is off, as in webhook.test.ts. */
function enriched(example: string, enrich: string[] | string, extra: Partial<Call> = {}, options: Record<string, unknown> = {}): Promise<Awaited<ReturnType<typeof callWebhook>>> {
	const body = example.startsWith('{') ? example : readExample(example).raw;
	return callWebhook({
		body,
		parameters: { ...ALL_EVENTS, enrich, options: { maxEventAgeMinutes: 0, ...options } },
		credentials: credentials((JSON.parse(body) as { locationId?: string }).locationId),
		...extra,
	});
}

const whatsapp = 'inbound-whatsapp-media-missing-attachments';
const contactPath = /^\/contacts\//;
const messagePath = /^\/conversations\/messages\/[^/]+$/;
const recordingPath = /\/recording$/;

function expectRan(answer: Awaited<ReturnType<typeof callWebhook>>, channel: string): void {
	// The message always runs, and HighLevel gets its 2xx.
	expect([answer.status, answer.started, answer.body?.channel]).toEqual([200, true, channel]);
	// SPEC section 4, plus the keys enrichment adds (attachmentDownloads has its own tests).
	const item = { ...answer.item };
	delete item.attachmentDownloads;
	expect(itemSpec.safeParse(item).success).toBe(true);
}

describe('off (the default): nothing changes', () => {
	it('no credential is read, no request is made, and the item has no contact or enrichment', async () => {
		const before = credentialReads.count;
		const answer = await callWebhook({ body: readExample('inbound-sms').raw, parameters: { ...ALL_EVENTS, options: { maxEventAgeMinutes: 0 } } });
		expectRan(answer, 'SMS');
		expect(api.requests).toHaveLength(0);
		expect(credentialReads.count).toBe(before);
		expect(answer.item).not.toHaveProperty('contact');
		expect(answer.item).not.toHaveProperty('enrichment');
	});
});

describe('Include Contact', () => {
	it('adds the contact (name, phone, email, tags, time zone) with the credential\'s token and the contacts API version', async () => {
		api.respondTo(contactPath, {
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: { contact: { id: 'cI08i1Bls3iTB9bKgFJh', firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com', phone: '+15551234567', tags: ['lead', 'vip'], timezone: 'America/Chicago' } },
		});
		const answer = await enriched('inbound-sms', ['contact']);
		expectRan(answer, 'SMS');
		expect(answer.item?.contact).toEqual({ id: 'cI08i1Bls3iTB9bKgFJh', name: 'Jane Doe', email: 'jane@example.com', phone: '+15551234567', tags: ['lead', 'vip'], timezone: 'America/Chicago' });
		expect(answer.item?.enrichment).toEqual({ contact: { ok: true, error: null } });
		expect(api.requests).toHaveLength(1);
		expect(api.requests[0]).toMatchObject({ method: 'GET', path: `/contacts/${readExample('inbound-sms').json.contactId as string}` });
		expect(api.requests[0].headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, version: '2021-07-28' });
	});

	it('a workflow webhook carries its contact already: no request', async () => {
		const answer = await enriched('workflow-webhook-customer-replied', ['contact']);
		expectRan(answer, 'SMS');
		expect(api.requests).toHaveLength(0);
		expect(answer.item?.contact).toMatchObject({ name: 'Jane Doe' });
		expect(answer.item?.enrichment).toEqual({});
	});

	it.each([
		['empty', { status: 200, headers: { 'content-type': 'application/json' }, body: {} }, /empty contact/],
		['no body at all', { status: 200, headers: {}, body: '' }, /empty contact/],
		['401', { status: 401, headers: { 'content-type': 'application/json' }, body: { statusCode: 401, message: 'Invalid JWT' } }, /did not accept the credential \(401\)/],
		['404', { status: 404, headers: { 'content-type': 'application/json' }, body: { statusCode: 404, message: 'Contact not found' } }, /Not found in HighLevel \(404\)/],
		['500', { status: 500, headers: { 'content-type': 'application/json' }, body: { message: 'boom' } }, /HighLevel failed to process the request \(500\)/],
	])('%s: no contact, the reason is on the item, and the message runs', async (_name, reply, reason) => {
		api.respondTo(contactPath, reply);
		const answer = await enriched('inbound-sms', ['contact']);
		expectRan(answer, 'SMS');
		expect(answer.item).not.toHaveProperty('contact');
		const report = (answer.item?.enrichment as Record<string, { ok: boolean; error: string }>).contact;
		expect(report.ok).toBe(false);
		expect(report.error).toMatch(reason);
		expect(api.requests).toHaveLength(1);
	});

	it('429: reported, not waited out (HighLevel is waiting for the answer meanwhile)', async () => {
		api.respondTo(contactPath, { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: { message: 'Too many requests' } });
		const answer = await enriched('inbound-sms', ['contact']);
		expectRan(answer, 'SMS');
		expect((answer.item?.enrichment as Record<string, { error: string }>).contact.error).toMatch(/rate limit was reached \(429\)/);
		expect(api.requests).toHaveLength(1);
	});

	it('slow: what does not come back within the API time budget is recorded, and the message runs', async () => {
		api.respondTo(contactPath, { status: 200, headers: { 'content-type': 'application/json' }, body: { contact: { id: 'late', firstName: 'Late' } }, delayMs: 4000 });
		const answer = await enriched('inbound-sms', ['contact'], {}, { apiTimeBudgetSeconds: 1 });
		expectRan(answer, 'SMS');
		expect(answer.item).not.toHaveProperty('contact');
		expect(answer.item?.enrichment).toEqual({ contact: { ok: false, error: 'not done: the 1 s API time budget for this message ran out' } });
	});

	it('a HighLevel that never answers cannot hold the message', async () => {
		api.respondTo(contactPath, { hang: true });
		const answer = await enriched('inbound-sms', ['contact'], {}, { apiTimeBudgetSeconds: 1 });
		expectRan(answer, 'SMS');
		expect((answer.item?.enrichment as Record<string, { error: string }>).contact.error).toMatch(/API time budget/);
	});

	it('an id that is not a HighLevel id is never put in a request path with the token', async () => {
		const sms = readExample('inbound-sms').json;
		for (const contactId of ['..', '../conversations/search', 'https://attacker.example/x', 'a'.repeat(65)]) {
			api.reset();
			const answer = await enriched(JSON.stringify({ ...sms, contactId }), ['contact']);
			expectRan(answer, 'SMS');
			expect(api.requests).toHaveLength(0);
			expect(answer.item?.enrichment).toEqual({ contact: { ok: false, error: "not asked: the message's contactId is not a HighLevel id" } });
		}
	});

	it('a message of another sub-account than the credential\'s is not asked about, and says why', async () => {
		const answer = await enriched('inbound-call-voicemail', ['contact', 'recordings'], { credentials: credentials('other-location') });
		expectRan(answer, 'Voicemail');
		expect(api.requests).toHaveLength(0);
		const reason = `not asked: the message is from sub-account ${readExample('inbound-call-voicemail').json.locationId as string}, the credential is for other-location`;
		expect(answer.item?.enrichment).toEqual({ contact: { ok: false, error: reason }, recordings: { ok: false, error: reason } });
	});

	it('an expression may give the parts as text: "contact, recordings"', async () => {
		const answer = await enriched('inbound-call-voicemail', 'contact, recordings');
		expect(Object.keys(answer.item?.enrichment as object).sort()).toEqual(['contact', 'recordings']);
	});

	it('no credential: every part says so, and the message runs', async () => {
		const answer = await enriched('inbound-call-voicemail', ['contact', 'recordings'], { credentials: {} });
		expectRan(answer, 'Voicemail');
		const report = answer.item?.enrichment as Record<string, { ok: boolean; error: string }>;
		expect(Object.keys(report).sort()).toEqual(['contact', 'recordings']);
		for (const part of Object.values(report)) {
			expect(part.ok).toBe(false);
			expect(part.error).toMatch(/^the HighLevel API credential could not be used: /);
		}
		expect(api.requests).toHaveLength(0);
	});
});

describe('Complete Missing Media', () => {
	const withMedia = (attachments: string[], body = '') => ({
		status: 200,
		headers: { 'content-type': 'application/json' },
		body: { message: { id: 'MESSAGE_ID', messageType: 'TYPE_WHATSAPP', body, attachments, direction: 'inbound' } },
	});
	const empty = withMedia([]);

	it('a WhatsApp message that arrived empty is read again until the API has its attachments', async () => {
		api.respondTo(messagePath, empty, withMedia(['https://media.example.com/photo.jpg'], 'Look at this'));
		const answer = await enriched(whatsapp, ['missingMedia']);
		expectRan(answer, 'WhatsApp');
		expect(answer.item).toMatchObject({ attachments: ['https://media.example.com/photo.jpg'], text: 'Look at this', enrichment: { missingMedia: { ok: true, error: null } } });
		expect(api.requests.map((request) => request.path)).toEqual(['/conversations/messages/MESSAGE_ID', '/conversations/messages/MESSAGE_ID']);
		expect(api.requests[0].headers).toMatchObject({ version: '2021-04-15' });
		// What HighLevel sent stays as it was.
		expect((answer.item?.raw as Record<string, unknown>).attachments).toBeUndefined();
	});

	it('the completed attachments are what Download Attachments then fetches', async () => {
		const photo = `${files.base}/photo.png`;
		api.respondTo(messagePath, withMedia([photo]));
		const answer = await enriched(whatsapp, ['missingMedia'], {}, { downloadAttachments: true, attachmentAllowPrivateNetwork: true });
		expectRan(answer, 'WhatsApp');
		expect(answer.item?.attachments).toEqual([photo]);
		expect(Object.keys(answer.binary ?? {})).toEqual(['attachment_0']);
	});

	it('still nothing after 3 reads: recorded, and the message runs as it came', async () => {
		api.respondTo(messagePath, empty, empty, empty, empty);
		const answer = await enriched(whatsapp, ['missingMedia']);
		expectRan(answer, 'WhatsApp');
		expect(answer.item).toMatchObject({ attachments: [], text: '' });
		expect((answer.item?.enrichment as Record<string, { error: string }>).missingMedia.error).toBe("HighLevel's API had no attachments for this message either (read 3 times)");
		expect(api.requests).toHaveLength(3);
	});

	it('404 at first counts as "not there yet"; a 401 ends it at once', async () => {
		const notFound = { status: 404, headers: { 'content-type': 'application/json' }, body: { message: 'Message not found' } };
		api.respondTo(messagePath, notFound, withMedia(['https://media.example.com/a.ogg']));
		const first = await enriched(whatsapp, ['missingMedia']);
		expect(first.item?.attachments).toEqual(['https://media.example.com/a.ogg']);

		api.reset();
		api.respondTo(messagePath, { status: 401, headers: { 'content-type': 'application/json' }, body: { message: 'Invalid JWT' } });
		const refused = await enriched(whatsapp, ['missingMedia']);
		expectRan(refused, 'WhatsApp');
		expect((refused.item?.enrichment as Record<string, { error: string }>).missingMedia.error).toMatch(/\(401\)/);
		expect(api.requests).toHaveLength(1);
	});

	it.each([
		['429', { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: { message: 'Too many requests' } }, /\(429\)/],
		['500', { status: 500, headers: { 'content-type': 'application/json' }, body: { message: 'boom' } }, /\(500\)/],
	])('%s ends it at once, reported; the message runs as it came', async (_name, reply, reason) => {
		api.respondTo(messagePath, reply);
		const answer = await enriched(whatsapp, ['missingMedia']);
		expectRan(answer, 'WhatsApp');
		expect(answer.item).toMatchObject({ attachments: [], text: '' });
		expect((answer.item?.enrichment as Record<string, { error: string }>).missingMedia.error).toMatch(reason);
		expect(api.requests).toHaveLength(1);
	});

	it('slow: an answer after the budget is not used, even one that comes during the request\'s grace', async () => {
		api.respondTo(messagePath, { ...withMedia(['https://media.example.com/late.jpg']), delayMs: 1200 });
		const answer = await enriched(whatsapp, ['missingMedia'], {}, { apiTimeBudgetSeconds: 1 });
		expectRan(answer, 'WhatsApp');
		expect(answer.item?.attachments).toEqual([]);
		expect(answer.item?.enrichment).toEqual({ missingMedia: { ok: false, error: 'not done: the 1 s API time budget for this message ran out' } });
	});

	it('the retries stop at the budget', async () => {
		api.respondTo(messagePath, empty, empty, empty);
		const answer = await enriched(whatsapp, ['missingMedia'], {}, { apiTimeBudgetSeconds: 1 });
		expectRan(answer, 'WhatsApp');
		// The second read (after 1 s) would not fit in a 1 s budget, so it is not made.
		expect(api.requests).toHaveLength(1);
		expect((answer.item?.enrichment as Record<string, { error: string }>).missingMedia.error).toMatch(/read 1 time\)/);
	});

	it('a message that has text or attachments is not read again', async () => {
		const answer = await enriched('inbound-sms', ['missingMedia']);
		expectRan(answer, 'SMS');
		expect(api.requests).toHaveLength(0);
		expect(answer.item?.enrichment).toEqual({});
	});
});

describe('Download Recordings', () => {
	it('a voicemail\'s audio lands in the binary property "recording" with HighLevel\'s file name and type', async () => {
		const voicemail = readExample('inbound-call-voicemail').json;
		const answer = await enriched('inbound-call-voicemail', ['recordings']);
		expectRan(answer, 'Voicemail');
		expect(api.requests.map((request) => request.path)).toEqual([`/conversations/messages/${voicemail.messageId as string}/locations/${voicemail.locationId as string}/recording`]);
		expect(answer.binary?.recording).toMatchObject({ fileName: 'audio.wav', mimeType: 'audio/x-wav', fileSize: String(WAV.length) });
		expect(Buffer.from(answer.binary?.recording.data as string, 'base64').equals(WAV)).toBe(true);
		expect(answer.item?.enrichment).toEqual({ recordings: { ok: true, error: null } });
	});

	it('a call nobody answered has no recording: no request', async () => {
		const missed = { ...readExample('inbound-call-answered').json, callStatus: 'no-answer', status: 'completed' };
		const answer = await enriched(JSON.stringify(missed), ['recordings']);
		expectRan(answer, 'Call');
		expect(api.requests).toHaveLength(0);
		expect(answer.binary).toBeUndefined();
	});

	it.each([
		['401', { status: 401, headers: { 'content-type': 'application/json' }, body: { message: 'Invalid JWT' } }, /did not accept the credential \(401\)/],
		['429', { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: { message: 'Too many requests' } }, /rate limit was reached \(429\)/],
		['slow', { status: 200, headers: { 'content-type': 'audio/x-wav' }, body: WAV, delayMs: 1500 }, /1 s API time budget for this message ran out/],
		['404', { status: 404, headers: { 'content-type': 'application/json' }, body: { message: 'Recording not found' } }, /no recording for this message/],
		['empty', { status: 200, headers: { 'content-type': 'audio/x-wav' }, body: '' }, /empty recording/],
	])('%s: no binary, the reason is on the item', async (_name, reply, reason) => {
		api.respondTo(recordingPath, reply);
		const answer = await enriched('inbound-call-voicemail', ['recordings'], {}, { apiTimeBudgetSeconds: 1 });
		expectRan(answer, 'Voicemail');
		expect(answer.binary).toBeUndefined();
		expect(api.requests).toHaveLength(1);
		expect((answer.item?.enrichment as Record<string, { error: string }>).recordings.error).toMatch(reason);
	});

	it('the parts run at the same time: a slow contact does not cost the recording', async () => {
		api.respondTo(contactPath, { hang: true });
		const answer = await enriched('inbound-call-voicemail', ['contact', 'recordings'], {}, { apiTimeBudgetSeconds: 1 });
		expectRan(answer, 'Voicemail');
		expect(answer.binary?.recording).toBeDefined();
		expect(answer.item?.enrichment).toEqual({
			contact: { ok: false, error: 'not done: the 1 s API time budget for this message ran out' },
			recordings: { ok: true, error: null },
		});
	});
});

describe('errors name the option the user turned on', () => {
	// A token without the scope the part needs: HighLevel answers 403, and the
	// reason on the item says which option needs it (not an action node operation).
	const forbidden = { status: 403, headers: { 'content-type': 'application/json' }, body: { statusCode: 403, message: 'The token is not authorized for this scope.' } };
	it.each([
		['contact', 'Include Contact needs the scope "contacts.readonly"', contactPath, 'inbound-sms', 'SMS'],
		['missingMedia', 'Complete Missing Media needs the scope "conversations/message.readonly"', messagePath, whatsapp, 'WhatsApp'],
		['recordings', 'Download Recordings needs the scope "conversations/message.readonly"', recordingPath, 'inbound-call-voicemail', 'Voicemail'],
	])('%s: a 403 names the option: %s', async (part, says, path, example, channel) => {
		api.respondTo(path, forbidden);
		const answer = await enriched(example, [part]);
		expectRan(answer, channel);
		const report = (answer.item?.enrichment as Record<string, { ok: boolean; error: string }>)[part];
		expect(report.ok).toBe(false);
		expect(report.error).toBe(`HighLevel refused access (403): ${says} (HighLevel says: The token is not authorized for this scope.)`);
	});
});

describe('storing the recording', () => {
	/** Runs the trigger with n8n's prepareBinaryData replaced, as a full disk or a failing binary store would. */
	function withFailingBinaryStore(message: string): void {
		const webhook = node.webhook;
		jest.spyOn(node, 'webhook').mockImplementation(async function (this: IWebhookFunctions) {
			const helpers = { ...this.helpers, prepareBinaryData: async () => await Promise.reject(new Error(message)) };
			return await webhook.call({ ...this, helpers } as IWebhookFunctions);
		});
	}

	it('n8n cannot store the recording: no binary, the reason is on the item, and the message runs', async () => {
		withFailingBinaryStore('ENOSPC: no space left on device');
		const answer = await enriched('inbound-call-voicemail', ['recordings']);
		expectRan(answer, 'Voicemail');
		expect(api.requests).toHaveLength(1);
		expect(answer.binary).toBeUndefined();
		expect(answer.item?.enrichment).toEqual({ recordings: { ok: false, error: 'could not store the recording: ENOSPC: no space left on device' } });
	});

	it('the recording is added beside binary data the item already has', async () => {
		// The trigger fills in before it downloads attachments, so its own item has
		// no binary yet; fillInFromApi must still not drop one. It runs here with
		// n8n's context of a trigger run (the harness's credentials and helpers).
		const normalized = toMessage(readExample('inbound-call-voicemail').json);
		if (!normalized.ok) throw new Error('the voicemail example is not a message');
		const photo = { data: 'AAAA', mimeType: 'image/png', fileName: 'photo.png' };
		const item: INodeExecutionData = { json: normalized.item as unknown as IDataObject, binary: { attachment_0: photo } };
		const webhook = node.webhook;
		jest.spyOn(node, 'webhook').mockImplementation(async function (this: IWebhookFunctions) {
			await fillInFromApi(this, item, { parts: new Set(['recordings']), budgetMs: 5000 }, 'privateIntegrationToken');
			return await webhook.call(this);
		});
		expectRan(await enriched('inbound-call-voicemail', []), 'Voicemail');
		expect(api.requests.map((request) => request.path)).toEqual([expect.stringMatching(recordingPath)]);
		expect(Object.keys(item.binary ?? {}).sort()).toEqual(['attachment_0', 'recording']);
		expect(item.binary?.attachment_0).toBe(photo);
		expect(item.binary?.recording).toMatchObject({ fileName: 'audio.wav', mimeType: 'audio/x-wav' });
		expect(item.json.enrichment).toEqual({ recordings: { ok: true, error: null } });
	});
});
