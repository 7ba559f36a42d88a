/**
 * Attachment URLs -> files, for the Download Attachments option.
 *
 * Runs after HighLevel has its 200, so a slow file host never makes HighLevel
 * wait or retry. Each file is capped in size and time, read as a stream so an
 * oversized file is cut off instead of buffered, and a failure becomes a clear
 * per-file error on the item: the message itself is never lost.
 */
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

export interface DownloadSettings {
	maxBytes: number;
	timeoutMs: number;
}

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

export type HttpRequester = (options: IHttpRequestOptions) => Promise<unknown>;

interface ReadableBody extends AsyncIterable<Buffer | string> {
	destroy?: (error?: Error) => void;
}

function header(headers: IN8nHttpFullResponse['headers'], name: string): string | undefined {
	const value = headers?.[name];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

function fileNameOf(url: URL, disposition: string | undefined, fallback: string): string {
	const quoted = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
	const fromUrl = url.pathname.split('/').filter(Boolean).pop();
	let name = quoted ? quoted[1] : fromUrl;
	try {
		name = name ? decodeURIComponent(name) : undefined;
	} catch {
		// keep the raw segment
	}
	return name?.replace(/[/\\]/g, '_') || fallback;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export type DownloadResult = { ok: true; file: DownloadedFile } | { ok: false; error: string };

export async function downloadAttachment(
	request: HttpRequester,
	address: string,
	settings: DownloadSettings,
	fallbackName: string,
): Promise<DownloadResult> {
	let url: URL;
	try {
		url = new URL(address);
	} catch {
		return { ok: false, error: 'not a URL' };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { ok: false, error: `not an http(s) URL (${url.protocol})` };
	}

	const signal = AbortSignal.timeout(settings.timeoutMs);
	const timedOut = `timed out after ${settings.timeoutMs / 1000} s`;
	let response: IN8nHttpFullResponse;
	try {
		response = (await request({
			url: url.href,
			method: 'GET',
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: settings.timeoutMs,
			abortSignal: signal,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		return { ok: false, error: signal.aborted ? timedOut : `download failed: ${(error as Error).message}` };
	}
	const body = response.body as ReadableBody;
	const fail = (error: string): DownloadResult => {
		body?.destroy?.();
		return { ok: false, error };
	};
	if (response.statusCode >= 400) {
		return fail(`HTTP ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`);
	}
	const mimeType = (header(response.headers, 'content-type') ?? 'application/octet-stream').split(';')[0].trim().toLowerCase();
	// A file host answers an expired or private link with a web page.
	if (mimeType === 'text/html') return fail('the URL returned a web page (text/html), not a file');
	const declared = Number(header(response.headers, 'content-length'));
	if (declared > settings.maxBytes) return fail(`${megabytes(declared)} is over the ${megabytes(settings.maxBytes)} limit`);

	const chunks: Buffer[] = [];
	let bytes = 0;
	try {
		for await (const chunk of body) {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			bytes += buffer.length;
			// Counted as it streams: a host that lies about (or omits) its length is still cut off.
			if (bytes > settings.maxBytes) return fail(`more than the ${megabytes(settings.maxBytes)} limit`);
			chunks.push(buffer);
		}
	} catch (error) {
		return { ok: false, error: signal.aborted ? timedOut : `download failed: ${(error as Error).message}` };
	}
	return {
		ok: true,
		file: {
			data: Buffer.concat(chunks, bytes),
			fileName: fileNameOf(url, header(response.headers, 'content-disposition'), fallbackName),
			mimeType,
		},
	};
}

export type BinaryPreparer<T> = (data: Buffer, fileName: string, mimeType: string) => Promise<T>;

/**
 * Downloads every attachment in parallel. Files land as `attachment_0`,
 * `attachment_1`, ... (by position in `attachments`); every URL gets a line in
 * `downloads`, with `error` set when it could not be fetched.
 */
export async function downloadAll<T>(
	urls: string[],
	request: HttpRequester,
	prepare: BinaryPreparer<T>,
	settings: DownloadSettings,
): Promise<{ binary: Record<string, T>; downloads: AttachmentDownload[] }> {
	const binary: Record<string, T> = {};
	const downloads = await Promise.all(
		urls.map(async (url, index): Promise<AttachmentDownload> => {
			const binaryProperty = `attachment_${index}`;
			const failed = (error: string) => ({ url, binaryProperty: null, fileName: null, mimeType: null, bytes: null, error });
			const result = await downloadAttachment(request, url, settings, binaryProperty);
			if (!result.ok) return failed(result.error);
			const { file } = result;
			try {
				binary[binaryProperty] = await prepare(file.data, file.fileName, file.mimeType);
			} catch (error) {
				return failed(`could not store the file: ${(error as Error).message}`);
			}
			return { url, binaryProperty, fileName: file.fileName, mimeType: file.mimeType, bytes: file.data.length, error: null };
		}),
	);
	return { binary, downloads };
}
