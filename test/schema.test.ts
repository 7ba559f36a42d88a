/**
 * The lenient readers behind every item field: what each kind of value
 * HighLevel (or a workflow action) sends becomes.
 */
import { isJsonObject, schemas, toId, toNumber, toText, toTextList } from '../nodes/HighLevel/schema';

describe('toText', () => {
	it.each<[unknown, string | null]>([
		['hello', 'hello'],
		['', ''],
		[42, '42'],
		[1.5, '1.5'],
		[Infinity, null],
		[NaN, null],
		[['only'], 'only'],
		[[[[7]]], '7'],
		[['a', 'b'], null],
		[[], null],
		[true, null],
		[{ a: 1 }, null],
		[null, null],
		[undefined, null],
	])('%p -> %p', (value, text) => {
		expect(toText(value)).toBe(text);
	});
});

describe('toId', () => {
	it.each<[unknown, string | null]>([
		['  abc  ', 'abc'],
		['   ', null],
		['', null],
		[12, '12'],
		[[' x '], 'x'],
		[false, null],
	])('%p -> %p', (value, id) => {
		expect(toId(value)).toBe(id);
	});
});

describe('toTextList', () => {
	it.each<[unknown, string[]]>([
		['a@example.com, b@example.com,, ', ['a@example.com', 'b@example.com']],
		[' one ', ['one']],
		['', []],
		[['x', ' y ', '', null, 3, ['z']], ['x', 'y', '3', 'z']],
		[[{ url: 'https://f.example.com/1' }, { email: 'e@example.com' }, { name: 'n' }], ['https://f.example.com/1', 'e@example.com']],
		[[{ url: ' u ', email: 'e' }], ['u']],
		[42, ['42']],
		[null, []],
		[{ url: 'not a list' }, []],
	])('%p -> %p', (value, list) => {
		expect(toTextList(value)).toEqual(list);
	});
});

describe('toNumber', () => {
	it.each<[unknown, number | null]>([
		[120, 120],
		['120', 120],
		[' 7.5 ', 7.5],
		['', null],
		['   ', null],
		['abc', null],
		[Infinity, null],
		['Infinity', null],
		[true, null],
		[null, null],
	])('%p -> %p', (value, number) => {
		expect(toNumber(value)).toBe(number);
	});
});

describe('isJsonObject', () => {
	it('only plain objects', () => {
		expect([{}, [], null, 'x', 1].map(isJsonObject)).toEqual([true, false, false, false, false]);
	});
});

describe('the schemas', () => {
	it('are built once', () => {
		expect(schemas()).toBe(schemas());
	});
	it('direction: inbound or outbound in any case and spacing, else null', () => {
		const parse = (direction: unknown) => schemas().appMessageSchema.parse({ type: 'InboundMessage', direction }).direction;
		expect([parse(' Inbound '), parse('OUTBOUND'), parse('sideways'), parse(3), parse(undefined)]).toEqual(['inbound', 'outbound', null, null, null]);
	});
	it('an app message needs one of the two message event types', () => {
		expect(schemas().appMessageSchema.safeParse({ type: 'OutboundMessage' }).success).toBe(true);
		expect(schemas().appMessageSchema.safeParse({ type: 'ContactCreate' }).success).toBe(false);
	});
	it('workflow webhooks: location, message and customData that are not objects read as empty', () => {
		expect(schemas().workflowWebhookSchema.parse({ location: 'x', message: [1], customData: null })).toMatchObject({ location: {}, message: {}, customData: {} });
		expect(schemas().workflowWebhookSchema.parse({ location: { id: 'l' } }).location).toEqual({ id: 'l' });
	});
});
