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
