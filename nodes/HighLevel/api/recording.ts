/**
 * A call or voicemail recording as HighLevel's API serves it -> the file n8n
 * keeps: bytes, a file name and a MIME type. Used by Message > Get Recording
 * and by the trigger's Download Recordings.
 */
import type { IN8nHttpFullResponse } from 'n8n-workflow';

export interface RecordingFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

const EXTENSIONS: Record<string, string> = {
	'audio/x-wav': 'wav',
	'audio/wav': 'wav',
	'audio/wave': 'wav',
	'audio/mpeg': 'mp3',
	'audio/mp3': 'mp3',
	'audio/ogg': 'ogg',
	'audio/webm': 'webm',
	'audio/mp4': 'm4a',
};

/** `name` in lower case, as Node delivers every header name. */
function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name];
	// Stryker disable next-line ConditionalExpression: n8n's header values are text, lists of text, or absent
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

/** HighLevel's file name (Content-Disposition), else one made from the message id and the audio type. */
export function recordingFileName(disposition: string | undefined, mimeType: string, messageId: string): string {
	const named = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
	const name = named ? named[1].trim().replace(/[/\\]/g, '_') : '';
	return name || `recording-${messageId}.${EXTENSIONS[mimeType] ?? 'wav'}`;
}

export function readRecording(response: IN8nHttpFullResponse, messageId: string): RecordingFile {
	const data = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body as ArrayBuffer);
	const headers = response.headers as Record<string, unknown>;
	const mimeType = (header(headers, 'content-type') ?? 'audio/x-wav').split(';')[0].trim();
	return { data, mimeType, fileName: recordingFileName(header(headers, 'content-disposition'), mimeType, messageId) };
}
