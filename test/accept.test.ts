/**
 * acceptEvent, the pure decision behind every 200-and-ignored answer: which
 * events run, which are acknowledged and dropped, and what the answer's reason
 * and the log's detail say.
 */
import { acceptEvent, type AcceptSettings, routeToOutputs } from '../nodes/HighLevel/trigger/accept';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const settings = (overrides: Partial<AcceptSettings> = {}): AcceptSettings => ({
	events: new Set(['InboundMessage']),
	locationIds: null,
	appIds: null,
	requireBinding: false,
	maxEventAgeMs: DAY,
	includeRaw: true,
	ignoreAutomated: false,
	...overrides,
});
const inbound = (fields: Record<string, unknown> = {}) => ({ type: 'InboundMessage', messageType: 'SMS', locationId: 'loc1', ...fields });

describe('Maximum Event Age', () => {
	it('an event that says nothing about its time runs (it cannot be judged too old)', () => {
		expect(acceptEvent(inbound(), settings(), NOW)).toMatchObject({ emit: true });
	});
	it('exactly the maximum age runs; one millisecond more is too old, named by its timestamp', () => {
		const at = (ms: number) => new Date(NOW - ms).toISOString();
		expect(acceptEvent(inbound({ timestamp: at(DAY) }), settings(), NOW)).toMatchObject({ emit: true });
		expect(acceptEvent(inbound({ timestamp: at(DAY + 1) }), settings(), NOW)).toEqual({ emit: false, reason: 'event too old', detail: at(DAY + 1) });
	});
	it('without a timestamp, dateAdded is the time, and the detail', () => {
		const old = new Date(NOW - 2 * DAY).toISOString();
		expect(acceptEvent(inbound({ dateAdded: old }), settings(), NOW)).toEqual({ emit: false, reason: 'event too old', detail: old });
	});
	it('0 turns the check off', () => {
		expect(acceptEvent(inbound({ timestamp: '2020-01-01T00:00:00.000Z' }), settings({ maxEventAgeMs: 0 }), NOW)).toMatchObject({ emit: true });
	});
	it('an event from the future (a fast sender clock) runs', () => {
		expect(acceptEvent(inbound({ timestamp: new Date(NOW + 60_000).toISOString() }), settings(), NOW)).toMatchObject({ emit: true });
	});
});

describe('the decision\'s delivery key, output and item', () => {
	it('events without webhookId or messageId get no key, so they never count as copies of each other', () => {
		const first = acceptEvent(inbound({ body: 'one' }), settings(), NOW);
		const second = acceptEvent(inbound({ body: 'two' }), settings(), NOW);
		expect([first, second]).toMatchObject([{ emit: true, deliveryKey: null }, { emit: true, deliveryKey: null }]);
		expect(acceptEvent(inbound({ webhookId: 'w1' }), settings(), NOW)).toMatchObject({ deliveryKey: 'webhook:w1' });
	});
	it('the output is the channel\'s place in the fixed output order', () => {
		const outputOf = (messageType: string) => {
			const decision = acceptEvent(inbound({ messageType }), settings(), NOW);
			return decision.emit ? decision.output : 'ignored';
		};
		expect(['SMS', 'CALL', 'VoiceMail', 'Email', 'WhatsApp', 'FB', 'IG', 'GMB', 'Live_Chat', 'InternalComment'].map(outputOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	});
	it('Include Raw Body off leaves raw out', () => {
		const decision = acceptEvent(inbound(), settings({ includeRaw: false }), NOW);
		expect(decision.emit && 'raw' in decision.item).toBe(false);
		const withRaw = acceptEvent(inbound(), settings(), NOW);
		expect(withRaw.emit && withRaw.item.raw).toEqual(inbound());
	});
});

describe('what is acknowledged and dropped, and what the answer says', () => {
	it('not a message event: named by its type', () => {
		expect(acceptEvent({ type: 'ContactCreate' }, settings(), NOW)).toEqual({ emit: false, reason: 'not a message event', detail: 'ContactCreate' });
		expect(acceptEvent({}, settings(), NOW)).toEqual({ emit: false, reason: 'not a message event', detail: undefined });
	});
	it('an event not selected in Events', () => {
		expect(acceptEvent({ ...inbound(), type: 'OutboundMessage' }, settings(), NOW)).toEqual({ emit: false, reason: 'event not selected', detail: 'OutboundMessage' });
		expect(acceptEvent({ ...inbound(), type: 'OutboundMessage' }, settings({ events: new Set(['InboundMessage', 'OutboundMessage']) }), NOW)).toMatchObject({ emit: true });
	});
	it('workflow webhooks run whatever Events says', () => {
		expect(acceptEvent({ workflow: { id: 'w' }, location: { id: 'loc1' }, customData: { messageType: 'SMS' } }, settings({ events: new Set() }), NOW)).toMatchObject({ emit: true });
	});
	it('a location not on Location IDs, or none at all', () => {
		const only = settings({ locationIds: new Set(['loc1']) });
		expect(acceptEvent(inbound(), only, NOW)).toMatchObject({ emit: true });
		expect(acceptEvent(inbound({ locationId: 'loc2' }), only, NOW)).toEqual({ emit: false, reason: 'location not allowed', detail: 'loc2' });
		expect(acceptEvent(inbound({ locationId: undefined }), only, NOW)).toEqual({ emit: false, reason: 'location not allowed', detail: undefined });
	});
	it('Ignore Messages Sent by Automations: outbound messages an automation sent, named by source; people\'s still run', () => {
		const outbound = (source: string) => ({ ...inbound(), type: 'OutboundMessage', direction: 'outbound', source });
		const ignoring = settings({ events: new Set(['OutboundMessage']), ignoreAutomated: true });
		expect(acceptEvent(outbound('workflow'), ignoring, NOW)).toEqual({ emit: false, reason: 'sent by automation', detail: 'workflow' });
		expect(acceptEvent(outbound('app'), ignoring, NOW)).toMatchObject({ emit: true });
		expect(acceptEvent(outbound('workflow'), { ...ignoring, ignoreAutomated: false }, NOW)).toMatchObject({ emit: true });
	});
});

describe('binding under HighLevel Signature', () => {
	const bound = (overrides: Partial<AcceptSettings>) => settings({ requireBinding: true, ...overrides });
	it('neither App IDs nor Location IDs: not set up', () => {
		expect(acceptEvent(inbound({ appId: 'a1' }), bound({}), NOW)).toEqual({ emit: false, reason: 'no App IDs or Location IDs set in the trigger' });
	});
	it('an app id must be on App IDs; the detail is at most 100 characters of it', () => {
		expect(acceptEvent(inbound({ appId: 'a1' }), bound({ appIds: new Set(['a1']) }), NOW)).toMatchObject({ emit: true });
		expect(acceptEvent(inbound({ appId: 'x'.repeat(150) }), bound({ appIds: new Set(['a1']) }), NOW)).toEqual({ emit: false, reason: 'app not allowed', detail: 'x'.repeat(100) });
		expect(acceptEvent(inbound({ appId: 'a2' }), bound({ locationIds: new Set(['loc1']) }), NOW)).toEqual({ emit: false, reason: 'app not allowed', detail: 'a2' });
	});
	it('no app id (or an empty one): bound by Location IDs', () => {
		expect(acceptEvent(inbound({ appId: '' }), bound({ locationIds: new Set(['loc1']) }), NOW)).toMatchObject({ emit: true });
		expect(acceptEvent(inbound(), bound({ appIds: new Set(['a1']) }), NOW)).toEqual({ emit: false, reason: 'location not allowed', detail: 'loc1' });
		expect(acceptEvent(inbound({ locationId: undefined }), bound({ appIds: new Set(['a1']) }), NOW)).toEqual({ emit: false, reason: 'location not allowed', detail: undefined });
	});
	it('other authentication needs no binding', () => {
		expect(acceptEvent(inbound({ appId: 'anything' }), settings({ requireBinding: false }), NOW)).toMatchObject({ emit: true });
	});
});

describe('routeToOutputs', () => {
	it('one output per channel: ten outputs, the item on its own', () => {
		expect(routeToOutputs('item', 3, false)).toEqual([[], [], [], ['item'], [], [], [], [], [], []]);
	});
	it('Single Output: one output with the item', () => {
		expect(routeToOutputs('item', 3, true)).toEqual([['item']]);
	});
});

describe('Ignore Messages Sent by Automations applies to app events only', () => {
	it('a workflow webhook about an outbound message an automation sent still runs (the user added that action)', () => {
		const body = { workflow: { id: 'w' }, location: { id: 'loc1' }, customData: { messageType: 'SMS', direction: 'outbound', source: 'workflow' } };
		const decision = acceptEvent(body, settings({ ignoreAutomated: true }), NOW);
		expect(decision).toMatchObject({ emit: true });
		expect(decision.emit && decision.item.sentByHuman).toBe(false);
	});
});
