/**
 * The request body as a JSON object, or a 400 message saying what is wrong.
 *
 * n8n has already parsed JSON bodies by the time the node runs; the raw bytes
 * are only parsed again when n8n could not (a body it left as text or Buffer).
 */
import { isJsonObject, type JsonObject } from '../schema';

export type BodyResult = { ok: true; body: JsonObject } | { ok: false; message: string };

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'an array';
	if (value === null) return 'null';
	return `a ${typeof value}`;
}

export function isJsonContentType(contentType: string | undefined): boolean {
	if (!contentType) return false;
	const mediaType = contentType.split(';', 1)[0].trim().toLowerCase();
	return mediaType === 'application/json' || mediaType.endsWith('+json');
}

export function readJsonBody(
	contentType: string | undefined,
	rawBody: Buffer | undefined,
	parsedBody: unknown,
): BodyResult {
	if (rawBody !== undefined && rawBody.length === 0) {
		return { ok: false, message: 'The request body is empty; HighLevel sends a JSON object.' };
	}
	if (!isJsonContentType(contentType)) {
		return {
			ok: false,
			message: `Content-Type must be application/json, got ${contentType ? `"${contentType.slice(0, 100)}"` : 'none'}.`,
		};
	}
	let value = parsedBody;
	if (!isJsonObject(value) || (rawBody !== undefined && Object.keys(value).length === 0)) {
		if (rawBody === undefined) {
			return isJsonObject(value)
				? { ok: true, body: value }
				: { ok: false, message: `The request body must be a JSON object, got ${describe(value)}.` };
		}
		try {
			value = JSON.parse(rawBody.toString('utf8'));
		} catch (error) {
			return {
				ok: false,
				message: `The request body is not valid JSON (${(error as Error).message.slice(0, 200)}).`,
			};
		}
	}
	if (!isJsonObject(value)) {
		return { ok: false, message: `The request body must be a JSON object, got ${describe(value)}.` };
	}
	return { ok: true, body: value };
}
