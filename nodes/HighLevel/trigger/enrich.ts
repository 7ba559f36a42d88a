/**
 * The trigger's "Fill In From HighLevel API": what a webhook leaves out, read
 * from HighLevel's API before the workflow starts (the contact, media a message
 * arrived without, call and voicemail recordings).
 *
 * HighLevel waits for its answer meanwhile, so every part shares one time
 * budget and runs at the same time as the others. A part that fails, or does
 * not finish within the budget, is recorded on the item under `enrichment` and
 * the message runs anyway: an API problem never costs a message. Pure apart
 * from the API it is handed.
 */
import { readableText, unwrap } from '../api/message-text';
import type { RecordingFile } from '../api/recording';
import { sleepUnlessAborted } from '../api/wait';
import type { ContactDetails, MessageItem } from '../normalize';
import { toId, toTextList } from '../schema';
import { untilAborted } from './guarded-fetch';

export const ENRICH_CONTACT = 'contact';
export const ENRICH_MISSING_MEDIA = 'missingMedia';
export const ENRICH_RECORDINGS = 'recordings';
export const ENRICH_PARTS = [ENRICH_CONTACT, ENRICH_MISSING_MEDIA, ENRICH_RECORDINGS] as const;
export type EnrichPart = (typeof ENRICH_PARTS)[number];

/** The binary property a downloaded recording lands in. */
export const RECORDING_PROPERTY = 'recording';

export const API_BUDGET_SECONDS = { default: 5, min: 1, max: 20 } as const;

/**
 * Waits before the 2nd and 3rd read of a message that arrived with neither
 * text nor attachments: HighLevel's API has the media "a few seconds later".
 */
export const MEDIA_RETRY_DELAYS_MS: readonly number[] = [1000, 2000];

const REQUEST_GRACE_MS = 500;

/** A read started with less time than this left cannot come back in time. */
const MIN_REQUEST_MS = 200;

/** An unanswered call has nothing recorded: no request for it. */
const UNRECORDED_CALL_STATUSES: readonly string[] = ['no-answer', 'busy', 'failed', 'canceled', 'cancelled'];

/**
 * HighLevel's ids are short letters, digits, `_` and `-`. Anything else in a
 * webhook (`..`, a URL, a long string) is not sent to the API with the user's
 * token, even percent-encoded.
 */
const API_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The ids each part puts in its request path. */
const IDS_OF: Record<EnrichPart, ReadonlyArray<'contactId' | 'messageId' | 'locationId'>> = {
	contact: ['contactId'],
	missingMedia: ['messageId'],
	recordings: ['messageId', 'locationId'],
};

export interface EnrichSettings {
	parts: ReadonlySet<EnrichPart>;
	budgetMs: number;
}

/** undefined when nothing is asked for: then no credential is read and nothing is called. */
export function enrichSettingsFrom(enrich: unknown, options: Record<string, unknown>): EnrichSettings | undefined {
	// An expression may give "contact, recordings" rather than a list.
	// Stryker disable next-line ArrayDeclaration,Regex: a non-empty placeholder or empty pieces name no part either
	const asked: unknown[] = Array.isArray(enrich) ? enrich : typeof enrich === 'string' ? enrich.split(/[\s,]+/) : [];
	const parts = new Set(ENRICH_PARTS.filter((part) => asked.includes(part)));
	if (parts.size === 0) return undefined;
	const value = options.apiTimeBudgetSeconds;
	const seconds = typeof value === 'number' || (typeof value === 'string' && value.trim() !== '') ? Number(value) : Number.NaN;
	const bounded = Number.isFinite(seconds)
		? Math.min(Math.max(seconds, API_BUDGET_SECONDS.min), API_BUDGET_SECONDS.max)
		: API_BUDGET_SECONDS.default;
	return { parts, budgetMs: Math.round(bounded * 1000) };
}

/** HighLevel's API as the trigger needs it; each call ends (or is abandoned) within `timeoutMs`. */
export interface EnrichmentApi {
	/** The sub-account the credential is for, when it says (a message of another one is not asked about). */
	locationId: string | null;
	/** The body of `GET /contacts/{contactId}`. */
	getContact(contactId: string, timeoutMs: number): Promise<unknown>;
	/** The body of `GET /conversations/messages/{messageId}`. */
	getMessage(messageId: string, timeoutMs: number): Promise<unknown>;
	getRecording(messageId: string, locationId: string, timeoutMs: number): Promise<RecordingFile>;
}

/** One part's outcome: `error` says why it added nothing (null when it did). */
export interface PartReport {
	ok: boolean;
	error: string | null;
}

export interface Enrichment {
	/** Only the parts that were asked for and apply to this message. */
	report: Partial<Record<EnrichPart, PartReport>>;
	contact?: ContactDetails;
	attachments?: string[];
	text?: string;
	recording?: RecordingFile;
}

/** The parts that mean something for this message; others are not attempted or reported. */
export function applicableParts(item: MessageItem, asked: ReadonlySet<EnrichPart>): EnrichPart[] {
	const isCall = item.channel === 'Call' || item.channel === 'Voicemail';
	const parts: EnrichPart[] = [];
	// A workflow webhook carries its contact already.
	if (asked.has(ENRICH_CONTACT) && item.contactId !== null && item.event !== 'WorkflowWebhook') parts.push(ENRICH_CONTACT);
	if (
		asked.has(ENRICH_MISSING_MEDIA) &&
		!isCall &&
		item.messageId !== null &&
		item.text === '' &&
		item.attachments.length === 0
	) {
		parts.push(ENRICH_MISSING_MEDIA);
	}
	// Stryker disable next-line StringLiteral: no status is no unrecorded status either
	const status = (item.call?.status ?? '').toLowerCase();
	const unanswered = item.channel === 'Call' && UNRECORDED_CALL_STATUSES.includes(status);
	if (asked.has(ENRICH_RECORDINGS) && isCall && !unanswered && item.messageId !== null && item.locationId !== null) {
		parts.push(ENRICH_RECORDINGS);
	}
	return parts;
}

/** The API's contact in the shape workflow-webhook items have; null when it holds nothing. */
export function contactDetails(response: unknown): ContactDetails | null {
	const contact = unwrap(response, 'contact');
	const joined = [toId(contact.firstName), toId(contact.lastName)].filter((part) => part !== null).join(' ');
	const details: ContactDetails = {
		id: toId(contact.id),
		name: toId(contact.name) ?? (joined || toId(contact.contactName)),
		email: toId(contact.email),
		phone: toId(contact.phone),
		tags: toTextList(contact.tags),
		timezone: toId(contact.timezone),
	};
	const empty = details.id === null && details.name === null && details.email === null && details.phone === null;
	return empty ? null : details;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function reasonOf(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message || 'failed';
}

function httpCodeOf(error: unknown): string | undefined {
	const code = (error as { httpCode?: unknown } | null)?.httpCode;
	// Stryker disable next-line ConditionalExpression: the code is only compared with '404', which nothing but that string equals
	return typeof code === 'string' ? code : undefined;
}

/**
 * Asks the API for every applicable part at once, within the budget. `connect`
 * is called only when some part applies; if it fails (no credential, a broken
 * one) every applicable part records why.
 */
export async function enrich(
	item: MessageItem,
	connect: () => Promise<EnrichmentApi>,
	settings: EnrichSettings,
): Promise<Enrichment> {
	const parts = applicableParts(item, settings.parts);
	const result: Enrichment = { report: {} };
	// Stryker disable next-line ConditionalExpression: a shortcut; with no parts the id check below returns the same empty report
	if (parts.length === 0) return result;

	// Stryker disable next-line StringLiteral: applicableParts admits no null id, and any placeholder fails API_ID the same
	const unusable = (part: EnrichPart) => IDS_OF[part].find((key) => !API_ID.test(item[key] ?? ''));
	for (const part of parts) {
		const key = unusable(part);
		if (key !== undefined) result.report[part] = { ok: false, error: `not asked: the message's ${key} is not a HighLevel id` };
	}
	const asked = parts.filter((part) => result.report[part] === undefined);
	if (asked.length === 0) return result;

	const deadline = Date.now() + settings.budgetMs;
	const budget = AbortSignal.timeout(settings.budgetMs);
	const left = () => Math.max(deadline - Date.now(), 1);
	// A request may outlive the budget by a moment, so that the budget, not the
	// request's own timeout, ends it and the item says why; it is then abandoned.
	const requestTimeout = () => left() + REQUEST_GRACE_MS;
	const outOfTime = `not done: the ${seconds(settings.budgetMs)} API time budget for this message ran out`;
	const fail = (part: EnrichPart, error: string) => (result.report[part] = { ok: false, error });

	let api: EnrichmentApi | undefined;
	try {
		api = await untilAborted(connect(), budget);
	} catch (error) {
		for (const part of asked) fail(part, `the HighLevel API credential could not be used: ${reasonOf(error)}`);
		return result;
	}
	if (api === undefined) {
		for (const part of asked) fail(part, outOfTime);
		return result;
	}
	const connected = api;
	// A token of one sub-account cannot read another's records: say so rather than report HighLevel's 401/403.
	if (connected.locationId !== null && item.locationId !== null && item.locationId !== connected.locationId) {
		for (const part of asked) {
			fail(part, `not asked: the message is from sub-account ${item.locationId}, the credential is for ${connected.locationId}`);
		}
		return result;
	}

	// Each part keeps what it found only if it finished within the budget.
	const run = async <T>(part: EnrichPart, work: () => Promise<T>, keep: (value: T) => string | null) => {
		try {
			// Boxed: an API answer may itself be empty (undefined), which is not "out of time".
			const box = await untilAborted(work().then((value) => ({ value })), budget);
			// Stryker disable next-line ConditionalExpression,BlockStatement: box is undefined only once the budget ran out, and reading it then throws into the catch, which says the same
			if (box === undefined) {
				fail(part, outOfTime);
				return;
			}
			const refusal = keep(box.value);
			result.report[part] = { ok: refusal === null, error: refusal };
		} catch (error) {
			fail(part, budget.aborted ? outOfTime : reasonOf(error));
		}
	};

	await Promise.all(
		asked.map(async (part) => {
			if (part === ENRICH_CONTACT) {
				await run(part, async () => await connected.getContact(item.contactId as string, requestTimeout()), (response) => {
					const contact = contactDetails(response);
					if (contact === null) return "HighLevel's API returned an empty contact";
					result.contact = contact;
					return null;
				});
			} else if (part === ENRICH_MISSING_MEDIA) {
				await run(part, async () => await readMedia(connected, item, left, requestTimeout, budget), (media) => {
					if (typeof media === 'string') return media;
					result.attachments = media.attachments;
					if (media.text !== '') result.text = media.text;
					return null;
				});
			} else {
				await run(
					part,
					async () => await connected.getRecording(item.messageId as string, item.locationId as string, requestTimeout()),
					(recording) => {
						if (recording.data.length === 0) return "HighLevel's API returned an empty recording";
						result.recording = recording;
						return null;
					},
				);
			}
		}),
	);
	return result;
}

/**
 * Reads the message until HighLevel's API has its attachments, a few times
 * within the budget. A 404 counts as "not there yet"; any other failure ends it
 * (the promise rejects with it). Resolves to the media, or to why there is none.
 */
async function readMedia(
	api: EnrichmentApi,
	item: MessageItem,
	left: () => number,
	requestTimeout: () => number,
	budget: AbortSignal,
): Promise<{ attachments: string[]; text: string } | string> {
	for (let read = 0; ; read++) {
		let notFound: string | undefined;
		const answer = await api.getMessage(item.messageId as string, requestTimeout()).catch((error: unknown) => {
			if (httpCodeOf(error) !== '404') return Promise.reject(error);
			notFound = reasonOf(error);
			return undefined;
		});
		const message = unwrap(answer, 'message');
		const attachments = toTextList(message.attachments);
		if (attachments.length > 0) return { attachments, text: readableText(message, item.channel) };
		const delay = MEDIA_RETRY_DELAYS_MS[read];
		if (delay === undefined || left() < delay + MIN_REQUEST_MS) {
			return notFound ?? `HighLevel's API had no attachments for this message either (read ${read + 1} time${read === 0 ? '' : 's'})`;
		}
		await sleepUnlessAborted(delay, budget);
	}
}

/**
 * Puts what was found on the item's json: `contact`, the completed
 * `attachments` (and `text`, when the message had none), and `enrichment`, the
 * report. The webhook's own values stay in `raw`.
 */
export function applyEnrichment(json: MessageItem, enrichment: Enrichment): void {
	if (enrichment.contact !== undefined) json.contact = enrichment.contact;
	if (enrichment.attachments !== undefined) json.attachments = enrichment.attachments;
	if (enrichment.text !== undefined && json.text === '') json.text = enrichment.text;
	json.enrichment = enrichment.report;
}
