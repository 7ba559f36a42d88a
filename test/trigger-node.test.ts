/**
 * The trigger as n8n and a saved workflow see it, apart from webhook(): the
 * names and versions workflows are saved with, the webhook n8n registers, which
 * credential the editor asks for, the credential tests and the activation hooks.
 * (test/package.test.ts checks the same node as built and loaded by n8n-core.)
 */
import { type INodeParameters, NodeHelpers } from 'n8n-workflow';

import { node } from './helpers/harness';
import { evaluateSubtitle } from './helpers/subtitle.cjs';

const { description } = node;

/** The credentials the editor shows for these parameter values, at this version. */
function credentialsShown(parameters: INodeParameters, typeVersion = 1.1): string[] {
	const values = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, { typeVersion } as never, description) as INodeParameters;
	return (description.credentials ?? [])
		.filter((credential) => NodeHelpers.displayParameter(values, credential, { typeVersion } as never, description))
		.map((credential) => credential.name);
}

describe('what saved workflows and n8n depend on', () => {
	it('keeps its type name, versions and trigger group', () => {
		expect(description).toMatchObject({
			name: 'highLevelMessageTrigger',
			version: [1, 1.1],
			defaultVersion: 1.1,
			group: ['trigger'],
			inputs: [],
			defaults: { name: 'HighLevel Message Trigger' },
		});
		expect(description.displayName).toBe('HighLevel Message Trigger');
	});

	it('registers one POST webhook at .../highlevel, answered by the node (n8n sends its webhookResponse once the execution exists)', () => {
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'highlevel' }]);
	});

	it('the node list says what it does, and the canvas says how it routes', () => {
		expect(description.description).toMatch(/^Starts the workflow when a HighLevel .*message arrives/);
		const subtitle = (routing: string) => evaluateSubtitle(description.subtitle, { routing });
		expect([subtitle('single'), subtitle('perChannel')]).toEqual(['Single output', 'By channel']);
	});

	it('the trigger panel explains the Test URL and the Production URL, before and after publishing', () => {
		const panel = description.triggerPanel as { header: string; executionsHelp: { inactive: string; active: string }; activationHint: string };
		expect(panel.header).toMatch(/HighLevel message/);
		for (const help of [panel.executionsHelp.inactive, panel.executionsHelp.active]) {
			expect(help).toMatch(/Test URL/);
			expect(help).toMatch(/Production URL/);
			expect(help).toMatch(/executions list/);
		}
		expect(panel.executionsHelp.inactive).toMatch(/paste the Production URL into HighLevel/);
		expect(panel.executionsHelp.active).toMatch(/Your workflow is published/);
		expect(panel.activationHint).toMatch(/Production URL into HighLevel/);
	});
});

describe('the credential the editor asks for', () => {
	it('signature keys (optional) by default; the header secret (required) for workflow webhooks', () => {
		expect(credentialsShown({})).toEqual(['highLevelSignatureKeysApi']);
		expect(credentialsShown({ authentication: 'headerSecret' })).toEqual(['highLevelHeaderSecretApi']);
		const byName = Object.fromEntries((description.credentials ?? []).map((credential) => [credential.name, credential]));
		expect(byName.highLevelSignatureKeysApi).toMatchObject({ required: false, testedBy: 'testSignatureKeys' });
		expect(byName.highLevelHeaderSecretApi).toMatchObject({ required: true, testedBy: 'testHeaderSecret' });
	});

	it('an API credential (required) only when filling in from the API, of the chosen type', () => {
		expect(credentialsShown({ enrich: ['contact'] })).toEqual(['highLevelSignatureKeysApi', 'highLevelPrivateIntegrationTokenApi']);
		expect(credentialsShown({ enrich: ['recordings'], apiAuthentication: 'oAuth2' })).toEqual(['highLevelSignatureKeysApi', 'highLevelConversationsOAuth2Api']);
		expect(credentialsShown({ enrich: [], apiAuthentication: 'oAuth2' })).toEqual(['highLevelSignatureKeysApi']);
		for (const name of ['highLevelConversationsOAuth2Api', 'highLevelPrivateIntegrationTokenApi']) {
			expect((description.credentials ?? []).find((credential) => credential.name === name)?.required).toBe(true);
		}
	});
});

describe("the credentials' Test buttons", () => {
	const test = node.methods.credentialTest;
	const asCredential = (data: Record<string, unknown> | undefined) => ({ id: '1', name: 'test', type: 'test', data }) as never;

	it('signature keys: the built-in HighLevel keys pass with nothing filled in; a broken key says which', async () => {
		expect(await test.testSignatureKeys.call({} as never, asCredential(undefined))).toMatchObject({ status: 'OK' });
		expect(await test.testSignatureKeys.call({} as never, asCredential({ ed25519PublicKey: 'not a key' }))).toMatchObject({ status: 'Error' });
	});

	it('header secret: an empty credential fails, a long secret with a valid header name passes', async () => {
		expect(await test.testHeaderSecret.call({} as never, asCredential(undefined))).toMatchObject({ status: 'Error' });
		expect(
			await test.testHeaderSecret.call({} as never, asCredential({ headerName: 'x-webhook-secret', secret: 'a'.repeat(40) })),
		).toMatchObject({ status: 'OK' });
	});
});

describe('publishing and unpublishing', () => {
	it('never fails and never calls HighLevel: the user pastes the URL into HighLevel once', async () => {
		const hooks = node.webhookMethods.default;
		expect([await hooks.checkExists.call({} as never), await hooks.create.call({} as never), await hooks.delete.call({} as never)]).toEqual([
			true,
			true,
			true,
		]);
	});
});
