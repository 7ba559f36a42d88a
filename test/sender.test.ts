/**
 * People and machines apart (FACTS.md: an OutboundMessage says in `source` who
 * sent it). Written from FACTS, not from sender.ts's own lists.
 */
import { sentByHuman } from '../nodes/HighLevel/sender';

describe('sentByHuman: whether a person wrote the message', () => {
	it.each([
		['app', true],
		['workflow', false],
		['campaign', false],
		['bulk_actions', false],
		['api', false],
		// HighLevel's casing is not consistent elsewhere; a source is a source.
		['API', false],
		['Workflow', false],
		['App', true],
	] as const)('outbound from "%s" -> %s', (source, expected) => {
		expect(sentByHuman('outbound', source)).toBe(expected);
	});

	it('an outbound message without a source, or with one HighLevel never documented, is unknown (null), not a guess', () => {
		expect(sentByHuman('outbound', null)).toBeNull();
		expect(sentByHuman('outbound', 'mobile_widget')).toBeNull();
	});

	it('an inbound message was written by the contact, whatever else the body says', () => {
		expect(sentByHuman('inbound', null)).toBe(true);
		expect(sentByHuman('inbound', 'workflow')).toBe(true);
	});

	it('without a direction nothing can be said', () => {
		expect(sentByHuman(null, 'app')).toBeNull();
	});
});
