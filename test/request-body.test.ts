/**
 * The body the node parses is the exact verified bytes (issue 11, point 5), and
 * a 400 says what a sender needs without the parser's own wording (point 7).
 */
import { callWebhook, makeTestKeys, signEd25519, testKeyCredential } from './helpers/harness';
import { readExample } from './helpers/io.cjs';
import { parseJsonBytes, readJsonBody } from '../nodes/HighLevel/trigger/request-body';

const bodyOf = (result: ReturnType<typeof readJsonBody>) => (result.ok ? result.body : result.message);

describe('the raw bytes are what is parsed', () => {
	const utf8 = Buffer.from('{"type":"InboundMessage","body":"Café ✓"}', 'utf8');
	// What a body parser makes of those bytes when the (unsigned) header says latin1.
	const latin1Copy = JSON.parse(utf8.toString('latin1'));

	it('an unsigned charset in Content-Type does not change the text of the signed bytes', () => {
		expect(latin1Copy.body).not.toBe('Café ✓');
		expect(bodyOf(readJsonBody('application/json; charset=latin1', utf8, latin1Copy))).toEqual({ type: 'InboundMessage', body: 'Café ✓' });
		expect(bodyOf(readJsonBody('application/json; charset=utf-16', utf8, latin1Copy))).toEqual({ type: 'InboundMessage', body: 'Café ✓' });
	});

	it("n8n's parsed copy is ignored whenever raw bytes exist", () => {
		expect(bodyOf(readJsonBody('application/json', Buffer.from('{"a":1}'), { a: 2, injected: true }))).toEqual({ a: 1 });
		expect(bodyOf(readJsonBody('application/json', Buffer.from('[1]'), { a: 1 }))).toBe('The request body must be a JSON object, got an array.');
	});

	it('without raw bytes, the parsed body is used as before', () => {
		expect(bodyOf(readJsonBody('application/json', undefined, { a: 1 }))).toEqual({ a: 1 });
		expect(bodyOf(readJsonBody('application/json', undefined, 'text'))).toBe('The request body must be a JSON object, got a string.');
		expect(bodyOf(readJsonBody('text/plain', undefined, { a: 1 }))).toBe('Content-Type must be application/json, got "text/plain".');
	});

	it('a UTF-8 byte order mark is skipped; invalid UTF-8 is read as U+FFFD, not refused', () => {
		expect(bodyOf(parseJsonBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])))).toEqual({ a: 1 });
		expect(bodyOf(parseJsonBytes(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])))).toEqual({ a: '\ufffd' });
	});

	it('through webhook(): a signed body sent with a charset parameter runs with the signed text', async () => {
		const keys = makeTestKeys();
		const raw = JSON.stringify({ ...readExample('inbound-sms').json, body: 'Café ✓', appId: 'example-app', timestamp: new Date().toISOString() });
		const answer = await callWebhook({
			body: raw,
			contentType: 'application/json; charset=latin1',
			headers: { 'x-ghl-signature': signEd25519(keys, raw) },
			parameters: { authentication: 'highLevelSignature', appIds: 'example-app' },
			credentials: testKeyCredential(keys),
		});
		expect(answer.status).toBe(200);
		expect(answer.item?.text).toBe('Café ✓');
	});
});

describe('400 messages: what a sender needs, no parser wording', () => {
	it.each([
		['{"type": "InboundMessage",', 'The request body is not valid JSON (at character 26).'],
		['{"type": "InboundMessage"', 'The request body is not valid JSON (at character 25).'],
		['{', 'The request body is not valid JSON (at character 1).'],
		['{"a":[1,', 'The request body is not valid JSON (it ends too early).'],
		['{"a":}', 'The request body is not valid JSON.'],
		['{"a":1 "b":2}', 'The request body is not valid JSON (at character 7).'],
		['{"a":1}x', 'The request body is not valid JSON (at character 7).'],
		['', 'The request body is empty; HighLevel sends a JSON object.'],
		['null', 'The request body must be a JSON object, got null.'],
	])('%p', (raw, message) => {
		const result = readJsonBody('application/json', Buffer.from(raw), undefined);
		expect(result).toMatchObject({ ok: false, message });
		if (!result.ok && raw.length > 1 && message.includes('not valid JSON')) {
			// The admin's log keeps the parser's own words.
			expect(result.log).toMatch(/^JSON\.parse: /);
			expect(result.message).not.toMatch(/Unexpected|token|JSON\.parse|property value/);
		}
	});
});

describe('Content-Type, byte order mark and empty bodies', () => {
	const json = Buffer.from('{"a":1}');
	it('JSON media types in any case, with parameters or spaces, and +json types are JSON', () => {
		for (const type of ['application/json', 'Application/JSON; charset=utf-8', ' application/json ;x=1', 'application/vnd.highlevel+json', 'APPLICATION/PROBLEM+JSON']) {
			expect([type, bodyOf(readJsonBody(type, json, undefined))]).toEqual([type, { a: 1 }]);
		}
	});
	it('anything else, or none, is refused and named (at most 100 characters of it)', () => {
		expect(bodyOf(readJsonBody(undefined, json, undefined))).toBe('Content-Type must be application/json, got none.');
		expect(bodyOf(readJsonBody('', json, undefined))).toBe('Content-Type must be application/json, got none.');
		expect(bodyOf(readJsonBody('application/json-seq', json, undefined))).toBe('Content-Type must be application/json, got "application/json-seq".');
		expect(bodyOf(readJsonBody('+json/text', json, undefined))).toBe('Content-Type must be application/json, got "+json/text".');
		expect(bodyOf(readJsonBody(`text/${'x'.repeat(300)}`, json, undefined))).toBe(`Content-Type must be application/json, got "text/${'x'.repeat(95)}".`);
	});
	it('an empty body is called empty, whatever its Content-Type', () => {
		for (const type of ['text/plain', undefined, 'application/json']) {
			expect(bodyOf(readJsonBody(type, Buffer.alloc(0), {}))).toBe('The request body is empty; HighLevel sends a JSON object.');
		}
	});
	it('only the three bytes of a UTF-8 byte order mark are skipped; other leading bytes are part of the body', () => {
		expect(bodyOf(parseJsonBytes(Buffer.from([0xef, 0xbb, 0xbf])))).toBe('The request body is not valid JSON (it ends too early).');
		for (const prefix of [[0x20, 0xbb, 0xbf], [0xef, 0x20, 0xbf], [0xef, 0xbb, 0x20], [0x20, 0x20, 0xbf], [0x20, 0xbb, 0x20], [0xef, 0x20, 0x20]]) {
			const result = parseJsonBytes(Buffer.concat([Buffer.from(prefix), json]));
			expect([prefix, result.ok]).toEqual([prefix, false]);
		}
	});
});
