/**
 * Linear-time parsing of every field (issue 11, point 5): long adversarial
 * inputs (200,000 characters) in each field the sender controls, each with its
 * exact result. Work runs under withinDeadline, so super-linear code fails the
 * test instead of stalling the suite (a jest timeout cannot stop synchronous code).
 */
import { withinDeadline } from './helpers/deadline.cjs';
import { readExample } from './helpers/io.cjs';
import { detectChannel } from '../nodes/HighLevel/channel';
import { decodeEntities, htmlToText } from '../nodes/HighLevel/html-to-text';
import { eventTime, splitAddress, toMessage, type MessageItem } from '../nodes/HighLevel/normalize';
import { toText, toTextList } from '../nodes/HighLevel/schema';
import { isJsonContentType, readJsonBody } from '../nodes/HighLevel/trigger/request-body';
import { builtInKeys, headerValue, verifyHighLevelSignature } from '../nodes/HighLevel/trigger/signature';

const N = 200_000;

function itemOf(body: Record<string, unknown>): MessageItem {
	const result = toMessage(body);
	if (!result.ok) throw new Error('not a message');
	return result.item;
}

const email = (fields: Record<string, unknown>) => ({ ...readExample('inbound-email-to-string-cclist').json, ...fields });

describe('sender addresses', () => {
	it.each<[string, string, string | null, string | null]>([
		['200,000 spaces', ' '.repeat(N), null, null],
		['200,000 spaces, then an address', `${' '.repeat(N)}<a@b.c>`, null, 'a@b.c'],
		['a name of 200,000 spaces and letters', `"${'a '.repeat(N / 2)}" <a@b.c>`, 'a '.repeat(N / 2).trim(), 'a@b.c'],
		['200,000 "<"', '<'.repeat(N), null, '<'.repeat(N)],
		['100,000 " <" and a ">"', `${' <'.repeat(N / 2)}>`, ' <'.repeat(N / 2 - 1).trim(), null],
		['a run of spaces before "<" without a ">"', `a${' '.repeat(N)}<b`, null, `a${' '.repeat(N)}<b`],
		['spaces between "<" and ">"', `x <${' '.repeat(N)}>`, 'x', null],
	])('%s', (_name, from, name, address) => {
		expect(withinDeadline(() => splitAddress(from))).toEqual({ name, address });
	});

	it('a 200,000-character email sender goes through toMessage whole', () => {
		const item = withinDeadline(() => itemOf(email({ from: `${' '.repeat(N)}Jane <jane@example.com>` })));
		expect(item.email).toMatchObject({ fromName: 'Jane', fromAddress: 'jane@example.com' });
		expect(item.from).toBe('Jane <jane@example.com>');
	});

	it('a workflow webhook sender of 200,000 spaces', () => {
		const body = { ...readExample('workflow-webhook-customer-replied').json, customData: { messageType: 'Email', from: ' '.repeat(N) } };
		expect(withinDeadline(() => itemOf(body)).email).toMatchObject({ fromName: null, fromAddress: null });
	});
});

describe('address lists', () => {
	it('to, cc and bcc strings of 200,000 separators and addresses', () => {
		const item = withinDeadline(() =>
			itemOf(email({ to: ','.repeat(N), cc: ' , '.repeat(N / 3), bcc: 'x@y.z,'.repeat(N / 6), ccList: [], bccList: [] })),
		);
		expect(item.to).toEqual([]);
		expect(item.email?.cc).toEqual([]);
		expect(item.email?.bcc).toEqual(['x@y.z']);
	});

	it('a ccList of 50,000 addresses, mostly repeated, merged with cc', () => {
		const ccList = Array.from({ length: 50_000 }, (_, index) => `person${index % 100}@example.com`);
		const item = withinDeadline(() => itemOf(email({ cc: 'person1@example.com', ccList })));
		expect(item.email?.cc).toHaveLength(100);
		expect(item.email?.cc[0]).toBe('person1@example.com');
	});

	it('toTextList on a 200,000-character string and array', () => {
		expect(withinDeadline(() => toTextList(`a,${' '.repeat(N)},b`))).toEqual(['a', 'b']);
		expect(withinDeadline(() => toTextList(new Array(N).fill(' ')))).toEqual([]);
	});
});

describe('email HTML', () => {
	it.each<[string, string, string]>([
		['100,000 "<1" before one ">"', `<p>${'<1'.repeat(N / 2)}>`, `${'<1'.repeat(N / 2)}>`],
		['200,000 "<"', `<p>x</p>${'<'.repeat(N)}`, `x\n\n${'<'.repeat(N)}`],
		['100,000 unclosed tags', `<p>x</p>${'<a'.repeat(N / 2)}`, `x\n\n${'<a'.repeat(N / 2)}`],
		['50,000 unclosed comments', `<p>x</p>${'<!--'.repeat(N / 4)}`, 'x'],
		['100,000 "<!" before one ">"', `<p>x</p>${'<!'.repeat(N / 2)}>y`, 'x\n\ny'],
		['a script that never closes', `<p>x</p><script>${'<1'.repeat(N / 2)}`, 'x'],
		['50,000 paragraphs', `${'<p>'.repeat(N / 4)}x`, 'x'],
		['200,000 spaces inside a tag', `<p${' '.repeat(N)}>x</p>`, 'x'],
		['200,000 "&"', `<p>${'&'.repeat(N)}</p>`, '&'.repeat(N)],
		['50,000 unterminated entities', `<p>${'&amp'.repeat(N / 4)}</p>`, '&amp'.repeat(N / 4)],
		['200,000 spaces of text', `<p>a${' '.repeat(N)}b</p>`, 'a b'],
		['200,000 line breaks', `<p>a</p>${'<br>'.repeat(N / 4)}b`, 'a\n\nb'],
	])('%s', (_name, html, text) => {
		expect(withinDeadline(() => htmlToText(html))).toBe(text);
	});

	// The former scan searched for the '>' again from every '<': quadratic.
	it('4,000,000 characters of lone "<" before one far ">"', () => {
		const run = '<1'.repeat(2_000_000);
		expect(withinDeadline(() => htmlToText(`<p>${run}>`))).toBe(`${run}>`);
	});

	it('plain text of 200,000 blank lines and spaces', () => {
		expect(withinDeadline(() => htmlToText(`a${'\n \t'.repeat(N / 3)}b`))).toBe('a\n\nb');
		expect(withinDeadline(() => decodeEntities('&#'.repeat(N / 2)))).toBe('&#'.repeat(N / 2));
	});

	it('a 200,000-character email body goes through toMessage', () => {
		const item = withinDeadline(() => itemOf(email({ body: `<div>Hi</div>${'<1'.repeat(N / 2)}>` })));
		expect(item.text).toBe(`Hi\n${'<1'.repeat(N / 2)}>`);
	});
});

describe('other fields', () => {
	it('a value nested 100,000 arrays deep is unwrapped without overflowing the stack', () => {
		const nested = JSON.parse(`${'['.repeat(100_000)}"MESSAGE_ID"${']'.repeat(100_000)}`);
		expect(withinDeadline(() => toText(nested))).toBe('MESSAGE_ID');
		const item = withinDeadline(() => itemOf({ ...readExample('inbound-sms').json, messageId: nested }));
		expect(item.messageId).toBe('MESSAGE_ID');
	});

	it('message types, statuses and timestamps of 200,000 characters', () => {
		expect(withinDeadline(() => detectChannel({ messageType: `TYPE_${'_'.repeat(N)}SMS`, status: 'v'.repeat(N) }))).toBe('Other');
		const item = withinDeadline(() =>
			itemOf({ ...readExample('inbound-sms').json, messageType: ' - '.repeat(N / 3), timestamp: '2'.repeat(N), direction: ' '.repeat(N) }),
		);
		expect([item.channel, item.direction]).toEqual(['SMS', null]);
		// An unreadable timestamp falls back to dateAdded rather than switching the age check off.
		expect(withinDeadline(() => eventTime(item))).toBe(Date.parse(readExample('inbound-sms').json.dateAdded as string));
	});
});

describe('request headers and body', () => {
	it('a Content-Type of 200,000 characters', () => {
		expect(withinDeadline(() => isJsonContentType(`application/json;${' ;'.repeat(N / 2)}`))).toBe(true);
		const result = withinDeadline(() => readJsonBody(`text/${'x'.repeat(N)}`, Buffer.from('{}'), {}));
		expect(result.ok).toBe(false);
	});

	it('a body of 200,000 nested objects and long strings', () => {
		const raw = Buffer.from(`{"a":${'{"b":'.repeat(10_000)}"${' '.repeat(N)}"${'}'.repeat(10_000)}}`);
		const result = withinDeadline(() => readJsonBody('application/json', raw, undefined));
		expect(result.ok).toBe(true);
	});

	it('signature headers of 200,000 characters are refused without decoding them', () => {
		const headers = { 'x-ghl-signature': 'A'.repeat(N), 'x-wh-signature': 'B'.repeat(N) };
		expect(withinDeadline(() => headerValue(` ${' '.repeat(N)}N/A `))).toBeUndefined();
		const verdict = withinDeadline(() => verifyHighLevelSignature(Buffer.from('{}'), headers, builtInKeys(), true));
		expect(verdict.ok).toBe(false);
	});
});
