/**
 * The node and its credentials as n8n and an AI agent see them, and the small
 * conversions the operations rely on.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { HighLevelOAuth2Api } from '../credentials/HighLevelOAuth2Api.credentials';
import { HighLevelPrivateIntegrationTokenApi } from '../credentials/HighLevelPrivateIntegrationTokenApi.credentials';
import { CREDENTIAL_TYPE } from '../nodes/HighLevel/api/connection';
import { DEFAULT_BASE_URL, REQUIRED_SCOPES } from '../nodes/HighLevel/api/endpoints';
import { OPERATIONS } from '../nodes/HighLevel/conversations/actions/router';
import { emailHtml } from '../nodes/HighLevel/conversations/email-html';
import { textList } from '../nodes/HighLevel/conversations/lists';
import { toUtcSeconds } from '../nodes/HighLevel/conversations/schedule';
import { toSendType } from '../nodes/HighLevel/conversations/send-body';
import { type ApiStub, startApiStub } from './helpers/api-stub.cjs';
import { LOCATION_ID, node, oauthCredentials, PIT_TOKEN, pitCredentials, runCredentialTest, runNode } from './helpers/execute-harness';
import { validateRequest } from './helpers/openapi';

const { description } = node;

function operationsOf(resource: string): INodePropertyOptions[] {
	const property = description.properties.find(
		(candidate) => candidate.name === 'operation' && candidate.displayOptions?.show?.resource?.includes(resource),
	) as INodeProperties;
	return property.options as INodePropertyOptions[];
}

describe('the node description', () => {
	const resources = (description.properties.find((property) => property.name === 'resource')!.options as INodePropertyOptions[]).map(
		(option) => option.value as string,
	);

	it('offers the resources and operations of the issue, each implemented', () => {
		const offered = Object.fromEntries(resources.map((resource) => [resource, operationsOf(resource).map((option) => option.value).sort()]));
		expect(offered).toEqual({
			message: ['get', 'getRecording', 'getTranscription', 'reply', 'send', 'updateStatus'],
			conversation: ['get', 'getMessages', 'search'],
			contact: ['get'],
		});
		const implemented = Object.fromEntries(Object.entries(OPERATIONS).map(([resource, operations]) => [resource, Object.keys(operations).sort()]));
		expect(implemented).toEqual(offered);
	});

	it('is usable as an AI tool, and every operation says what it does', () => {
		expect(description.usableAsTool).toBe(true);
		for (const resource of resources) {
			for (const operation of operationsOf(resource)) {
				expect(operation.action).toMatch(/^[A-Z]/);
				expect((operation.description ?? '').length).toBeGreaterThan(20);
			}
		}
		const send = operationsOf('message').find((operation) => operation.value === 'send')!;
		expect(send.description).toMatch(/SMS, email, WhatsApp, Facebook, Instagram, live chat/);
	});

	it('every Send channel is one HighLevel\'s document accepts', () => {
		const channel = description.properties.find((property) => property.name === 'channel')!;
		expect((channel.options as INodePropertyOptions[]).map((option) => option.value).sort()).toEqual(
			['Custom', 'Email', 'FB', 'IG', 'Live_Chat', 'SMS', 'WhatsApp'].sort(),
		);
	});

	it('uses the package\'s own two credentials, one per authentication', () => {
		expect(description.credentials).toEqual([
			{ name: CREDENTIAL_TYPE.marketplaceApp, required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: CREDENTIAL_TYPE.privateIntegration, required: true, displayOptions: { show: { authentication: ['privateIntegrationToken'] } } },
		]);
		expect(Object.values(CREDENTIAL_TYPE)).not.toContain('highLevelOAuth2Api');
	});
});

describe('the credentials', () => {
	const oauth = new HighLevelOAuth2Api();
	const pit = new HighLevelPrivateIntegrationTokenApi();
	const defaultOf = (properties: INodeProperties[], name: string) => properties.find((property) => property.name === name)?.default;

	it('OAuth2: n8n\'s OAuth2 flow with HighLevel\'s URLs, sending the client secret in the body', () => {
		expect(oauth.name).toBe(CREDENTIAL_TYPE.marketplaceApp);
		expect(oauth.extends).toEqual(['oAuth2Api']);
		expect(defaultOf(oauth.properties, 'authUrl')).toBe('https://marketplace.gohighlevel.com/oauth/chooselocation');
		expect(defaultOf(oauth.properties, 'accessTokenUrl')).toBe('https://services.leadconnectorhq.com/oauth/token');
		expect(defaultOf(oauth.properties, 'grantType')).toBe('authorizationCode');
		expect(defaultOf(oauth.properties, 'authentication')).toBe('body');
	});

	it('OAuth2: asks for exactly the scopes the operations need, and lists them in the hint', () => {
		expect((defaultOf(oauth.properties, 'scope') as string).split(' ').sort()).toEqual([...REQUIRED_SCOPES]);
		const hint = oauth.properties.find((property) => property.name === 'scope')!.hint!;
		for (const scope of REQUIRED_SCOPES) expect(hint).toContain(scope);
	});

	it('Private Integration Token: token, location, the scopes in the hint', () => {
		expect(pit.name).toBe(CREDENTIAL_TYPE.privateIntegration);
		expect(pit.properties.map((property) => property.name)).toEqual(['token', 'locationId', 'baseUrl']);
		const hint = pit.properties.find((property) => property.name === 'token')!.hint!;
		for (const scope of REQUIRED_SCOPES) expect(hint).toContain(scope);
	});

	it('both let the API base URL be changed, defaulting to HighLevel\'s', () => {
		expect(defaultOf(oauth.properties, 'baseUrl')).toBe(DEFAULT_BASE_URL);
		expect(defaultOf(pit.properties, 'baseUrl')).toBe(DEFAULT_BASE_URL);
	});

	describe('over HTTP', () => {
		let stub: ApiStub;
		beforeAll(async () => {
			stub = await startApiStub();
		});
		beforeEach(() => stub.reset());
		afterAll(async () => await stub.close());

		it('the token credential\'s test calls the API with token and location, as the document wants', async () => {
			const answer = await runCredentialTest({ token: PIT_TOKEN, locationId: LOCATION_ID, baseUrl: `${stub.base}/` });
			expect(answer).toMatchObject({ total: 1 });
			expect(stub.requests).toHaveLength(1);
			expect(validateRequest(stub.requests[0])).toMatchObject({ operationId: 'search-conversation', errors: [] });
			expect(stub.requests[0].headers.authorization).toBe(`Bearer ${PIT_TOKEN}`);
			expect(stub.requests[0].query).toEqual({ locationId: LOCATION_ID, limit: '1' });
		});

		it('the token credential\'s test fails on a token HighLevel refuses', async () => {
			stub.respond({ status: 401, headers: { 'content-type': 'application/json' }, body: { message: 'Invalid JWT' } });
			await expect(runCredentialTest({ token: 'wrong-example', locationId: LOCATION_ID, baseUrl: stub.base })).rejects.toThrow();
		});

		it('a base URL that is no URL is an error that names the field', async () => {
			await expect(
				runNode({
					parameters: { resource: 'contact', operation: 'get', contactId: 'c' },
					credentials: pitCredentials('services.leadconnectorhq.com'),
				}),
			).rejects.toMatchObject({ message: 'The credential\'s API Base URL "services.leadconnectorhq.com" is not an http(s) URL' });
		});

		it('an OAuth2 connection without a sub-account says to reconnect and choose one', async () => {
			await expect(
				runNode({
					parameters: { authentication: 'oAuth2', resource: 'message', operation: 'getTranscription', messageId: 'm' },
					credentials: oauthCredentials(stub.base, { locationId: undefined }),
				}),
			).rejects.toMatchObject({
				message: 'Message > Get Transcription needs the HighLevel sub-account (location) id',
				description: expect.stringContaining('reconnect the credential and choose a sub-account'),
			});
			expect(stub.requests).toHaveLength(0);
		});
	});
});

describe('conversions the operations rely on', () => {
	it('Send At: a local date in the workflow time zone, or an instant as given', () => {
		expect(toUtcSeconds('2026-12-01T09:00:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 11, 1, 8) / 1000);
		expect(toUtcSeconds('2026-07-01T09:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 7) / 1000);
		expect(toUtcSeconds('2026-12-01T09:00:00', 'America/New_York')).toBe(Date.UTC(2026, 11, 1, 14) / 1000);
		expect(toUtcSeconds('2026-12-01T09:00:00Z', 'Europe/Berlin')).toBe(Date.UTC(2026, 11, 1, 9) / 1000);
		expect(toUtcSeconds('2026-12-01T09:00:00+02:00', 'UTC')).toBe(Date.UTC(2026, 11, 1, 7) / 1000);
		expect(toUtcSeconds(1_796_000_000, 'UTC')).toBe(1_796_000_000);
		expect(toUtcSeconds(1_796_000_000_123, 'UTC')).toBe(1_796_000_000);
		expect(toUtcSeconds(new Date('2026-12-01T09:00:00Z'), 'UTC')).toBe(Date.UTC(2026, 11, 1, 9) / 1000);
		expect(toUtcSeconds('next friday', 'UTC')).toBeNull();
	});

	it('Send At across a daylight-saving change lands on the wall-clock time', () => {
		// Berlin moves to summer time at 02:00 on 2026-03-29.
		expect(toUtcSeconds('2026-03-29T03:30:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30) / 1000);
		expect(toUtcSeconds('2026-03-29T01:30:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 0, 30) / 1000);
	});

	it('email bodies: plain text keeps its lines and is escaped; HTML stays as written', () => {
		expect(emailHtml('Price < 5 & "cheap"\nsee you')).toBe('<p>Price &lt; 5 &amp; &quot;cheap&quot;<br>see you</p>');
		expect(emailHtml('<div>Hi</div>')).toBe('<div>Hi</div>');
	});

	it('channels as people and AI agents write them', () => {
		expect(['sms', 'Email', 'whatsapp', 'Facebook', 'ig', 'live chat', 'TYPE_WEBCHAT', 'custom', 'Live_Chat'].map(toSendType)).toEqual([
			'SMS',
			'Email',
			'WhatsApp',
			'FB',
			'IG',
			'Live_Chat',
			'Live_Chat',
			'Custom',
			'Live_Chat',
		]);
		expect(['Voicemail', 'call', 'GMB', 'pigeon', 3].map(toSendType)).toEqual([null, null, null, null, null]);
	});

	it('lists from one field or an array', () => {
		expect(textList('a@example.com, b@example.com;c@example.com\nd@example.com')).toEqual([
			'a@example.com',
			'b@example.com',
			'c@example.com',
			'd@example.com',
		]);
		expect(textList(['https://example.com/a', ' ', 7])).toEqual(['https://example.com/a', '7']);
		expect(textList(undefined)).toEqual([]);
	});
});
