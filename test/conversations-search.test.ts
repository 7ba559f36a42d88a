/**
 * Conversation > Search, Get Messages, Get and Contact > Get, driven through the
 * node: how Limit and Return All page through HighLevel's results (HighLevel's
 * OpenAPI document: search pages with `limit`, `startAfterDate` = "the sort value
 * of the last document" and a `total`; a conversation's messages page with
 * `limit`, `lastMessageId` and `nextPage`; both default to 20 a page), when the
 * paging stops, and the errors for an empty ID.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type ApiStub, jsonAnswer, type StubAnswer, startApiStub } from './helpers/api-stub.cjs';
import { LOCATION_ID, pitCredentials, runNode } from './helpers/execute-harness';
import { validateRequest } from './helpers/openapi';

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

/** Runs the node; every request it sent must conform to HighLevel's documents. */
async function run(parameters: INodeParameters, answers: StubAnswer[] = []) {
	stub.respond(...answers);
	const { output } = await runNode({ parameters, credentials: pitCredentials(stub.base) });
	for (const request of stub.requests) {
		expect({ request: `${request.method} ${request.url}`, errors: validateRequest(request).errors }).toEqual({
			request: `${request.method} ${request.url}`,
			errors: [],
		});
	}
	// An entry HighLevel gives as null comes out as it is.
	return { output, ids: output.map((item) => (item.json as IDataObject | null)?.id), requests: [...stub.requests] };
}

// ---------------------------------------------------------------- Search

/** Conversations as HighLevel's search gives them, newest first, each with its sort value. */
function conversations(from: number, count: number, change: (conversation: IDataObject, index: number) => IDataObject = (c) => c) {
	return Array.from({ length: count }, (_, offset) => {
		const index = from + offset;
		return change(
			{
				id: `c-${index}`,
				contactId: `contact-${index}`,
				locationId: LOCATION_ID,
				lastMessageBody: 'Hi',
				lastMessageType: 'TYPE_SMS',
				type: 'TYPE_PHONE',
				unreadCount: 0,
				fullName: 'Jane Doe',
				contactName: 'Jane Doe',
				email: 'jane@example.com',
				phone: '+15551234567',
				sort: [sortValue(index)],
			},
			index,
		);
	});
}
const sortValue = (index: number) => 1_764_000_000_000 - index * 1000;
/** The conversation without its `sort` value. */
function unsorted(conversation: IDataObject): IDataObject {
	const copy = { ...conversation };
	delete copy.sort;
	return copy;
}
const found = (list: unknown, total?: unknown) => jsonAnswer(200, total === undefined ? { conversations: list } : { conversations: list, total });
const search = (parameters: INodeParameters = {}): INodeParameters => ({ resource: 'conversation', operation: 'search', ...parameters });

describe('Conversation > Search: Limit', () => {
	it('asks for the Limit; when HighLevel has more, the one page is enough', async () => {
		const { ids, requests } = await run(search({ limit: 5 }), [found(conversations(0, 5), 103)]);
		expect(requests.map((request) => request.query.limit)).toEqual(['5']);
		expect(ids).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4']);
	});

	it('a Limit above HighLevel\'s largest page (100): the next page asks only for the rest, after the last sort value', async () => {
		const { ids, requests } = await run(search({ limit: 150 }), [found(conversations(0, 100), 300), found(conversations(100, 50), 300)]);
		expect(requests.map((request) => [request.query.limit, request.query.startAfterDate])).toEqual([
			['100', undefined],
			['50', String(sortValue(99))],
		]);
		expect(ids).toHaveLength(150);
		expect(ids[149]).toBe('c-149');
	});

	it('when HighLevel answers with more than asked for (its default page is 20), only the Limit newest come out', async () => {
		const { ids, requests } = await run(search({ limit: 5 }), [found(conversations(0, 20), 103)]);
		expect(requests).toHaveLength(1);
		expect(ids).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4']);
	});
});

describe('Conversation > Search: Return All', () => {
	const all = search({ returnAll: true });

	it.each<[string, StubAnswer[], number]>([
		['a page shorter than asked for is the last one (no total given)', [found(conversations(0, 3))], 3],
		['a full page that reaches the total is the last one', [found(conversations(0, 100), 100)], 100],
		[
			'two full pages that reach the total',
			[found(conversations(0, 100), 200), found(conversations(100, 100), 200)],
			200,
		],
		[
			'a full page whose last conversation has no sort value: nothing to page after',
			[found(conversations(0, 100, unsorted))],
			100,
		],
	])('%s', async (_, answers, count) => {
		const { ids, requests } = await run(all, answers);
		expect(requests).toHaveLength(answers.length);
		expect(requests.map((request) => request.query.limit)).toEqual(answers.map(() => '100'));
		expect(ids).toHaveLength(count);
	});

	it('a later full page without sort values ends the paging instead of starting over from the newest', async () => {
		const { requests } = await run(all, [
			found(conversations(0, 100)),
			found(conversations(100, 100, unsorted)),
		]);
		expect(requests.map((request) => request.query.startAfterDate)).toStrictEqual([undefined, String(sortValue(99))]);
	});

	it('a page that ends on the same sort value as the page before ends the paging (no endless loop)', async () => {
		const { requests } = await run(all, [
			found(conversations(0, 100)),
			found(conversations(100, 100, (conversation) => ({ ...conversation, sort: [sortValue(99)] }))),
		]);
		expect(requests.map((request) => request.query.startAfterDate)).toStrictEqual([undefined, String(sortValue(99))]);
	});

	it('sorted by last message date, a conversation without `sort` pages on after its last message date', async () => {
		const page = conversations(0, 100, (conversation, index) => ({ ...unsorted(conversation), lastMessageDate: sortValue(index) }));
		const { ids, requests } = await run(all, [found(page), found(conversations(100, 2))]);
		expect(requests.map((request) => request.query.startAfterDate)).toStrictEqual([undefined, String(sortValue(99))]);
		expect(ids).toHaveLength(102);
	});

	it('a total that is not a number is no count: full pages are followed', async () => {
		const { ids, requests } = await run(all, [found(conversations(0, 100), null), found(conversations(100, 2), null)]);
		expect(requests).toHaveLength(2);
		expect(ids).toHaveLength(102);
	});

	it('a full page ending in an entry that is no conversation (null) ends the paging without an error', async () => {
		const page: unknown[] = conversations(0, 99);
		page.push(null);
		const { requests } = await run(all, [found(page)]);
		expect(requests).toHaveLength(1);
	});
});

describe('Conversation > Search: answers without conversations', () => {
	it.each<[string, StubAnswer]>([
		['no conversations found', found([], 0)],
		['an answer without a conversations list', jsonAnswer(200, { total: 0 })],
		['an empty JSON answer (null)', jsonAnswer(200, null)],
	])('%s: no items', async (_, answer) => {
		const { output, requests } = await run(search({ contactId: 'contact-9' }), [answer]);
		expect(requests).toHaveLength(1);
		expect(output).toEqual([]);
	});
});

// ---------------------------------------------------------------- Get Messages

const message = (id: string): IDataObject => ({
	id,
	type: 2,
	messageType: 'TYPE_SMS',
	locationId: LOCATION_ID,
	contactId: 'contact-1',
	conversationId: 'conv-7',
	dateAdded: '2026-11-25T10:00:00.000Z',
	body: `text of ${id}`,
	direction: 'inbound',
	status: 'delivered',
	contentType: 'text/plain',
});
const messages = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => message(`${prefix}-${index}`));
const NO_LAST_MESSAGE_ID = Symbol('no lastMessageId');
/** `{ messages: { lastMessageId, nextPage, messages } }`, as HighLevel's document shows a page. */
function history(list: IDataObject[], nextPage: boolean, lastMessageId: unknown = list.at(-1)?.id) {
	const last = lastMessageId === NO_LAST_MESSAGE_ID ? {} : { lastMessageId };
	return jsonAnswer(200, { messages: { ...last, nextPage, messages: list } });
}
const getMessages = (parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'conversation',
	operation: 'getMessages',
	conversationId: 'conv-7',
	...parameters,
});

describe('Conversation > Get Messages: Limit', () => {
	it('asks for the Limit and no message type unless filtered', async () => {
		const { requests } = await run(getMessages());
		expect(requests).toHaveLength(1);
		expect(requests[0].path).toBe('/conversations/conv-7/messages');
		expect(requests[0].query).toEqual({ limit: '50' });
	});

	it('when HighLevel says there is a next page but the Limit is reached, it is not fetched', async () => {
		const { ids, requests } = await run(getMessages({ limit: 5 }), [history(messages('a', 5), true)]);
		expect(requests.map((request) => request.query)).toEqual([{ limit: '5' }]);
		expect(ids).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'a-4']);
	});

	it('a Limit above HighLevel\'s largest page (100): the next page asks only for the rest, after lastMessageId', async () => {
		const { ids, requests } = await run(getMessages({ limit: 150 }), [history(messages('a', 100), true), history(messages('b', 50), true)]);
		expect(requests.map((request) => request.query)).toEqual([{ limit: '100' }, { limit: '50', lastMessageId: 'a-99' }]);
		expect(ids).toHaveLength(150);
		expect(ids[149]).toBe('b-49');
	});

	it('when HighLevel answers with more than asked for (its default page is 20), only the Limit newest come out', async () => {
		const { ids, requests } = await run(getMessages({ limit: 5 }), [history(messages('a', 20), true)]);
		expect(requests).toHaveLength(1);
		expect(ids).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'a-4']);
	});
});

describe('Conversation > Get Messages: Return All', () => {
	const all = getMessages({ returnAll: true });

	it('follows nextPage with lastMessageId until HighLevel says there is no next page', async () => {
		const { ids, requests } = await run(all, [
			history(messages('a', 100), true),
			history(messages('b', 100), true),
			history(messages('c', 10), false),
		]);
		expect(requests.map((request) => request.query)).toEqual([
			{ limit: '100' },
			{ limit: '100', lastMessageId: 'a-99' },
			{ limit: '100', lastMessageId: 'b-99' },
		]);
		expect(ids).toHaveLength(210);
	});

	it.each<[string, StubAnswer[], number]>([
		['an empty page ends the paging even if HighLevel says there is a next one', [history([], true, 'x-1')], 0],
		['a page without a lastMessageId (null) ends the paging', [history(messages('a', 100), true, null)], 100],
		[
			'a later page without a lastMessageId ends the paging instead of starting over from the newest',
			[history(messages('a', 100), true), history(messages('b', 100), true, NO_LAST_MESSAGE_ID)],
			200,
		],
		[
			'a page with the same lastMessageId as the page before ends the paging (no endless loop)',
			[history(messages('a', 100), true), history(messages('b', 100), true, 'a-99')],
			200,
		],
	])('%s', async (_, answers, count) => {
		const { ids, requests } = await run(all, answers);
		expect(requests).toHaveLength(answers.length);
		expect(requests[0].query).toEqual({ limit: '100' });
		expect(ids).toHaveLength(count);
	});

	it('an answer without messages gives no items', async () => {
		const { output } = await run(all, [jsonAnswer(200, {})]);
		expect(output).toEqual([]);
	});
});

// ---------------------------------------------------------------- Get, Contact > Get, empty IDs

describe('Conversation > Get and Contact > Get', () => {
	it('Get a conversation: a conversation HighLevel wraps as {"conversation": ...} (as it wraps messages and contacts) comes out unwrapped', async () => {
		const conversation = { id: 'conv-7', contactId: 'contact-1', locationId: LOCATION_ID, deleted: false, inbox: true, type: 1, unreadCount: 2 };
		const { output, requests } = await run({ resource: 'conversation', operation: 'get', conversationId: 'conv-7' }, [
			jsonAnswer(200, { conversation }),
		]);
		expect(requests[0]).toMatchObject({ method: 'GET', path: '/conversations/conv-7' });
		expect(output.map((item) => item.json)).toEqual([conversation]);
	});

	it.each<[string, INodeParameters, string]>([
		['Conversation > Get', { resource: 'conversation', operation: 'get', conversationId: ' ' }, 'Conversation ID is empty'],
		['Conversation > Get Messages', getMessages({ conversationId: '' }), 'Conversation ID is empty'],
		['Contact > Get', { resource: 'contact', operation: 'get', contactId: '' }, 'Contact ID is empty'],
	])('%s with an empty ID names the field, and sends nothing', async (_, parameters, error) => {
		await expect(run(parameters)).rejects.toMatchObject({ message: error });
		expect(stub.requests).toHaveLength(0);
	});
});
