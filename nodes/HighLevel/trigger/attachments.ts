/**
 * Attachment URLs -> files, for the Download Attachments option.
 *
 * HighLevel now waits for its answer until n8n has created the execution, and
 * the files are fetched before that. So everything here is bounded: the number
 * of files, the bytes per file and per message, the parallel downloads, and one
 * time budget for the whole message, after which what is not done is recorded
 * as not downloaded. A refused or failed file becomes a clear per-file error on
 * the item: the message itself always runs. Which hosts may be contacted is
 * decided in address-guard.ts, per hop in guarded-fetch.ts.
 */
import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { type FetchPolicy, guardedFetch, type HostResolver, type HttpRequester, untilAborted } from './guarded-fetch';

export { hostResolverFrom, type HostResolver, type HttpRequester } from './guarded-fetch';

const MB = 1024 * 1024;

export interface DownloadSettings {
	/** Per file. */
	maxBytes: number;
	/** Per file, all redirects included. */
	timeoutMs: number;
	/** Files per message; later URLs are recorded as not downloaded. Default 10. */
	maxFiles?: number;
	/** Bytes per message, all files together. Default 50 MB. */
	maxTotalBytes?: number;
	/** Time for all downloads of one message. Default 5 s. */
	budgetMs?: number;
	/** Downloads at the same time. Default 3. */
	concurrency?: number;
	/** Loopback, private, CGNAT and unique-local hosts and local names. Default off. */
	allowPrivateNetwork?: boolean;
	/** Default 5. */
	maxRedirects?: number;
}

export const DOWNLOAD_DEFAULTS = {
	maxSizeMb: 25,
	timeoutSeconds: 30,
	maxFiles: 10,
	maxTotalMb: 50,
	budgetSeconds: 5,
	concurrency: 3,
	maxRedirects: 5,
} as const;

/** Upper bounds, so that no setting can make a timer overflow or a message unbounded. */
export const DOWNLOAD_LIMITS = {
	maxSizeMb: 1024,
	timeoutSeconds: 300,
	maxFiles: 100,
	maxTotalMb: 1024,
	budgetSeconds: 60,
} as const;

export interface DownloadedFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/** What the item says about each attachment when downloading is on. */
export interface AttachmentDownload {
	url: string;
	binaryProperty: string | null;
	fileName: string | null;
	mimeType: string | null;
	bytes: number | null;
	error: string | null;
}

interface ReadableBody extends AsyncIterable<Buffer | string> {
	destroy?: (error?: Error) => void;
}

/** A finite number from a node option, else the fallback; then clamped. */
function bounded(value: unknown, fallback: number, min: number, max: number): number {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	return Math.min(max, Math.max(min, Number.isFinite(number) ? number : fallback));
}

/**
 * The node's options -> download settings, or undefined when Download
 * Attachments is off. Every number is clamped to DOWNLOAD_LIMITS.
 */
export function downloadSettingsFrom(options: Record<string, unknown>): Required<DownloadSettings> | undefined {
	if (options.downloadAttachments !== true) return undefined;
	const d = DOWNLOAD_DEFAULTS;
	const l = DOWNLOAD_LIMITS;
	return {
		maxBytes: Math.round(bounded(options.attachmentMaxSizeMb, d.maxSizeMb, 0.001, l.maxSizeMb) * MB),
		timeoutMs: Math.round(bounded(options.attachmentTimeoutSeconds, d.timeoutSeconds, 0.1, l.timeoutSeconds) * 1000),
		maxFiles: Math.floor(bounded(options.attachmentMaxFiles, d.maxFiles, 1, l.maxFiles)),
		maxTotalBytes: Math.round(bounded(options.attachmentMaxTotalMb, d.maxTotalMb, 0.001, l.maxTotalMb) * MB),
		budgetMs: Math.round(bounded(options.attachmentTimeBudgetSeconds, d.budgetSeconds, 0.1, l.budgetSeconds) * 1000),
		concurrency: d.concurrency,
		allowPrivateNetwork: options.attachmentAllowPrivateNetwork === true,
		maxRedirects: d.maxRedirects,
	};
}

/** Settings as given by any caller, completed and clamped the same way. */
function complete(settings: DownloadSettings): Required<DownloadSettings> {
	const d = DOWNLOAD_DEFAULTS;
	const l = DOWNLOAD_LIMITS;
	return {
		maxBytes: Math.round(bounded(settings.maxBytes, d.maxSizeMb * MB, 1, l.maxSizeMb * MB)),
		timeoutMs: Math.round(bounded(settings.timeoutMs, d.timeoutSeconds * 1000, 1, l.timeoutSeconds * 1000)),
		maxFiles: Math.floor(bounded(settings.maxFiles, d.maxFiles, 0, l.maxFiles)),
		maxTotalBytes: Math.round(bounded(settings.maxTotalBytes, d.maxTotalMb * MB, 1, l.maxTotalMb * MB)),
		budgetMs: Math.round(bounded(settings.budgetMs, d.budgetSeconds * 1000, 1, l.budgetSeconds * 1000)),
		concurrency: Math.floor(bounded(settings.concurrency, d.concurrency, 1, 10)),
		allowPrivateNetwork: settings.allowPrivateNetwork === true,
		maxRedirects: Math.floor(bounded(settings.maxRedirects, d.maxRedirects, 0, 20)),
	};
}

function header(headers: IN8nHttpFullResponse['headers'], name: string): string | undefined {
	// Stryker disable next-line OptionalChaining: n8n's full response always has headers
	const value = headers?.[name];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** `filename="x"`, `filename*=UTF-8''x` or `filename=x`, read without a backtracking pattern. */
function dispositionName(disposition: string): string | undefined {
	const lower = disposition.toLowerCase();
	let at = -1;
	for (let found = lower.indexOf('filename'); found !== -1; found = lower.indexOf('filename', found + 1)) {
		let after = found + 'filename'.length;
		if (disposition[after] === '*') after++;
		if (disposition[after] === '=') {
			at = after + 1;
			break;
		}
	}
	if (at === -1) return undefined;
	if (lower.startsWith("utf-8''", at)) at += 7;
	if (disposition[at] === '"') at++;
	let end = at;
	// Stryker disable next-line EqualityOperator: one step past the end slices the same text
	while (end < disposition.length && disposition[end] !== '"' && disposition[end] !== ';') end++;
	// Stryker disable next-line ConditionalExpression,EqualityOperator: an empty name falls back to the URL's name like undefined does
	return end > at ? disposition.slice(at, end) : undefined;
}

function fileNameOf(url: URL, disposition: string | undefined, fallback: string): string {
	const fromUrl = url.pathname.split('/').filter(Boolean).pop();
	let name = (disposition && dispositionName(disposition)) || fromUrl;
	try {
		name = name ? decodeURIComponent(name) : undefined;
	} catch {
		// keep the raw segment
	}
	return name?.replace(/[/\\]/g, '_').slice(0, 255) || fallback;
}

const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export type DownloadResult = { ok: true; file: DownloadedFile } | { ok: false; error: string };

/** Bytes kept so far by all files of one message. */
interface ByteTally {
	used: number;
}

/** What one file may use; all of it is shared by the files of a message except the clock. */
export interface FileLimits {
	settings: Required<DownloadSettings>;
	resolve?: HostResolver;
	tally: ByteTally;
	/** Aborts when the message's time budget is spent. */
	budget: AbortSignal;
}

const budgetSpent = (settings: Required<DownloadSettings>) =>
	`not downloaded: the ${seconds(settings.budgetMs)} time budget for this message's attachments ran out`;

/** One file: guarded fetch, then the body read as a stream within the byte limits. */
export async function downloadAttachment(
	request: HttpRequester,
	address: string,
	limits: FileLimits,
	fallbackName: string,
): Promise<DownloadResult> {
	const { settings, tally, budget } = limits;
	let url: URL;
	try {
		url = new URL(address);
	} catch {
		return { ok: false, error: 'not a URL' };
	}
	const started = Date.now();
	const signal = AbortSignal.any([budget, AbortSignal.timeout(settings.timeoutMs)]);
	const stopped = (): DownloadResult => ({
		ok: false,
		error: budget.aborted ? budgetSpent(settings) : `timed out after ${seconds(settings.timeoutMs)}`,
	});
	const policy: FetchPolicy = {
		allowPrivateNetwork: settings.allowPrivateNetwork,
		maxRedirects: settings.maxRedirects,
		resolve: limits.resolve,
	};
	// Stryker disable next-line ArithmeticOperator: n8n's request timeout is a backstop; the file's own timer (signal) decides
	const clock = { signal, remainingMs: () => Math.round(settings.timeoutMs - (Date.now() - started)) };
	const fetched = await guardedFetch(request, url, policy, clock);
	if (fetched === 'aborted') return stopped();
	if (!fetched.ok) return fetched;

	const { response } = fetched;
	const body = response.body as ReadableBody;
	// Stryker disable next-line ArrowFunction,OptionalChaining: n8n's helper ends the stream on the same abortSignal; destroying it here only frees the socket sooner
	const onAbort = () => body?.destroy?.();
	// Stryker disable next-line StringLiteral,ObjectLiteral,BooleanLiteral: n8n's helper ends the stream on the same abortSignal; destroying it here only frees the socket sooner
	signal.addEventListener('abort', onAbort, { once: true });
	let counted = 0;
	const fail = (error: string): DownloadResult => {
		// Stryker disable next-line OptionalChaining: n8n's helper ends the stream on the same abortSignal; destroying it here only frees the socket sooner
		body?.destroy?.();
		tally.used -= counted;
		return { ok: false, error };
	};
	try {
		if (response.statusCode >= 300) {
			return fail(`HTTP ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`);
		}
		const mimeType = (header(response.headers, 'content-type') ?? 'application/octet-stream').split(';')[0].trim().toLowerCase();
		// A file host answers an expired or private link with a web page.
		if (mimeType === 'text/html') return fail('the URL returned a web page (text/html), not a file');
		const declared = Number(header(response.headers, 'content-length'));
		if (declared > settings.maxBytes) return fail(`${megabytes(declared)} is over the ${megabytes(settings.maxBytes)} limit`);
		if (declared > settings.maxTotalBytes - tally.used) {
			return fail(`${megabytes(declared)} would take the message's attachments over the ${megabytes(settings.maxTotalBytes)} total limit`);
		}

		const chunks: Buffer[] = [];
		try {
			for await (const chunk of body) {
				// Stryker disable next-line ConditionalExpression: Buffer.from(a Buffer) is an equal copy
				const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
				counted += buffer.length;
				tally.used += buffer.length;
				// Counted as it streams: a host that lies about (or omits) its length is still cut off.
				if (counted > settings.maxBytes) return fail(`more than the ${megabytes(settings.maxBytes)} limit`);
				if (tally.used > settings.maxTotalBytes) {
					return fail(`the message's attachments are over the ${megabytes(settings.maxTotalBytes)} total limit`);
				}
				chunks.push(buffer);
			}
		} catch (error) {
			if (signal.aborted) {
				tally.used -= counted;
				return stopped();
			}
			return fail(`download failed: ${(error as Error).message}`);
		}
		if (signal.aborted) {
			tally.used -= counted;
			return stopped();
		}
		return {
			ok: true,
			file: {
				data: Buffer.concat(chunks, counted),
				fileName: fileNameOf(fetched.url, header(response.headers, 'content-disposition'), fallbackName),
				mimeType,
			},
		};
		// A comment before `} finally {` would belong to the try block: the mark sits on the finally block itself.
	} finally /* Stryker disable next-line BlockStatement: the listener is once-only and only frees the socket sooner; a finished body ignores destroy() */ {
		// Stryker disable next-line StringLiteral: the listener is once-only and only frees the socket sooner
		signal.removeEventListener('abort', onAbort);
	}
}

export type BinaryPreparer<T> = (data: Buffer, fileName: string, mimeType: string) => Promise<T>;

const failed = (url: string, error: string): AttachmentDownload => ({
	url,
	binaryProperty: null,
	fileName: null,
	mimeType: null,
	bytes: null,
	error,
});

/**
 * Downloads the attachments of one message, at most `concurrency` at a time and
 * never longer than the time budget. Files land as `attachment_0`,
 * `attachment_1`, ... (by position in `attachments`); every URL gets a line in
 * `downloads`, with `error` set when it was not downloaded. Pass `resolve`
 * (hostResolverFrom(this.helpers)) where n8n offers a DNS lookup.
 */
export async function downloadAll<T>(
	urls: string[],
	request: HttpRequester,
	prepare: BinaryPreparer<T>,
	given: DownloadSettings,
	resolve?: HostResolver,
): Promise<{ binary: Record<string, T>; downloads: AttachmentDownload[] }> {
	const settings = complete(given);
	const budget = AbortSignal.timeout(settings.budgetMs);
	const limits: FileLimits = { settings, resolve, tally: { used: 0 }, budget };
	const binary: Record<string, T> = {};
	const downloads: Array<AttachmentDownload | undefined> = urls.map((url, index) =>
		index < settings.maxFiles
			? undefined
			: failed(url, `not downloaded: only the first ${settings.maxFiles} attachments of a message are downloaded`),
	);
	const count = Math.min(urls.length, settings.maxFiles);
	// Stragglers that finish after the budget must not change what was returned.
	let closed = false;

	const one = async (index: number): Promise<void> => {
		const url = urls[index];
		const binaryProperty = `attachment_${index}`;
		let result: DownloadResult;
		try {
			result = await downloadAttachment(request, url, limits, binaryProperty);
		} catch (error) {
			result = { ok: false, error: `download failed: ${(error as Error).message}` };
		}
		// Stryker disable next-line ConditionalExpression: the result is already returned (downloads is copied) and prepare yields undefined once the budget is spent
		if (closed) return;
		if (!result.ok) {
			downloads[index] = failed(url, result.error);
			return;
		}
		const { file } = result;
		let prepared: T | undefined;
		try {
			prepared = await untilAborted(prepare(file.data, file.fileName, file.mimeType), budget);
		} catch (error) {
			// Stryker disable next-line ConditionalExpression: the result is already returned (downloads is copied) and prepare yields undefined once the budget is spent
			if (!closed) downloads[index] = failed(url, `could not store the file: ${(error as Error).message}`);
			return;
		}
		// Stryker disable next-line ConditionalExpression,LogicalOperator: prepare yields undefined only once the budget is spent, and by then closed is set
		if (closed || prepared === undefined) return;
		binary[binaryProperty] = prepared;
		downloads[index] = { url, binaryProperty, fileName: file.fileName, mimeType: file.mimeType, bytes: file.data.length, error: null };
	};

	let next = 0;
	const worker = async () => {
		while (next < count && !budget.aborted) await one(next++);
	};
	const workers = Array.from({ length: Math.min(settings.concurrency, count) }, worker);
	await untilAborted(Promise.all(workers), budget);
	// Stryker disable next-line BooleanLiteral: the result is already returned (downloads is copied) and prepare yields undefined once the budget is spent
	closed = true;
	return {
		binary,
		downloads: downloads.map((entry, index) => entry ?? failed(urls[index], budgetSpent(settings))),
	};
}
