/**
 * Location IDs and App IDs fail closed (issue 11, point 6): a string or a list
 * of strings is a list; anything else is refused, never "accept everything".
 */
import fc from 'fast-check';

import { parseIdList } from '../nodes/HighLevel/trigger/accept';

const ids = (value: unknown) => {
	const parsed = parseIdList(value);
	return parsed.ok ? (parsed.ids === null ? null : [...parsed.ids]) : 'refused';
};

describe('parseIdList', () => {
	it.each<[string, unknown, string[] | null | 'refused']>([
		['comma separated', 'a, b ,,c', ['a', 'b', 'c']],
		['semicolons, spaces, tabs and newlines', 'a;b c\td\ne', ['a', 'b', 'c', 'd', 'e']],
		['repeated ids once', 'a,a', ['a']],
		['not set: no list', undefined, null],
		['empty string: no list', '', null],
		['only separators: no list', ' ,; ', null],
		['a list, as an expression yields it', ['a', 'b'], ['a', 'b']],
		['a list whose strings hold several ids', ['a, b', 'c'], ['a', 'b', 'c']],
		['an empty list: no list', [], null],
		['a number', 12345, 'refused'],
		['a boolean', true, 'refused'],
		['an object', { id: 'a' }, 'refused'],
		['null from an expression', null, 'refused'],
		['a list holding a number', ['a', 1], 'refused'],
		['a list holding null', ['a', null], 'refused'],
		['a nested list', [['a']], 'refused'],
		['a list holding an object', [{ id: 'a' }], 'refused'],
	])('%s', (_name, value, expected) => {
		expect(ids(value)).toEqual(expected);
	});

	it('a 200,000-character list of ids or separators is read in linear time', () => {
		expect(ids(' ,;'.repeat(70_000))).toBeNull();
		expect(ids('id,'.repeat(70_000))).toEqual(['id']);
		expect(ids(Array.from({ length: 50_000 }, (_, index) => `loc${index}`))).toHaveLength(50_000);
	});

	it('property: only strings and lists of strings are lists; everything else is refused', () => {
		fc.assert(
			fc.property(fc.anything(), (value) => {
				const parsed = parseIdList(value);
				const isList = value === undefined || typeof value === 'string' || (Array.isArray(value) && value.every((entry) => typeof entry === 'string'));
				expect(parsed.ok).toBe(isList);
				if (parsed.ok && parsed.ids !== null) {
					for (const id of parsed.ids) expect(id).toMatch(/^[^\s,;]+$/);
				}
			}),
			{ numRuns: 2000 },
		);
	});
});
