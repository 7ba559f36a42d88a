/**
 * Reading a failed HighLevel request the way n8n hands it over: the HTTP status
 * HighLevel answered with (its Retry-After and its own words), or, when no
 * answer came, the network code and whether it means the request never left.
 * What a user sees of it is asserted on the n8n error the node throws
 * (toNodeApiError), so a misread shows up as the wrong message.
 */
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { type Connection, CREDENTIAL_TYPE } from '../nodes/HighLevel/api/connection';
import { DEFAULT_BASE_URL, type Endpoint, ENDPOINTS } from '../nodes/HighLevel/api/endpoints';
import { toNodeApiError } from '../nodes/HighLevel/api/errors';
import { highLevelMessage, neverReachedHighLevel, readFailure, retryAfterSeconds } from '../nodes/HighLevel/api/failure';

import { actionNode } from './helpers/action-node';

const node = actionNode();

const connection: Connection = {
	credentialType: CREDENTIAL_TYPE.privateIntegration,
	baseUrl: DEFAULT_BASE_URL,
	locationId: 'loc-1',
};

const SEND = ENDPOINTS.sendMessage;
const READ = ENDPOINTS.getMessage;

/** The n8n error the node throws for what the request helper threw. */
function shown(thrown: unknown, endpoint: Endpoint = READ): NodeApiError {
	return toNodeApiError({ node, endpoint, connection }, readFailure(thrown));
}

/** What n8n 1.x's request helper throws for a network error: the error wrapped, its code kept as httpCode. */
function wrapped(message: string, code: string): NodeApiError {
	return new NodeApiError(node, Object.assign(new Error(message), { code }) as unknown as JsonObject);
}

/** n8n's NodeApiError around something that is not an Error (only its words travel). */
function wrappedWords(message: string): NodeApiError {
	return new NodeApiError(node, { message });
}

/** An axios error with HighLevel's answer, with the fields axios 1.x gives it. */
function axiosError(status: number, data: unknown, headers: Record<string, string> = {}): Error {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		isAxiosError: true,
		code: status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
		status,
		response: { status, statusText: '', headers, data },
	});
}

const COULD_NOT_REACH = `Could not reach HighLevel at ${DEFAULT_BASE_URL}`;
const MAY_HAVE_GONE_OUT = 'No answer from HighLevel after the message was sent: it may have gone out';
const AFTER_IT_LEFT = 'The connection dropped or timed out after the request left';

describe('which network failures mean a send never went out', () => {
	// Written out from what each code means, not from the list in failure.ts: every
	// one is raised before any byte of the request reached HighLevel (no connection,
	// no address, no URL, or a TLS handshake this machine refused).
	const NEVER_LEFT: Array<[code: string, nodeMessage: string, meaning: string]> = [
		['ECONNREFUSED', 'connect ECONNREFUSED 203.0.113.10:443', 'the host refused the TCP connection: nothing listens there'],
		['ENOTFOUND', 'getaddrinfo ENOTFOUND services.leadconnectorhq.com', 'DNS knows no address for the host name'],
		['EAI_AGAIN', 'getaddrinfo EAI_AGAIN services.leadconnectorhq.com', 'the DNS lookup failed for now (resolver unreachable)'],
		['EHOSTUNREACH', 'connect EHOSTUNREACH 203.0.113.10:443', 'no route to the host'],
		['ENETUNREACH', 'connect ENETUNREACH 2001:db8::10:443', 'this machine has no route to that network'],
		['EADDRNOTAVAIL', 'connect EADDRNOTAVAIL 203.0.113.10:443 - Local (0.0.0.0:0)', 'no local address or port to connect from'],
		['ERR_INVALID_URL', 'Invalid URL', 'the URL could not be parsed, so no request was built'],
		['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", 'the certificate is for another host: handshake refused'],
		['CERT_HAS_EXPIRED', 'certificate has expired', 'the certificate expired: handshake refused'],
		['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'a self-signed server certificate: handshake refused'],
		['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'a self-signed certificate in the chain: handshake refused'],
		['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'the certificate cannot be verified: handshake refused'],
	];

	it.each(NEVER_LEFT)('%s (%s): the send is reported as not sent', (code, nodeMessage) => {
		const error = shown(wrapped(nodeMessage, code), SEND);
		expect(error.message).toBe(COULD_NOT_REACH);
		expect(error.description).toMatch(new RegExp(`^Nothing was sent \\(${code}, `));
		expect(neverReachedHighLevel(readFailure(wrapped(nodeMessage, code)))).toBe(true);
	});

	// Raised after the connection was made: HighLevel may have read the request.
	const MAY_HAVE_ARRIVED: Array<[code: string, nodeMessage: string, meaning: string]> = [
		['ECONNRESET', 'aborted', 'the server closed the connection while the answer was on its way'],
		['ECONNABORTED', 'timeout of 60000ms exceeded', "axios's timeout: the request went out, no answer in time"],
		['ETIMEDOUT', 'read ETIMEDOUT', 'the open connection went silent'],
		['EPIPE', 'write EPIPE', 'the server closed the connection while the request was being written'],
		['ERR_CANCELED', 'canceled', 'the execution was cancelled while the request was under way'],
	];

	it.each(MAY_HAVE_ARRIVED)('%s (%s): the send may have gone out', (code, nodeMessage) => {
		const error = shown(wrapped(nodeMessage, code), SEND);
		expect(error.message).toBe(MAY_HAVE_GONE_OUT);
		// The code is named even when the text does not carry it (Node's "aborted").
		expect(error.description).toMatch(new RegExp(`^${AFTER_IT_LEFT} \\(${code}, `));
	});

	it('an HTTP answer is never "not sent", whatever code came with it', () => {
		const failure = readFailure(Object.assign(axiosError(502, 'Bad Gateway'), { code: 'ECONNREFUSED' }));
		expect(failure.status).toBe(502);
		expect(neverReachedHighLevel(failure)).toBe(false);
	});
});

describe('the network code when n8n kept only the words', () => {
	// n8n replaces a known code's text with its own ("The DNS server returned an
	// error ...") and keeps the original among its messages; the code is read there.
	it('a DNS failure named only in the text: nothing was sent', () => {
		const error = shown(wrappedWords('getaddrinfo EAI_AGAIN services.leadconnectorhq.com'), SEND);
		expect(error.message).toBe(COULD_NOT_REACH);
		expect(error.description).toBe(
			"Nothing was sent (EAI_AGAIN, The DNS server returned an error, perhaps the server is offline). Check the API Base URL in the credential and this machine's network access.",
		);
	});

	it('an unreachable host named only in the text: nothing was sent', () => {
		expect(shown(wrappedWords('connect EHOSTUNREACH 203.0.113.10:443'), SEND).message).toBe(COULD_NOT_REACH);
	});

	it('a code that opens the original text is found right after n8n\'s own sentence', () => {
		expect(shown(wrappedWords('ECONNREFUSED'), SEND).message).toBe(COULD_NOT_REACH);
	});

	it('axios\'s timeout text: the send may have gone out (ECONNABORTED)', () => {
		const error = shown(wrappedWords('timeout of 300ms exceeded'), SEND);
		expect(error.message).toBe(MAY_HAVE_GONE_OUT);
		expect(error.description).toMatch(new RegExp(`^${AFTER_IT_LEFT} \\(ECONNABORTED, timeout of 300ms exceeded\\)\\. `));
	});

	it('"timed out" in any case counts as a timeout', () => {
		expect(shown(wrappedWords('Request Timed Out'), SEND).description).toContain('(ECONNABORTED, Request Timed Out)');
	});

	it('"socket hang up": the send may have gone out (ECONNRESET)', () => {
		const error = shown(wrappedWords('socket hang up'), SEND);
		expect(error.message).toBe(MAY_HAVE_GONE_OUT);
		expect(error.description).toMatch(new RegExp(`^${AFTER_IT_LEFT} \\(ECONNRESET, socket hang up\\)\\. `));
	});

	it('a capitalised two-letter word is not a code: "EU" stays text, the timeout is what counts', () => {
		expect(shown(wrappedWords('Read timed out at the EU edge'), SEND).description).toContain('(ECONNABORTED, Read timed out at the EU edge)');
	});

	it('text naming no code and no timeout: only the text, the send may have gone out', () => {
		const error = shown(wrappedWords('Request failed'), SEND);
		expect(error.message).toBe(MAY_HAVE_GONE_OUT);
		expect(error.description).toMatch(new RegExp(`^${AFTER_IT_LEFT} \\(Request failed\\)\\. `));
	});

	it('a code that is not an E... code (an aborted execution\'s ABORT_ERR) is not shown as one', () => {
		const aborted = Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
		expect(shown(aborted, SEND).description).toMatch(new RegExp(`^${AFTER_IT_LEFT} \\(This operation was aborted\\)\\. `));
	});

	it('a code that is not text is ignored (the text still counts)', () => {
		const odd = Object.assign(new Error('request failed'), { code: ['ECONNREFUSED'] });
		const error = shown(odd, SEND);
		expect(error.message).toBe(MAY_HAVE_GONE_OUT);
		expect(error.description).toMatch(new RegExp(`^${AFTER_IT_LEFT} \\(request failed\\)\\. `));
	});
});

describe('where HighLevel\'s answer is found in what n8n throws', () => {
	it('a bare axios error: the status and HighLevel\'s words', () => {
		const error = shown(axiosError(503, { message: 'Service Unavailable' }));
		expect(error.message).toBe('HighLevel failed to process the request (503): Service Unavailable');
		expect(error.httpCode).toBe('503');
	});

	it('the axios error inside n8n\'s wrapper (its cause): Retry-After still sets the wait', () => {
		// Older n8n versions keep the axios error as the cause; the wrapper has only n8n's words.
		const outer = Object.assign(new Error('The service is receiving too many requests from you'), {
			httpCode: '429',
			cause: axiosError(429, { message: 'Too many requests' }, { 'retry-after': '30' }),
		});
		expect(shown(outer).message).toBe("HighLevel's rate limit was reached (429): try again in 30 seconds");
	});

	it('n8n\'s wrapper around a plain object (its errorResponse): HighLevel\'s words', () => {
		const outer = new NodeApiError(node, {
			message: 'Request failed with status code 404',
			response: { status: 404, headers: {}, data: { message: 'Message not found' } },
		} as unknown as JsonObject);
		const error = shown(outer);
		expect(error.message).toBe(`Not found in HighLevel (404): ${READ.notFound}`);
		expect(error.description).toBe('HighLevel says: Message not found. Check the ID, and that the credential belongs to the same sub-account as the record.');
	});

	it('a request-library answer (statusCode, body)', () => {
		const error = shown({ message: '502 - "Bad Gateway"', response: { statusCode: 502, body: 'Bad Gateway' } });
		expect(error.message).toBe('HighLevel failed to process the request (502): Bad Gateway');
	});

	it('n8n 1.x\'s wrapper keeps only the status, as text, and the body: both are read', () => {
		const outer = new NodeApiError(node, axiosError(400, { message: 'contactId must be a valid id' }) as unknown as JsonObject);
		expect(outer.httpCode).toBe('400');
		expect(shown(outer, SEND).message).toBe('HighLevel rejected the request (400): contactId must be a valid id');
	});

	it('an answer without headers: the default wait', () => {
		const answer = Object.assign(new Error('Request failed'), { response: { status: 429 } });
		expect(shown(answer).message).toBe("HighLevel's rate limit was reached (429): try again in 10 seconds");
	});

	it('whatever was thrown, even null: "No answer" with "unknown error", not a crash', () => {
		const error = shown(null);
		expect(error.message).toBe('No answer from HighLevel');
		expect(error.description).toBe(
			"The connection dropped or timed out (unknown error). Try again; if it keeps happening, check the network and HighLevel's status page.",
		);
	});

	it('a wrapper without words of its own: the words (and code) of what it wraps', () => {
		const outer = { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) };
		expect(shown(outer).description).toBe(
			"The connection dropped or timed out (ECONNRESET, socket hang up). Try again; if it keeps happening, check the network and HighLevel's status page.",
		);
	});
});

describe('what counts as an HTTP status', () => {
	// HTTP statuses are the three-digit numbers 100-599; n8n keeps them as text.
	it.each([
		[100, 'HighLevel answered 100'],
		[599, 'HighLevel failed to process the request (599)'],
		['404', `Not found in HighLevel (404): ${READ.notFound}`],
	])('%p is HighLevel\'s answer', (status, message) => {
		expect(shown({ message: 'Request failed', response: { status } }).message).toBe(message);
		expect(shown({ message: 'Request failed', httpCode: status }).message).toBe(message);
	});

	// Anything else is not an answer: the failure reads as "no answer".
	it.each([0, 99, 600, 502.5, ' 502', '502 ', '502.0', '0x1F6', [502]])('%p is not a status', (status) => {
		expect(shown({ message: 'Request failed', response: { status } }).message).toBe('No answer from HighLevel');
		expect(shown({ message: 'Request failed', httpCode: status }).message).toBe('No answer from HighLevel');
	});
});

describe('HighLevel\'s own words', () => {
	it('from JSON: message, else msg, else error; a list (422) joined', () => {
		expect(highLevelMessage({ statusCode: 400, message: 'Bad phone' })).toBe('Bad phone');
		expect(highLevelMessage({ msg: 'Bad phone', error: 'Bad Request' })).toBe('Bad phone');
		expect(highLevelMessage({ message: ['a', 'b'] })).toBe('a; b');
		expect(highLevelMessage(Buffer.from('{"error":"invalid_grant"}'))).toBe('invalid_grant');
	});

	it('an empty message gives way to the error name', () => {
		expect(highLevelMessage({ message: '', error: 'Unauthorized' })).toBe('Unauthorized');
	});

	it('no words at all: the error names only the status', () => {
		expect(highLevelMessage({ statusCode: 400 })).toBeNull();
		expect(highLevelMessage(undefined)).toBeNull();
		expect(highLevelMessage(null)).toBeNull();
		expect(highLevelMessage('null')).toBeNull();
		expect(highLevelMessage('   ')).toBeNull();
		expect(toNodeApiError({ node, endpoint: READ, connection }, { status: 400, headers: {}, body: {}, code: null, message: 'HTTP 400' }).message).toBe(
			'HighLevel rejected the request (400)',
		);
		expect(toNodeApiError({ node, endpoint: READ, connection }, { status: 500, headers: {}, body: null, code: null, message: 'HTTP 500' }).message).toBe(
			'HighLevel failed to process the request (500)',
		);
	});

	it('plain text (a proxy\'s page): trimmed, at most 500 characters', () => {
		expect(highLevelMessage('\n  upstream timeout \n')).toBe('upstream timeout');
		const page = `<html><body>${'Bad Gateway '.repeat(60)}</body></html>`;
		expect(highLevelMessage(page)).toBe(page.slice(0, 500));
	});
});

describe('how long to wait after a 429 (Retry-After)', () => {
	const now = Date.parse('2026-11-25T10:00:00Z');

	it('seconds, as text or a number, never negative', () => {
		expect(retryAfterSeconds({ 'Retry-After': '7' }, now)).toBe(7);
		expect(retryAfterSeconds({ 'retry-after': ' 7 ' }, now)).toBe(7);
		expect(retryAfterSeconds({ 'retry-after': 30 }, now)).toBe(30);
		expect(retryAfterSeconds({ 'retry-after': -5 }, now)).toBe(0);
		expect(retryAfterSeconds({ 'retry-after': ['20'] }, now)).toBe(20);
	});

	it('fractions of a second are kept (not read as a date)', () => {
		expect(retryAfterSeconds({ 'retry-after': '1.25' }, now)).toBe(1.25);
		expect(retryAfterSeconds({ 'retry-after': '1.5' }, now)).toBe(1.5);
	});

	it('an HTTP date, also with a numeric zone', () => {
		expect(retryAfterSeconds({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }, now)).toBe(30);
		expect(retryAfterSeconds({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 +0000' }, now)).toBe(30);
		expect(retryAfterSeconds({ 'retry-after': 'Wed, 25 Nov 2026 09:00:00 GMT' }, now)).toBe(0);
	});

	it('nothing readable: no wait given, so the 10-second default applies', () => {
		for (const value of ['soon', '30 seconds', '', '   ']) {
			expect(retryAfterSeconds({ 'retry-after': value }, now)).toBeNull();
		}
		expect(retryAfterSeconds({}, now)).toBeNull();
		const limited = Object.assign(new Error('Request failed'), { response: { status: 429, headers: { 'retry-after': '30 seconds' } } });
		expect(shown(limited).message).toBe("HighLevel's rate limit was reached (429): try again in 10 seconds");
	});
});
