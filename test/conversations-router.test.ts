/**
 * How the node runs its items and reports what fails, as an n8n user sees it:
 * one run of the operation per item, paired with its input; a failed item under
 * Continue On Fail becomes an item holding what n8n would have shown as the error
 * (README, "Errors and retries"); without it the node stops with an n8n error
 * that names the item. And the parameters every operation reads: a field that must
 * be filled in, mapped from a previous node as text or a number, or left blank.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { type ApiStub, jsonAnswer, startApiStub } from './helpers/api-stub.cjs';
import { executeContext, node, pitCredentials, runNode } from './helpers/execute-harness';
import { validateRequest } from './helpers/openapi';

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

/** What the node throws for this run (it must throw). */
async function thrownBy(parameters: INodeParameters, items: IDataObject[], credentials = pitCredentials(stub.base)) {
	const error = await runNode({ parameters, items, credentials }).then(
		() => undefined,
		(reason: unknown) => reason,
	);
	if (error === undefined) throw new Error('the node did not fail');
	return error as NodeOperationError | NodeApiError;
}

/** The item n8n shows for a failed item under Continue On Fail: the error's own message, description and HTTP code. */
function shownAsItem(error: NodeOperationError | NodeApiError): IDataObject {
	const httpCode = (error as { httpCode?: unknown }).httpCode;
	return {
		error: error.message,
		...(typeof error.description === 'string' ? { description: error.description } : {}),
		...(typeof httpCode === 'string' ? { httpCode } : {}),
	};
}

const getContact = { resource: 'contact', operation: 'get', contactId: '={{ $json.id }}' };
/** The field the user sees, by its internal name. */
const displayNameOf = (name: string) => node.description.properties.find((property) => property.name === name)!.displayName;

describe('Continue On Fail', () => {
	it('each failed item carries the error n8n would show for it (message, description, HTTP code) and keeps its pairing; the others go on', async () => {
		const items = [{ id: 'c-ok' }, { id: 'c-gone' }, { id: 'c-drop' }, {}];
		const script = () => {
			stub.respondTo(/\/contacts\/c-gone$/, jsonAnswer(404, { statusCode: 404, message: 'Contact not found' }));
			stub.respondTo(/\/contacts\/c-drop$/, { drop: true });
		};

		script();
		const { output } = await runNode({ parameters: getContact, items, credentials: pitCredentials(stub.base), continueOnFail: true });
		expect(stub.requests.map((request) => request.path)).toEqual(['/contacts/c-ok', '/contacts/c-gone', '/contacts/c-drop']);

		// The same failures, one at a time, without Continue On Fail.
		const failures = [];
		for (const item of items.slice(1)) {
			stub.reset();
			script();
			failures.push(await thrownBy(getContact, [item]));
		}
		const [gone, dropped, empty] = failures;
		expect(gone).toBeInstanceOf(NodeApiError);
		expect((gone as NodeApiError).httpCode).toBe('404');
		expect(empty.message).toBe(`${displayNameOf('contactId')} is empty`);

		expect(output).toStrictEqual([
			{ json: expect.objectContaining({ id: 'c-ok' }), pairedItem: { item: 0 } },
			{ json: { error: gone.message, description: gone.description, httpCode: '404' }, pairedItem: { item: 1 } },
			// No answer, so no HTTP code: the item has none (rather than an empty one).
			{ json: { error: dropped.message, description: dropped.description }, pairedItem: { item: 2 } },
			{ json: { error: empty.message, description: empty.description }, pairedItem: { item: 3 } },
		]);
		expect(output.slice(1).map((item) => item.json)).toStrictEqual(failures.map(shownAsItem));
		for (const failure of failures) expect(failure.description).toEqual(expect.any(String));
	});

	it('an error without a description or HTTP code gives an item with just the message (an expression naming a node that does not exist)', async () => {
		const { output } = await runNode({
			parameters: { ...getContact, contactId: "={{ $json.fromNode ? $('No Such Node').item.json.id : $json.id }}" },
			items: [{ id: 'c-1' }, { fromNode: true }],
			credentials: pitCredentials(stub.base),
			continueOnFail: true,
		});
		expect(output).toHaveLength(2);
		expect(output[0]).toStrictEqual({ json: expect.objectContaining({ id: 'c-1' }), pairedItem: { item: 0 } });
		expect(output[1]).toStrictEqual({ json: { error: "Referenced node doesn't exist" }, pairedItem: { item: 1 } });
	});
});

describe('without Continue On Fail, the node stops with an error naming the item', () => {
	it('HighLevel\'s refusal stays an API error, with its HTTP code, message and description, at the item that failed', async () => {
		stub.respondTo(/\/contacts\/c-gone$/, jsonAnswer(404, { statusCode: 404, message: 'Contact not found' }));
		const error = await thrownBy(getContact, [{ id: 'c-ok' }, { id: 'c-gone' }]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '404', context: expect.objectContaining({ itemIndex: 1 }) });
		expect(error.message).toMatch(/404/);
		expect(error.description).toMatch(/Contact not found/);
		expect(stub.requests).toHaveLength(2);
	});

	it('a field left empty stays an operation error (no HTTP code), at the item that has it empty', async () => {
		const error = await thrownBy(getContact, [{ id: 'c-ok' }, {}]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error).not.toBeInstanceOf(NodeApiError);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: `${displayNameOf('contactId')} is empty`,
			description: expect.stringContaining(displayNameOf('contactId')),
			context: expect.objectContaining({ itemIndex: 1 }),
		});
		expect((error as { httpCode?: unknown }).httpCode).toBeUndefined();
	});

	it('an error raised without an item (the credential has no Location ID) is given the item it happened on', async () => {
		const error = await thrownBy(
			{ resource: 'message', operation: 'getTranscription', messageId: 'm-1' },
			[{}],
			pitCredentials(stub.base, { locationId: '' }),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/needs the HighLevel sub-account \(location\) id/);
		expect(error.context.itemIndex).toBe(0);
		expect(stub.requests).toHaveLength(0);
	});

	it('an expression that fails becomes an operation error at the item whose expression failed', async () => {
		const error = await thrownBy({ ...getContact, contactId: "={{ $json.fromNode ? $('No Such Node').item.json.id : $json.id }}" }, [
			{ id: 'c-1' },
			{ fromNode: true },
		]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe("Referenced node doesn't exist");
		expect(error.context.itemIndex).toBe(1);
	});

	describe('an error that is not n8n\'s own (n8n cannot decrypt the credential)', () => {
		const DECRYPT_FAILURE = 'Credentials could not be decrypted. The likely reason is that a different "encryptionKey" was used to encrypt the data.';

		async function runWithUndecryptableCredential(continueOnFail: boolean) {
			const { context, credentialsHelper } = executeContext({
				parameters: getContact,
				items: [{ id: 'c-1' }, { id: 'c-2' }],
				credentials: pitCredentials(stub.base),
				continueOnFail,
			});
			credentialsHelper.getDecrypted = async () => {
				throw new Error(DECRYPT_FAILURE);
			};
			return await node.execute.call(context);
		}

		it('stops the node as an operation error with its message, at the item', async () => {
			const error = (await runWithUndecryptableCredential(false).then(
				() => undefined,
				(reason: unknown) => reason,
			)) as NodeOperationError;
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error).not.toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(DECRYPT_FAILURE);
			expect(error.context.itemIndex).toBe(0);
			expect(stub.requests).toHaveLength(0);
		});

		it('with Continue On Fail, every item carries the message alone', async () => {
			const [output] = await runWithUndecryptableCredential(true);
			expect(output).toStrictEqual([
				{ json: { error: DECRYPT_FAILURE }, pairedItem: { item: 0 } },
				{ json: { error: DECRYPT_FAILURE }, pairedItem: { item: 1 } },
			]);
		});
	});

	it('an operation this version does not have (a workflow saved by a newer one) is named, and nothing is sent', async () => {
		const error = await thrownBy({ resource: 'message', operation: 'delete' }, [{}]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/"delete"/);
		expect(error.message).toMatch(/"message"/);
		expect(error.message).toMatch(/not supported/);
		expect(stub.requests).toHaveLength(0);
	});
});

describe('fields an operation cannot do without', () => {
	const cases = [
		{ operation: 'Contact > Get', parameters: { resource: 'contact', operation: 'get' }, field: 'contactId', path: (id: string) => `/contacts/${id}` },
		{ operation: 'Message > Get', parameters: { resource: 'message', operation: 'get' }, field: 'messageId', path: (id: string) => `/conversations/messages/${id}` },
		{ operation: 'Conversation > Get', parameters: { resource: 'conversation', operation: 'get' }, field: 'conversationId', path: (id: string) => `/conversations/${id}` },
	];

	it.each(cases)('$operation: an ID mapped as a number is sent as that number, one mapped with spaces around it without them', async ({ parameters, field, path }) => {
		await runNode({
			parameters: { ...parameters, [field]: '={{ $json.id }}' },
			items: [{ id: 12345 }, { id: '  abc-1 ' }],
			credentials: pitCredentials(stub.base),
		});
		expect(stub.requests.map((request) => request.path)).toEqual([path('12345'), path('abc-1')]);
		for (const request of stub.requests) expect(validateRequest(request).errors).toEqual([]);
	});

	const empties = [
		{ what: 'mapped from a field the item lacks', value: '={{ $json.id }}' },
		{ what: 'mapped as null', value: '={{ null }}' },
		{ what: 'blank', value: '   ' },
	];
	it.each(cases.flatMap((entry) => empties.map((empty) => ({ ...entry, ...empty }))))(
		'$operation: the ID $what stops the item before anything is sent, naming the field',
		async ({ parameters, field, value }) => {
			const label = displayNameOf(field);
			const error = await thrownBy({ ...parameters, [field]: value }, [{}]);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(`${label} is empty`);
			expect(error.description).toEqual(expect.stringContaining(label));
			expect(error.description).toMatch(/map it from a previous node/);
			expect(error.context.itemIndex).toBe(0);
			expect(stub.requests).toHaveLength(0);
		},
	);
});

describe('optional fields: blank is not given, spaces around a value do not count, a mapped number is its text', () => {
	const failed = (additionalFields: INodeParameters, errorMessage = 'Carrier rejected the number'): INodeParameters => ({
		resource: 'message',
		operation: 'updateStatus',
		messageId: 'm-1',
		status: 'failed',
		errorMessage,
		additionalFields,
	});

	async function bodySentFor(parameters: INodeParameters): Promise<IDataObject> {
		stub.reset();
		await runNode({ parameters, credentials: pitCredentials(stub.base) });
		expect(stub.requests).toHaveLength(1);
		expect(validateRequest(stub.requests[0]).errors).toEqual([]);
		return JSON.parse(stub.requests[0].body) as IDataObject;
	}

	it.each([
		{ case: 'a blank Error Code', given: { errorCode: '   ' }, same: {} },
		{ case: 'an empty Error Code', given: { errorCode: '' }, same: {} },
		{ case: 'an Error Code with spaces around it', given: { errorCode: ' 30007 ' }, same: { errorCode: '30007' } },
		{ case: 'an Error Code mapped as a number', given: { errorCode: '={{ 30007 }}' }, same: { errorCode: '30007' } },
		{ case: 'an Email Message ID with spaces around it', given: { emailMessageId: ' ve9EPM428h8vShlRW1KT ' }, same: { emailMessageId: 've9EPM428h8vShlRW1KT' } },
		{ case: 'a blank Email Message ID', given: { emailMessageId: ' ' }, same: {} },
	])('Update Status: $case is sent as $same would be', async ({ given, same }) => {
		expect(await bodySentFor(failed(given))).toEqual(await bodySentFor(failed(same)));
	});

	it('Update Status: a blank Error Message is sent as an empty one would be', async () => {
		expect(await bodySentFor(failed({ errorCode: '30007' }, '  '))).toEqual(await bodySentFor(failed({ errorCode: '30007' }, '')));
	});

	it('Update Status: the error code mapped as a number reaches HighLevel as the text its document asks for', async () => {
		const body = await bodySentFor(failed({ errorCode: '={{ 30007 }}' }));
		expect(body.error).toMatchObject({ code: '30007', message: 'Carrier rejected the number' });
	});

	it('Conversation > Search: a contact ID with spaces around it filters by the ID', async () => {
		await runNode({
			parameters: { resource: 'conversation', operation: 'search', contactId: ' contact-1 ' },
			credentials: pitCredentials(stub.base),
		});
		expect(stub.requests[0].query.contactId).toBe('contact-1');
	});
});
