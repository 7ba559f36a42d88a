/**
 * Stale replay: a captured signed delivery does not run once it is older than
 * Maximum Event Age, which is on by default (24 hours, above HighLevel's retry
 * span: its retries re-send the original `timestamp`). The age is taken from the
 * envelope's `timestamp`, else the message's `dateAdded`.
 */
import { randomUUID } from 'crypto';
import type { INodeParameters } from 'n8n-workflow';

import { callWebhook, makeTestKeys, signedCall, type TestKeys } from './helpers/harness';
import { readExample } from './helpers/io.cjs';

const MY_APP = '6878cec452e7c8d29d4dd3d9';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Every test runs at this instant (only Date is faked; timers run as usual). */
const NOW = Date.parse('2026-11-20T12:00:00.000Z');

let keys: TestKeys;
beforeAll(() => {
	keys = makeTestKeys();
});
beforeEach(() => {
	jest.useFakeTimers({
		now: NOW,
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'requestAnimationFrame',
			'cancelAnimationFrame',
			'requestIdleCallback',
			'cancelIdleCallback',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
	});
});
afterEach(() => {
	jest.useRealTimers();
});

const iso = (time: number) => new Date(time).toISOString();

/** A delivery of the user's app whose times are as given (null: field absent). */
function delivery(times: { timestamp: number | null; dateAdded: number | null }) {
	const body: Record<string, unknown> = { ...readExample('inbound-sms').json, appId: MY_APP, webhookId: randomUUID() };
	delete body.dateAdded;
	if (times.timestamp !== null) body.timestamp = iso(times.timestamp);
	if (times.dateAdded !== null) body.dateAdded = iso(times.dateAdded);
	return body;
}

async function send(body: unknown, parameters: INodeParameters = {}) {
	return await callWebhook(signedCall(keys, body, { parameters: { appIds: MY_APP, ...parameters } }));
}

const TOO_OLD = { received: true, started: false, reason: 'event too old' };

describe('Maximum Event Age, on by default', () => {
	it('a signed delivery captured 25 hours ago is acknowledged and does not run; a fresh one, or a retry hours later, runs', async () => {
		const old = await send(delivery({ timestamp: NOW - 25 * HOUR, dateAdded: NOW - 25 * HOUR }));
		expect([old.status, old.started]).toEqual([200, false]);
		expect(old.body).toEqual(TOO_OLD);
		const fresh = await send(delivery({ timestamp: NOW - 2000, dateAdded: NOW - 2500 }));
		expect([fresh.status, fresh.started]).toEqual([200, true]);
		// HighLevel's retries re-send the original timestamp, hours later.
		const retried = await send(delivery({ timestamp: NOW - 6 * HOUR, dateAdded: NOW - 6 * HOUR }));
		expect(retried.started).toBe(true);
	});

	it('the boundary: exactly 24 hours old still runs, a millisecond more does not', async () => {
		expect((await send(delivery({ timestamp: NOW - 24 * HOUR, dateAdded: null }))).started).toBe(true);
		expect((await send(delivery({ timestamp: NOW - 24 * HOUR - 1, dateAdded: null }))).body).toEqual(TOO_OLD);
	});

	it('the boundary of a configured age (10 minutes), and 0 turns the check off', async () => {
		const tenMinutes = { options: { maxEventAgeMinutes: 10 } };
		expect((await send(delivery({ timestamp: NOW - 10 * MINUTE, dateAdded: null }), tenMinutes)).started).toBe(true);
		expect((await send(delivery({ timestamp: NOW - 10 * MINUTE - 1, dateAdded: null }), tenMinutes)).body).toEqual(TOO_OLD);
		const off = { options: { maxEventAgeMinutes: 0 } };
		expect((await send(delivery({ timestamp: NOW - 400 * 24 * HOUR, dateAdded: null }), off)).started).toBe(true);
		// Cleared in the editor (no value): the default, not "off".
		expect((await send(delivery({ timestamp: NOW - 25 * HOUR, dateAdded: null }), { options: {} })).body).toEqual(TOO_OLD);
	});
});

describe('which time counts: timestamp, else dateAdded', () => {
	it('the envelope timestamp decides when present', async () => {
		// A message written long ago but delivered now (an old message's status update).
		expect((await send(delivery({ timestamp: NOW - 1000, dateAdded: NOW - 72 * HOUR }))).started).toBe(true);
		// A captured delivery: its timestamp is old, whatever dateAdded says.
		expect((await send(delivery({ timestamp: NOW - 25 * HOUR, dateAdded: NOW - 1000 }))).body).toEqual(TOO_OLD);
	});

	it('without a timestamp, dateAdded decides', async () => {
		expect((await send(delivery({ timestamp: null, dateAdded: NOW - 25 * HOUR }))).body).toEqual(TOO_OLD);
		expect((await send(delivery({ timestamp: null, dateAdded: NOW - 24 * HOUR }))).started).toBe(true);
		expect((await send(delivery({ timestamp: null, dateAdded: NOW - 1000 }))).started).toBe(true);
	});

	it('the recorded examples are old deliveries: refused by default', async () => {
		for (const name of ['inbound-sms', 'inbound-call-answered', 'outbound-sms-failed-real-envelope']) {
			const body = { ...readExample(name).json, appId: MY_APP };
			const answer = await send(body, { events: ['InboundMessage', 'OutboundMessage'] });
			expect([name, answer.status, answer.body?.reason]).toEqual([name, 200, 'event too old']);
		}
	});
});

describe('Maximum Event Age (Minutes) as an expression may give it', () => {
	const age = (maxEventAgeMinutes: unknown) => ({ options: { maxEventAgeMinutes } }) as INodeParameters;
	it('a number in text counts like the number', async () => {
		expect((await send(delivery({ timestamp: NOW - 10 * MINUTE, dateAdded: null }), age('10'))).started).toBe(true);
		expect((await send(delivery({ timestamp: NOW - 10 * MINUTE - 1, dateAdded: null }), age(' 10 '))).body).toEqual(TOO_OLD);
		expect((await send(delivery({ timestamp: NOW - 400 * 24 * HOUR, dateAdded: null }), age('0'))).started).toBe(true);
	});
	it.each<[string, unknown]>([
		['empty text', ''],
		['blank text', '   '],
		['not a number', 'a day'],
		['negative', -5],
		['infinite', Infinity],
		['null', null],
	])('%s keeps the 24-hour default', async (_name, value) => {
		expect((await send(delivery({ timestamp: NOW - 24 * HOUR, dateAdded: null }), age(value))).started).toBe(true);
		expect((await send(delivery({ timestamp: NOW - 24 * HOUR - 1, dateAdded: null }), age(value))).body).toEqual(TOO_OLD);
	});
	it('more than a year counts as a year', async () => {
		const YEAR = 365 * 24 * HOUR;
		expect((await send(delivery({ timestamp: NOW - YEAR, dateAdded: null }), age(10 * 365 * 1440))).started).toBe(true);
		expect((await send(delivery({ timestamp: NOW - YEAR - 1, dateAdded: null }), age(10 * 365 * 1440))).body).toEqual(TOO_OLD);
	});
});
