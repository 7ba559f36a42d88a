/**
 * Fill In From HighLevel API, the pure part (nodes/HighLevel/trigger/enrich.ts):
 * what the user turned on, which parts apply to a message, and what each part
 * makes of HighLevel's answers within the time budget. HighLevel's API is a
 * scripted fake here; test/enrichment.test.ts runs the same through the node
 * and real HTTP.
 */
import type { RecordingFile } from '../nodes/HighLevel/api/recording';
import { type MessageItem, toMessage } from '../nodes/HighLevel/normalize';
import {
	applicableParts,
	applyEnrichment,
	contactDetails,
	enrich,
	enrichSettingsFrom,
	type EnrichmentApi,
	type EnrichPart,
	type EnrichSettings,
} from '../nodes/HighLevel/trigger/enrich';
import { readExample } from './helpers/io.cjs';

/** A message item as the trigger builds it: an example body, some keys changed (undefined removes one). */
function itemFrom(example: string, changes: Record<string, unknown> = {}): MessageItem {
	const body: Record<string, unknown> = { ...readExample(example).json };
	for (const [key, value] of Object.entries(changes)) {
		if (value === undefined) delete body[key];
		else body[key] = value;
	}
	const result = toMessage(body as Parameters<typeof toMessage>[0], false);
	if (!result.ok) throw new Error(`${example} with ${JSON.stringify(changes)} is not a message`);
	return result.item;
}

/** Arrived with neither text nor attachments: the case Complete Missing Media is for. */
const whatsapp = (changes: Record<string, unknown> = {}) => itemFrom('inbound-whatsapp-media-missing-attachments', changes);
const voicemail = (changes: Record<string, unknown> = {}) => itemFrom('inbound-call-voicemail', changes);
const answeredCall = (changes: Record<string, unknown> = {}) => itemFrom('inbound-call-answered', changes);
const sms = (changes: Record<string, unknown> = {}) => itemFrom('inbound-sms', changes);

const settings = (parts: EnrichPart[], budgetMs = 300): EnrichSettings => ({ parts: new Set(parts), budgetMs });
const outOfTime = (budgetMs: number) => `not done: the ${Math.round(budgetMs / 100) / 10} s API time budget for this message ran out`;

type Kind = 'contact' | 'message' | 'recording';
/** One scripted answer: a value, a rejection, or nothing ever. */
type Step = { answer: unknown } | { error: unknown } | 'hang';
interface ApiCall {
	kind: Kind;
	ids: string[];
	timeoutMs: number;
	at: number;
}

/** How HighLevel's API helper rejects a 404 (n8n's NodeApiError carries the status as text). */
const notFound = (message = 'Not found in HighLevel (404): HighLevel knows no message with this Message ID'): Step => ({
	error: Object.assign(new Error(message), { httpCode: '404' }),
});
const serverError: Step = { error: Object.assign(new Error('HighLevel failed to process the request (500)'), { httpCode: '500' }) };
const message = (attachments: string[], body = ''): Step => ({
	answer: { message: { id: 'MESSAGE_ID', messageType: 'TYPE_WHATSAPP', body, attachments, direction: 'inbound' } },
});
const RECORDING: RecordingFile = { data: Buffer.from('RIFF....WAVE'), fileName: 'audio.wav', mimeType: 'audio/x-wav' };

/** HighLevel's API answering from a script, one step per call of each kind; every call is recorded. */
function fakeApi(script: Partial<Record<Kind, Step[]>>, locationId: string | null = null) {
	const calls: ApiCall[] = [];
	const connects = { count: 0 };
	const next = async (kind: Kind, ids: string[], timeoutMs: number): Promise<unknown> => {
		calls.push({ kind, ids, timeoutMs, at: Date.now() });
		const step = script[kind]?.shift() ?? { error: new Error(`the test did not expect a ${kind} request`) };
		if (step === 'hang') return await new Promise<never>(() => undefined);
		if ('error' in step) throw step.error;
		return step.answer;
	};
	const api: EnrichmentApi = {
		locationId,
		getContact: async (contactId, timeoutMs) => await next('contact', [contactId], timeoutMs),
		getMessage: async (messageId, timeoutMs) => await next('message', [messageId], timeoutMs),
		getRecording: async (messageId, location, timeoutMs) => (await next('recording', [messageId, location], timeoutMs)) as RecordingFile,
	};
	const connect = async () => {
		connects.count++;
		return api;
	};
	return { calls, connects, connect };
}

describe('enrichSettingsFrom: what the user turned on', () => {
	it.each<[string, unknown]>([
		['the parameter not set', undefined],
		['null from an expression', null],
		['a number from an expression', 3],
		['an object from an expression', { contact: true }],
		['an empty list', []],
		['empty text', ''],
		['only names of no part', ['bogus', 'Contact']],
		['text naming no part', 'everything'],
	])('%s: nothing is asked, so no credential is read', (_name, enrich) => {
		expect(enrichSettingsFrom(enrich, {})).toBeUndefined();
	});

	it.each<[string, unknown, EnrichPart[]]>([
		['a list', ['recordings', 'contact'], ['contact', 'recordings']],
		['text with a comma and a space', 'contact, recordings', ['contact', 'recordings']],
		['text with only commas', 'contact,missingMedia', ['contact', 'missingMedia']],
		['text with runs of spaces, commas and newlines', '  missingMedia ,,\n recordings ', ['missingMedia', 'recordings']],
	])('the parts as %s', (_name, enrich, parts) => {
		expect([...(enrichSettingsFrom(enrich, {})?.parts ?? [])].sort()).toEqual(parts);
	});

	it.each<[string, unknown, number]>([
		['not set: 5 s', undefined, 5000],
		['a number', 7, 7000],
		['a fraction', 2.5, 2500],
		['a number as text (an expression)', '7', 7000],
		['text with spaces around the number', ' 12 ', 12000],
		['0: the 1 s floor', 0, 1000],
		['negative: the 1 s floor', -3, 1000],
		['0.2: the 1 s floor', 0.2, 1000],
		['above 20: the 20 s ceiling', 30, 20000],
		['above 20 as text: the 20 s ceiling', '45', 20000],
		// An empty field is "not set", not 0 (which would be the 1 s floor).
		['empty text: 5 s', '', 5000],
		['only spaces: 5 s', '   ', 5000],
		['null from an expression: 5 s', null, 5000],
		['true from an expression: 5 s', true, 5000],
		['text that is no number: 5 s', 'soon', 5000],
		['not a finite number: 5 s', Number.NaN, 5000],
	])('API Time Budget %s', (_name, apiTimeBudgetSeconds, budgetMs) => {
		expect(enrichSettingsFrom(['contact'], { apiTimeBudgetSeconds })?.budgetMs).toBe(budgetMs);
	});
});

describe('applicableParts: which parts mean something for a message', () => {
	const ALL: ReadonlySet<EnrichPart> = new Set(['contact', 'missingMedia', 'recordings']);

	it('an SMS with text: only its contact', () => {
		expect(applicableParts(sms(), ALL)).toEqual(['contact']);
	});

	it('a message without a contactId: no contact is asked for', () => {
		expect(applicableParts(sms({ contactId: undefined }), new Set(['contact']))).toEqual([]);
	});

	it('a workflow webhook carries its contact already', () => {
		expect(applicableParts(itemFrom('workflow-webhook-customer-replied'), new Set(['contact']))).toEqual([]);
	});

	it('a WhatsApp message that arrived empty: its media, when asked', () => {
		expect(applicableParts(whatsapp(), new Set(['missingMedia']))).toEqual(['missingMedia']);
		expect(applicableParts(whatsapp(), ALL)).toEqual(['contact', 'missingMedia']);
	});

	it('only what was asked: an empty WhatsApp message gets no media read when only its contact is asked', () => {
		expect(applicableParts(whatsapp(), new Set(['contact']))).toEqual(['contact']);
		expect(applicableParts(whatsapp(), new Set(['recordings']))).toEqual([]);
	});

	it.each<[string, MessageItem]>([
		['it has text', whatsapp({ body: 'Hello' })],
		['it has attachments', whatsapp({ attachments: ['https://media.example.com/photo.jpg'] })],
		['it has no messageId to read it by', whatsapp({ messageId: undefined })],
		['it is a call (answered, no recording link)', answeredCall({ attachments: [] })],
		['it is a voicemail (no recording link)', voicemail({ attachments: [] })],
	])('no media is read for a message when %s', (_name, item) => {
		expect(applicableParts(item, new Set(['missingMedia']))).toEqual([]);
	});

	it('an answered call and a voicemail: their recording', () => {
		expect(applicableParts(answeredCall(), new Set(['recordings']))).toEqual(['recordings']);
		expect(applicableParts(voicemail(), new Set(['recordings']))).toEqual(['recordings']);
		expect(applicableParts(answeredCall({ callStatus: undefined }), new Set(['recordings']))).toEqual(['recordings']);
	});

	it('a voicemail gets no recording request when only its contact is asked', () => {
		expect(applicableParts(voicemail(), new Set(['contact']))).toEqual(['contact']);
	});

	it.each<[string, MessageItem]>([
		['no messageId', voicemail({ messageId: undefined })],
		['no locationId', voicemail({ locationId: undefined })],
	])('a voicemail with %s: no recording request (the path needs both)', (_name, item) => {
		expect(applicableParts(item, new Set(['recordings']))).toEqual([]);
	});

	// README: "except calls with status no-answer, busy, failed or canceled"; each spelling on its own.
	it.each(['no-answer', 'busy', 'failed', 'canceled', 'cancelled', 'No-Answer', 'BUSY'])('a call with status %s has nothing recorded: no request', (callStatus) => {
		const item = answeredCall({ callStatus });
		expect(item.call?.status).toBe(callStatus);
		expect(applicableParts(item, ALL)).toEqual(['contact']);
	});

	it('a voicemail is left because nobody answered: its recording is asked for even with call status no-answer', () => {
		const item = voicemail({ callStatus: 'no-answer' });
		expect([item.channel, item.call?.status]).toEqual(['Voicemail', 'no-answer']);
		expect(applicableParts(item, new Set(['recordings']))).toEqual(['recordings']);
	});
});

describe('contactDetails: any one of id, name, email or phone makes a contact', () => {
	it.each<[string, Record<string, unknown>]>([
		['only an id', { id: 'cI08i1Bls3iTB9bKgFJh' }],
		['only a name', { firstName: 'Jane' }],
		['only an email', { email: 'jane@example.com' }],
		['only a phone', { phone: '+15551234567' }],
	])('%s', (_name, contact) => {
		const details = contactDetails({ contact });
		expect(details).not.toBeNull();
		expect(details).toMatchObject({
			id: contact.id ?? null,
			name: contact.firstName ?? null,
			email: contact.email ?? null,
			phone: contact.phone ?? null,
		});
	});

	it('none of them (only tags and a time zone): no contact', () => {
		expect(contactDetails({ contact: { tags: ['lead'], timezone: 'America/Chicago' } })).toBeNull();
	});
});

describe('enrich: what each part makes of the answers', () => {
	it('a contact HighLevel has only a phone for is added, reported ok', async () => {
		const api = fakeApi({ contact: [{ answer: { contact: { phone: '+15551234567' } } }] });
		const found = await enrich(sms(), api.connect, settings(['contact']));
		expect(found.report).toEqual({ contact: { ok: true, error: null } });
		expect(found.contact).toMatchObject({ phone: '+15551234567', id: null, name: null });
	});

	it('every request may take the rest of the budget plus a moment, so that the budget and not the request ends it', async () => {
		const api = fakeApi({ contact: [{ answer: { contact: { id: 'c1' } } }], recording: [{ answer: RECORDING }] });
		await enrich(voicemail(), api.connect, settings(['contact', 'recordings'], 300));
		expect(api.calls.map((call) => call.kind).sort()).toEqual(['contact', 'recording']);
		// The rest of a 300 ms budget plus half a second: more than the budget, at most 800 ms.
		for (const call of api.calls) {
			expect(call.timeoutMs).toBeGreaterThan(300);
			expect(call.timeoutMs).toBeLessThanOrEqual(800);
		}
	});

	it('a failure that says nothing is reported as "failed", not as an empty reason', async () => {
		const api = fakeApi({ contact: [{ error: new Error('') }] });
		const found = await enrich(sms(), api.connect, settings(['contact']));
		expect(found.report).toEqual({ contact: { ok: false, error: 'failed' } });
	});

	it('a credential that fails without a message: every part says "failed"', async () => {
		const found = await enrich(voicemail(), async () => await Promise.reject(new Error('')), settings(['contact', 'recordings']));
		const reason = 'the HighLevel API credential could not be used: failed';
		expect(found.report).toEqual({ contact: { ok: false, error: reason }, recordings: { ok: false, error: reason } });
	});

	it.each<[string, unknown]>([
		['null', null],
		['undefined', undefined],
	])('a media read that fails with %s (no error object) ends at once and is reported as it came', async (name, rejection) => {
		const api = fakeApi({ message: [{ error: rejection }] });
		const found = await enrich(whatsapp(), api.connect, settings(['missingMedia']));
		expect(found.report).toEqual({ missingMedia: { ok: false, error: name } });
		expect(api.calls).toHaveLength(1);
	});

	it('a credential that does not come within the budget: every part is out of time, and nothing is asked', async () => {
		let asked = 0;
		const found = await enrich(
			voicemail(),
			async () => {
				asked++;
				return await new Promise<never>(() => undefined);
			},
			settings(['contact', 'recordings'], 200),
		);
		expect(asked).toBe(1);
		expect(found.report).toEqual({ contact: { ok: false, error: outOfTime(200) }, recordings: { ok: false, error: outOfTime(200) } });
	});

	it('a part that never answers is out of time; the others keep what they found', async () => {
		const api = fakeApi({ contact: ['hang'], recording: [{ answer: RECORDING }] });
		const found = await enrich(voicemail(), api.connect, settings(['contact', 'recordings'], 200));
		expect(found.report).toEqual({ contact: { ok: false, error: outOfTime(200) }, recordings: { ok: true, error: null } });
		expect(found.recording).toBe(RECORDING);
		expect(found).not.toHaveProperty('contact');
	});

	it('media that comes without a body completes the attachments and leaves the text alone', async () => {
		const api = fakeApi({ message: [message(['https://media.example.com/photo.jpg'])] });
		const found = await enrich(whatsapp(), api.connect, settings(['missingMedia']));
		expect(found.report).toEqual({ missingMedia: { ok: true, error: null } });
		expect(found.attachments).toEqual(['https://media.example.com/photo.jpg']);
		expect(found).not.toHaveProperty('text');
	});

	it('media that comes with a body completes the text too', async () => {
		const api = fakeApi({ message: [message(['https://media.example.com/photo.jpg'], 'Look at this')] });
		const found = await enrich(whatsapp(), api.connect, settings(['missingMedia']));
		expect(found).toMatchObject({ attachments: ['https://media.example.com/photo.jpg'], text: 'Look at this' });
	});
});

describe('enrich: ids that are not HighLevel ids never reach a request path', () => {
	const HOSTILE = ['..', '../contacts/search', 'https://attacker.example/x', 'a'.repeat(65), 'a b', 'a%2F..'];
	// Each part against each id it puts in its path (IDS_OF), written out here.
	const paths: Array<[EnrichPart, 'contactId' | 'messageId' | 'locationId', (id: string) => MessageItem]> = [
		['contact', 'contactId', (id) => sms({ contactId: id })],
		['missingMedia', 'messageId', (id) => whatsapp({ messageId: id })],
		['recordings', 'messageId', (id) => voicemail({ messageId: id })],
		['recordings', 'locationId', (id) => voicemail({ locationId: id })],
	];
	const cases = paths.flatMap(([part, key, item]) => HOSTILE.map((id) => [part, key, id, item(id)] as const));

	it.each(cases)('%s refuses the %s %j: no credential is read, no request made, and the item says why', async (part, key, id, item) => {
		expect(item[key]).toBe(id);
		const api = fakeApi({ contact: [{ answer: { contact: { id: 'c1' } } }], message: [message(['https://x.example/a.jpg'])], recording: [{ answer: RECORDING }] });
		const found = await enrich(item, api.connect, settings([part]));
		expect(found.report).toEqual({ [part]: { ok: false, error: `not asked: the message's ${key} is not a HighLevel id` } });
		expect(api.calls).toEqual([]);
		expect(api.connects.count).toBe(0);
	});

	it('a refused part does not stop the others', async () => {
		const api = fakeApi({ recording: [{ answer: RECORDING }] });
		const found = await enrich(voicemail({ contactId: '../x' }), api.connect, settings(['contact', 'recordings']));
		expect(found.report).toEqual({
			contact: { ok: false, error: "not asked: the message's contactId is not a HighLevel id" },
			recordings: { ok: true, error: null },
		});
		expect(api.calls.map((call) => call.kind)).toEqual(['recording']);
	});
});

describe('enrich: the credential\'s sub-account', () => {
	it('a credential for another sub-account: nothing is asked, and the item says why', async () => {
		const api = fakeApi({}, 'other-location');
		const found = await enrich(sms(), api.connect, settings(['contact']));
		expect(found.report).toEqual({ contact: { ok: false, error: 'not asked: the message is from sub-account l1C08ntBrFjLS0elLIYU, the credential is for other-location' } });
		expect(api.calls).toEqual([]);
	});

	it('a credential for the message\'s sub-account is asked', async () => {
		const api = fakeApi({ contact: [{ answer: { contact: { id: 'c1' } } }] }, 'l1C08ntBrFjLS0elLIYU');
		const found = await enrich(sms(), api.connect, settings(['contact']));
		expect(found.report).toEqual({ contact: { ok: true, error: null } });
	});

	it('a credential that names no sub-account (OAuth at agency level) is asked', async () => {
		const api = fakeApi({ recording: [{ answer: RECORDING }] }, null);
		const found = await enrich(voicemail(), api.connect, settings(['recordings']));
		expect(found.report).toEqual({ recordings: { ok: true, error: null } });
		expect(api.calls.map((call) => call.ids)).toEqual([['QkNS0DNje0FjoLQdD5O3', '0dalah57827q67DAuXUxbpy']]);
	});

	it('a message that names no sub-account: its contact is still asked for', async () => {
		const item = sms({ locationId: undefined });
		expect(item.locationId).toBeNull();
		const api = fakeApi({ contact: [{ answer: { contact: { id: 'c1' } } }] }, 'l1C08ntBrFjLS0elLIYU');
		const found = await enrich(item, api.connect, settings(['contact']));
		expect(found.report).toEqual({ contact: { ok: true, error: null } });
		expect(api.calls).toHaveLength(1);
	});
});

describe('enrich: Complete Missing Media reads again at 1 s and 3 s while the budget allows', () => {
	// Fake timers: the 1 s and 2 s waits pass at once and Date.now (the budget's
	// clock) moves with them. The budget's abort signal keeps real time, which
	// these tests never come near.
	beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
	afterEach(() => jest.useRealTimers());

	async function read(steps: Step[], budgetMs: number) {
		const api = fakeApi({ message: steps });
		const start = Date.now();
		const pending = enrich(whatsapp(), api.connect, settings(['missingMedia'], budgetMs));
		await jest.runAllTimersAsync();
		const found = await pending;
		return { found, reads: api.calls.map((call) => ({ after: call.at - start, timeoutMs: call.timeoutMs })) };
	}

	it('still empty: read at 0, 1 and 3 s, each read allowed the rest of the budget plus a moment', async () => {
		const { found, reads } = await read([message([]), message([]), message([]), message([])], 5000);
		expect(reads).toEqual([
			{ after: 0, timeoutMs: 5500 },
			{ after: 1000, timeoutMs: 4500 },
			{ after: 3000, timeoutMs: 2500 },
		]);
		expect(found.report).toEqual({ missingMedia: { ok: false, error: "HighLevel's API had no attachments for this message either (read 3 times)" } });
	});

	it('the media on the second read is used', async () => {
		const { found, reads } = await read([message([]), message(['https://media.example.com/a.jpg'])], 5000);
		expect(reads).toHaveLength(2);
		expect(found).toMatchObject({ report: { missingMedia: { ok: true, error: null } }, attachments: ['https://media.example.com/a.jpg'] });
	});

	// A read is made only when at least 200 ms are left after the wait before it.
	it.each<[number, number]>([
		[1199, 1],
		[1200, 2],
		[3199, 2],
		[3200, 3],
	])('a %i ms budget: %i read(s), none started with less than 200 ms left', async (budgetMs, count) => {
		const { found, reads } = await read([message([]), message([]), message([])], budgetMs);
		expect(reads).toHaveLength(count);
		expect(found.report.missingMedia?.error).toBe(
			`HighLevel's API had no attachments for this message either (read ${count} time${count === 1 ? '' : 's'})`,
		);
	});

	it('404 on every read: "not there yet" each time, and the 404 is what the item reports', async () => {
		const { found, reads } = await read([notFound(), notFound(), notFound()], 5000);
		expect(reads).toHaveLength(3);
		expect(found.report).toEqual({ missingMedia: { ok: false, error: 'Not found in HighLevel (404): HighLevel knows no message with this Message ID' } });
	});

	it('any other failure ends it at once', async () => {
		const { found, reads } = await read([notFound(), serverError], 5000);
		expect(reads).toHaveLength(2);
		expect(found.report).toEqual({ missingMedia: { ok: false, error: 'HighLevel failed to process the request (500)' } });
	});
});

describe('applyEnrichment: what lands on the item', () => {
	it('the webhook\'s own text is kept; the API\'s body only fills an empty one', () => {
		const withText = sms();
		applyEnrichment(withText, { report: { missingMedia: { ok: true, error: null } }, text: 'from the API', attachments: ['https://x.example/a.jpg'] });
		expect(withText).toMatchObject({ text: 'This is a test message', attachments: ['https://x.example/a.jpg'] });

		const empty = whatsapp();
		applyEnrichment(empty, { report: { missingMedia: { ok: true, error: null } }, text: 'from the API' });
		expect(empty.text).toBe('from the API');
		expect(empty.enrichment).toEqual({ missingMedia: { ok: true, error: null } });
	});
});
