/**
 * Message > Send > Send At, as the node hands it to HighLevel: `scheduledTimestamp`
 * is "UTC Timestamp (in seconds) at which the message should be scheduled" (the
 * send-message request schema), and a Send At without an offset means the
 * workflow's time zone (the option's description). A value the node cannot read
 * as a date stops the item before anything is sent.
 */
import type { IDataObject, NodeParameterValueType } from 'n8n-workflow';

import { type ApiStub, startApiStub } from './helpers/api-stub.cjs';
import { pitCredentials, runNode } from './helpers/execute-harness';
import { validateRequest } from './helpers/openapi';

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

/** Sends "Hi" by SMS with this Send At, in a workflow of this time zone. */
async function sendAt(scheduledAt: NodeParameterValueType, timezone: string, item: IDataObject = {}) {
	await runNode({
		parameters: {
			resource: 'message',
			operation: 'send',
			channel: 'SMS',
			contactId: 'contact-1',
			message: 'Hi',
			additionalFields: { scheduledAt },
		},
		items: [item],
		credentials: pitCredentials(stub.base),
		timezone,
	});
	expect(stub.requests).toHaveLength(1);
	expect(validateRequest(stub.requests[0]).errors).toEqual([]);
	return (JSON.parse(stub.requests[0].body) as IDataObject).scheduledTimestamp;
}

const utcSeconds = (...parts: [number, number, number, number?, number?, number?]) =>
	Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0) / 1000;

describe('Send At without an offset is read in the workflow time zone', () => {
	it.each<[string, string, string, number]>([
		// Berlin is UTC+1 in December, New York UTC-5.
		['seconds count', '2026-12-01T09:00:30', 'Europe/Berlin', utcSeconds(2026, 12, 1, 8, 0, 30)],
		['a date alone is midnight there', '2026-12-01', 'Europe/Berlin', utcSeconds(2026, 11, 30, 23)],
		['a space instead of T, no seconds', '2026-12-01 09:00', 'America/New_York', utcSeconds(2026, 12, 1, 14)],
		['milliseconds: HighLevel schedules to the second', '2026-12-01T09:00:59.500', 'Europe/Berlin', utcSeconds(2026, 12, 1, 8, 0, 59)],
		['microseconds, as databases and Python write them', '2026-12-01T09:00:00.123456', 'Europe/Berlin', utcSeconds(2026, 12, 1, 8)],
		['a single digit of fraction', '2026-12-01T09:00:00.9', 'America/New_York', utcSeconds(2026, 12, 1, 14)],
		['spaces and a line break around a mapped value', ' 2026-12-01T09:00:00\n', 'Europe/Berlin', utcSeconds(2026, 12, 1, 8)],
	])('%s: %j in %s', async (_case, scheduledAt, timezone, expected) => {
		expect(await sendAt(scheduledAt, timezone)).toBe(expected);
	});
});

describe('Send At that names its instant is taken as that instant, whatever the workflow time zone', () => {
	it.each<[string, NodeParameterValueType, IDataObject, number]>([
		['an offset without a colon', '2026-12-01T09:00:00+0100', {}, utcSeconds(2026, 12, 1, 8)],
		['a negative offset', '2026-12-01T09:00:00-05:00', {}, utcSeconds(2026, 12, 1, 14)],
		['epoch seconds as text', '1796115600', {}, 1_796_115_600],
		['epoch milliseconds as text', '1796115600000', {}, 1_796_115_600],
		['epoch seconds from an expression', '={{ 1796115600 }}', {}, 1_796_115_600],
		// 10^12 seconds would be the year 33658; as milliseconds it is 2001-09-09T01:46:40Z.
		['10^12 is milliseconds', '={{ 1000000000000 }}', {}, 1_000_000_000],
		['a JavaScript Date', '={{ $json.when }}', { when: new Date('2026-12-01T14:00:00Z') }, utcSeconds(2026, 12, 1, 14)],
		[
			'a Luxon DateTime in another zone',
			'={{ DateTime.fromISO("2026-12-01T09:00:00", { zone: "America/New_York" }) }}',
			{},
			utcSeconds(2026, 12, 1, 14),
		],
	])('%s', async (_case, scheduledAt, item, expected) => {
		expect(await sendAt(scheduledAt, 'Europe/Berlin', item)).toBe(expected);
	});
});

describe('Send At that is no date stops the item before anything is sent', () => {
	it.each<[string, NodeParameterValueType, IDataObject, string]>([
		// Read by the JavaScript engine, this would be in the n8n server's time zone, not the workflow's.
		['a date in words', 'December 1, 2026 09:00 (Zurich)', {}, 'December 1, 2026 09:00 (Zurich)'],
		['text after the date', '2026-12-01T09:00:00 tomorrow', {}, '2026-12-01T09:00:00 tomorrow'],
		['text before the date', 'on 2026-12-01T09:00:00', {}, 'on 2026-12-01T09:00:00'],
		['a five-digit year', '12026-12-01T09:00:00', {}, '12026-12-01T09:00:00'],
		['an object that is no date', '={{ $json.when }}', { when: { day: '2026-12-01' } }, '[object Object]'],
		['an infinite number', '={{ 1 / 0 }}', {}, 'Infinity'],
		['a boolean', '={{ true }}', {}, 'true'],
	])('%s', async (_case, scheduledAt, item, shown) => {
		await expect(sendAt(scheduledAt, 'Europe/Berlin', item)).rejects.toMatchObject({
			message: `Send At "${shown}" is not a date and time`,
			description: expect.stringContaining('2026-12-01T09:00:00'),
		});
		expect(stub.requests).toHaveLength(0);
	});
});
