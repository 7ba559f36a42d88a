/**
 * Which credential a request uses and what it takes from it: the choice both
 * nodes offer, the API Base URL (HighLevel's own unless a proxy is typed in),
 * and the sub-account (Location ID), with errors that say where to fix them.
 */
import type { IDataObject, INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { connect, CREDENTIAL_TYPE } from '../nodes/HighLevel/api/connection';
import { HighLevelMessageTrigger } from '../nodes/HighLevel/HighLevelMessageTrigger.node';
import { type ApiStub, startApiStub, type StubAnswer } from './helpers/api-stub.cjs';
import { node, oauthCredentials, pitCredentials, runNode } from './helpers/execute-harness';

let stub: ApiStub;
beforeAll(async () => {
	stub = await startApiStub();
});
beforeEach(() => stub.reset());
afterAll(async () => await stub.close());

const GET_MESSAGE = { resource: 'message', operation: 'get', messageId: 'msg-1' };
const SEARCH = { resource: 'conversation', operation: 'search' };
const MESSAGE: StubAnswer = { status: 200, headers: { 'content-type': 'application/json' }, body: { message: { id: 'msg-1' } } };

async function failure(run: Parameters<typeof runNode>[0]) {
	try {
		await runNode(run);
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('the node did not fail');
}

describe('the credential choice', () => {
	// The names users pick from, the values saved in their workflows, and the credential each one asks for.
	const CHOICES = [
		{ name: 'OAuth2', value: 'oAuth2', credential: 'highLevelConversationsOAuth2Api' },
		{ name: 'Private Integration Token', value: 'privateIntegrationToken', credential: 'highLevelPrivateIntegrationTokenApi' },
	];

	const choiceIn = (description: INodeTypeDescription, parameter: string) => {
		const property = description.properties.find((candidate) => candidate.name === parameter) as INodeProperties;
		const options = property.options as INodePropertyOptions[];
		return options.map((option) => ({
			name: option.name,
			value: option.value,
			credential: description.credentials!.find((credential) => credential.displayOptions?.show?.[parameter]?.includes(option.value))?.name,
		}));
	};

	it('HighLevel Conversations: Authentication offers OAuth2 and Private Integration Token', () => {
		expect(choiceIn(node.description, 'authentication')).toEqual(CHOICES);
	});

	it('the trigger: API Credential Type offers the same two', () => {
		expect(choiceIn(new HighLevelMessageTrigger().description, 'apiAuthentication')).toEqual(CHOICES);
	});
});

describe('the API Base URL', () => {
	/** The connection read from a Private Integration Token credential holding `data`. */
	async function connectionWith(data: IDataObject) {
		const reader = {
			getNode: () => ({ id: 'n', name: 'HighLevel', type: 't', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} }),
			getCredentials: async <T extends object>() => ({ token: 'pit-1', ...data }) as unknown as T,
		};
		return await connect(reader, CREDENTIAL_TYPE.privateIntegration);
	}

	it.each([
		['missing', undefined],
		['empty', ''],
		['only spaces', '   '],
	])('%s: HighLevel\'s own, https://services.leadconnectorhq.com', async (_, baseUrl) => {
		expect((await connectionWith({ baseUrl, locationId: 'loc-1' })).baseUrl).toBe('https://services.leadconnectorhq.com');
	});

	it('a proxy with a path and trailing slashes: requests go under that path, with no doubled slash', async () => {
		stub.respond(MESSAGE);
		await runNode({ parameters: GET_MESSAGE, credentials: pitCredentials(`${stub.base}/highlevel//`) });
		expect(stub.requests.map((request) => request.path)).toEqual(['/highlevel/conversations/messages/msg-1']);
	});

	it.each([
		['another scheme', 'ftp://services.leadconnectorhq.com'],
		['no scheme', 'services.leadconnectorhq.com'],
	])('%s: refused, with what to type instead', async (_, baseUrl) => {
		const error = await failure({ parameters: GET_MESSAGE, credentials: pitCredentials(baseUrl) });
		expect(error.message).toBe(`The credential's API Base URL "${baseUrl}" is not an http(s) URL`);
		expect(error.description).toBe('Use https://services.leadconnectorhq.com unless you reach HighLevel through a proxy.');
	});
});

describe('the sub-account (Location ID)', () => {
	it('typed with spaces around it: the sub-account id alone is sent', async () => {
		await runNode({ parameters: SEARCH, credentials: pitCredentials(stub.base, { locationId: '  loc-typed-1 ' }) });
		expect(stub.requests[0].query.locationId).toBe('loc-typed-1');
	});

	it.each([
		['left empty', ''],
		['only spaces', '   '],
	])('%s in a Private Integration Token credential: the error says to fill it in, and nothing is sent', async (_, locationId) => {
		const error = await failure({ parameters: SEARCH, credentials: pitCredentials(stub.base, { locationId }) });
		expect(error.message).toBe('Conversation > Search needs the HighLevel sub-account (location) id');
		expect(error.description).toBe(
			"Fill in the credential's Location ID (the sub-account id, shown in HighLevel under Settings > Business Profile).",
		);
		expect(stub.requests).toHaveLength(0);
	});

	it('an OAuth2 connection without a sub-account: the error says to reconnect and choose one', async () => {
		const error = await failure({
			parameters: { authentication: 'oAuth2', ...SEARCH },
			credentials: oauthCredentials(stub.base, { locationId: undefined }),
		});
		expect(error.message).toBe('Conversation > Search needs the HighLevel sub-account (location) id');
		expect(error.description).toBe(
			'The OAuth2 connection has no sub-account: reconnect the credential and choose a sub-account (location) when HighLevel asks.',
		);
		expect(stub.requests).toHaveLength(0);
	});
});
