/**
 * The request body as a JSON object, or a 400 message saying what is wrong.
 *
 * The body is parsed from the raw bytes n8n received, the same bytes the
 * signature was verified on, decoded as UTF-8 whatever `charset` the
 * Content-Type names: that header is not signed, so honouring it would let a
 * relay change the text of a signed message. n8n's own parsed copy is used
 * only when there are no raw bytes.
 */
import { isJsonObject, type JsonObject } from '../schema';

/** `message` is for the sender; `log` (parser details) for the n8n admin's log. */
export type BodyResult = { ok: true; body: JsonObject } | { ok: false; message: string; log: string };

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'an array';
	if (value === null) return 'null';
	return `a ${typeof value}`;
}

function refuse(message: string, log = message): BodyResult {
	return { ok: false, message, log };
}

export function isJsonContentType(contentType: string | undefined): boolean {
	if (!contentType) return false;
	const mediaType = contentType.split(';', 1)[0].trim().toLowerCase();
	return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** Where the parser stopped, in words a sender can use; never the parser's own text. */
function whereInvalid(parserMessage: string): string {
	if (parserMessage.includes('Unexpected end')) return ' (it ends too early)';
	const position = /at position (\d{1,12})/.exec(parserMessage);
	return position ? ` (at character ${position[1]})` : '';
}

/**
 * The exact bytes as a JSON object: UTF-8 (a leading byte order mark is
 * skipped; invalid sequences become U+FFFD, as in any UTF-8 reader).
 */
export function parseJsonBytes(raw: Buffer): BodyResult {
	if (raw.length === 0) return refuse('The request body is empty; HighLevel sends a JSON object.');
	// Stryker disable next-line ConditionalExpression: past the end a Buffer reads undefined, which is not a BOM byte either
	const bom = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
	const text = raw.toString('utf8', bom ? 3 : 0);
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		const parserMessage = (error as Error).message;
		// Stryker disable next-line MethodExpression: a guard; V8's JSON.parse messages quote at most a few characters of the body
		return refuse(`The request body is not valid JSON${whereInvalid(parserMessage)}.`, `JSON.parse: ${parserMessage.slice(0, 300)}`);
	}
	return isJsonObject(value)
		? { ok: true, body: value }
		: refuse(`The request body must be a JSON object, got ${describe(value)}.`);
}

/**
 * What the node calls with the request: `readJsonBody(request.headers['content-type'],
 * request.rawBody, request.body)`. With raw bytes (every JSON request in n8n),
 * those are parsed; without them, n8n's parsed body is taken as it is.
 */
export function readJsonBody(
	contentType: string | undefined,
	rawBody: Buffer | undefined,
	parsedBody: unknown,
): BodyResult {
	const raw = Buffer.isBuffer(rawBody) ? rawBody : undefined;
	if (raw !== undefined && raw.length === 0) return parseJsonBytes(raw);
	if (!isJsonContentType(contentType)) {
		return refuse(`Content-Type must be application/json, got ${contentType ? `"${contentType.slice(0, 100)}"` : 'none'}.`);
	}
	if (raw !== undefined) return parseJsonBytes(raw);
	return isJsonObject(parsedBody)
		? { ok: true, body: parsedBody }
		: refuse(`The request body must be a JSON object, got ${describe(parsedBody)}.`);
}
