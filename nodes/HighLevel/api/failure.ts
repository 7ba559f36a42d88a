/**
 * What went wrong with one request: an HTTP answer (status, headers, body) or
 * no answer at all (a network code).
 *
 * The request helper is asked not to throw on HTTP errors, so that headers such
 * as Retry-After survive (n8n's NodeApiError keeps no response headers). What it
 * still throws (no answer, or a failed OAuth2 refresh) is read from wherever the
 * n8n version at hand put it.
 */
import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';

export interface Failure {
	/** HTTP status, or null when no answer came back. */
	status: number | null;
	headers: IDataObject;
	body: unknown;
	/** Node / axios error code (ECONNRESET, ECONNABORTED, ...) when there was no answer. */
	code: string | null;
	message: string;
}

interface ErrorLike {
	message?: unknown;
	messages?: unknown;
	code?: unknown;
	httpCode?: unknown;
	cause?: unknown;
	errorResponse?: unknown;
	response?: { status?: unknown; headers?: unknown; data?: unknown; body?: unknown; statusCode?: unknown };
	context?: { data?: unknown };
}

function asErrorLike(value: unknown): ErrorLike {
	return typeof value === 'object' && value !== null ? (value as ErrorLike) : {};
}

function statusOf(value: unknown): number | null {
	const number = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
	// Number.isInteger is false for anything but a number.
	return Number.isInteger(number) && (number as number) >= 100 && (number as number) <= 599 ? (number as number) : null;
}

/** The network code, from the error or, once n8n has rewritten the message, from the original text. */
function codeOf(errors: ErrorLike[], texts: string[]): string | null {
	for (const error of errors) {
		for (const candidate of [error.code, error.httpCode]) {
			// TLS certificate codes (CERT_HAS_EXPIRED, ...) do not start with E.
			// Stryker disable next-line Regex: the end anchor only differs on a code with text after it, and Node, axios and n8n give none
			if (typeof candidate === 'string' && (/^E[A-Z_]+$/.test(candidate) || NEVER_SENT_CODES.has(candidate))) return candidate;
		}
	}
	const text = texts.join(' ');
	const named = /\b(E[A-Z]{2,}[A-Z_]*)\b/.exec(text);
	if (named) return named[1];
	if (/timeout|timed out/i.test(text)) return 'ECONNABORTED';
	if (/socket hang up/i.test(text)) return 'ECONNRESET';
	return null;
}

export function failureOfResponse(response: IN8nHttpFullResponse): Failure {
	return {
		status: response.statusCode,
		headers: (response.headers ?? {}) as IDataObject,
		body: response.body,
		code: null,
		// Stryker disable next-line StringLiteral: a failure's own message is shown only when it has no status, and this one always has one
		message: `HTTP ${response.statusCode}`,
	};
}

export function readFailure(error: unknown): Failure {
	const outer = asErrorLike(error);
	const layers = [outer, asErrorLike(outer.cause), asErrorLike(outer.errorResponse)];
	const response = layers.map((layer) => layer.response).find((candidate) => candidate !== undefined);
	const status =
		statusOf(response?.status) ?? statusOf(response?.statusCode) ?? statusOf(outer.httpCode);
	const texts = layers
		.flatMap((layer) => [layer.message, ...(Array.isArray(layer.messages) ? layer.messages : [])])
		.filter((text): text is string => typeof text === 'string');
	return {
		status,
		headers: (response?.headers as IDataObject | undefined) ?? {},
		body: response?.data ?? response?.body ?? outer.context?.data,
		// Stryker disable next-line ConditionalExpression: the code is read only for failures without a status
		code: status === null ? codeOf(layers, texts) : null,
		message: texts[0] ?? 'unknown error',
	};
}

/** HighLevel's own words: `message` (a string, or a list for 422), else `error`, else the text. */
export function highLevelMessage(body: unknown): string | null {
	let value = body;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (typeof value === 'string') {
		const text = value;
		try {
			value = JSON.parse(text);
		} catch {
			return text.trim().slice(0, 500) || null;
		}
	}
	if (typeof value !== 'object' || value === null) return null;
	const { message, error, msg } = value as IDataObject;
	const pick = [message, msg, error].find(
		(candidate) => (typeof candidate === 'string' && candidate !== '') || Array.isArray(candidate),
	);
	if (Array.isArray(pick)) return pick.map(String).join('; ') || null;
	return typeof pick === 'string' ? pick : null;
}

/** Seconds to wait from `Retry-After` (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterSeconds(headers: IDataObject, now = Date.now()): number | null {
	const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after');
	const value = Array.isArray(entry?.[1]) ? entry[1][0] : entry?.[1];
	if (typeof value === 'number') return Math.max(0, value);
	// Stryker disable next-line ConditionalExpression,MethodExpression,StringLiteral: blank text fails the number test and Date.parse below as well
	if (typeof value !== 'string' || value.trim() === '') return null;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.max(0, Number(value));
	const date = Date.parse(value);
	return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Codes that mean the request never reached HighLevel (no connection, no DNS
 * answer, bad URL). Anything else without an answer may have arrived.
 */
const NEVER_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
	'ERR_INVALID_URL',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

export function neverReachedHighLevel(failure: Failure): boolean {
	// Stryker disable next-line ConditionalExpression,LogicalOperator: NEVER_SENT_CODES has no null, and a failure has a code only when it has no status
	return failure.status === null && failure.code !== null && NEVER_SENT_CODES.has(failure.code);
}
