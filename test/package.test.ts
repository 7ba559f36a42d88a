/**
 * The built package as n8n loads it at start-up: n8n-core's PackageDirectoryLoader
 * reads package.json's "n8n" section, loads node and credentials from dist/, and
 * resolves the icons. Run after `npm run build` (npm test does).
 */
import { PackageDirectoryLoader } from 'n8n-core';
import { type INode, type INodeTypeDescription, type INodeTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import { SPEC_OUTPUTS } from './helpers/expected.cjs';
import { builtSources, fileExists, repoPath } from './helpers/io.cjs';

const NODE_TYPE = 'highLevelMessageTrigger';
const ACTION_NODE_TYPE = 'highLevelConversations';

async function loadPackage() {
	const loader = new PackageDirectoryLoader(repoPath());
	await loader.loadAll();
	return loader;
}

function workflowWith(description: INodeTypeDescription, parameters: Record<string, unknown>) {
	const node: INode = {
		id: 'n1',
		name: 'HighLevel Message Trigger',
		type: `n8n-nodes-highlevel-messages.${NODE_TYPE}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, null, description) ?? {},
	};
	const nodeTypes = {
		getByName: () => ({ description }),
		getByNameAndVersion: () => ({ description }),
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return { workflow, node };
}

describe('the built package, loaded by n8n-core', () => {
	let loader: PackageDirectoryLoader;
	beforeAll(async () => {
		loader = await loadPackage();
	});

	it('finds the trigger node under the package name', () => {
		expect(loader.packageName).toBe('n8n-nodes-highlevel-messages');
		expect(Object.keys(loader.nodeTypes).sort()).toEqual([ACTION_NODE_TYPE, NODE_TYPE].sort());
		const description = loader.nodeTypes[NODE_TYPE].type.description as INodeTypeDescription;
		expect(description.displayName).toBe('HighLevel Message Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.webhooks?.[0]).toMatchObject({ httpMethod: 'POST', responseMode: 'onReceived' });
	});

	it('finds all four credentials; each credential the trigger uses can be tested in n8n', () => {
		expect(Object.keys(loader.credentialTypes).sort()).toEqual([
			'highLevelConversationsOAuth2Api',
			'highLevelHeaderSecretApi',
			'highLevelPrivateIntegrationTokenApi',
			'highLevelSignatureKeysApi',
		]);
		const description = loader.nodeTypes[NODE_TYPE].type.description as INodeTypeDescription;
		for (const credential of description.credentials ?? []) {
			expect(loader.credentialTypes[credential.name]).toBeDefined();
			// The signature and header-secret credentials are tested by the trigger; the
			// API credentials (Fill In From HighLevel API) as the action node's are: OAuth2
			// by connecting, the token by its own test request.
			const type = loader.credentialTypes[credential.name].type;
			expect(Boolean(credential.testedBy) || type.extends?.includes('oAuth2Api') || type.test !== undefined).toBe(true);
		}
	});

	it('finds the HighLevel Conversations action node, with credentials of this package that n8n can test', () => {
		const description = loader.nodeTypes[ACTION_NODE_TYPE].type.description as INodeTypeDescription;
		expect(description.displayName).toBe('HighLevel Conversations');
		expect(description.usableAsTool).toBe(true);
		expect(description.inputs).toEqual(['main']);
		const names = (description.credentials ?? []).map((credential) => credential.name);
		expect(names.sort()).toEqual(['highLevelConversationsOAuth2Api', 'highLevelPrivateIntegrationTokenApi']);
		for (const name of names) {
			const credential = loader.credentialTypes[name].type;
			// n8n tests OAuth2 credentials by connecting; the token credential has a test request.
			expect(credential.extends?.includes('oAuth2Api') || credential.test !== undefined).toBe(true);
		}
	});

	it('resolves light and dark icons of both nodes to files that exist in dist/', () => {
		for (const name of [NODE_TYPE, ACTION_NODE_TYPE]) {
			const description = loader.types.nodes.find((node) => node.name === name);
			const iconUrl = description?.iconUrl as { light: string; dark: string };
			expect(iconUrl.light).toMatch(/^icons\/n8n-nodes-highlevel-messages\/dist\/nodes\/HighLevel\/highLevel\.svg$/);
			expect(iconUrl.dark).toMatch(/highLevel\.dark\.svg$/);
			for (const url of [iconUrl.light, iconUrl.dark]) {
				expect(fileExists(repoPath(url.replace('icons/n8n-nodes-highlevel-messages/', '')))).toBe(true);
			}
		}
	});

	it('resolves light and dark icons of all four credentials', () => {
		expect(loader.types.credentials).toHaveLength(4);
		for (const credential of loader.types.credentials) {
			const iconUrl = credential.iconUrl as { light: string; dark: string };
			expect(iconUrl.light).toMatch(/^icons\/n8n-nodes-highlevel-messages\/dist\/nodes\/HighLevel\/highLevel\.svg$/);
			expect(iconUrl.dark).toMatch(/highLevel\.dark\.svg$/);
			expect(fileExists(repoPath(iconUrl.dark.replace('icons/n8n-nodes-highlevel-messages/', '')))).toBe(true);
		}
	});

	it('n8n-workflow evaluates ten named outputs per channel, one for Single Output', () => {
		const description = loader.nodeTypes[NODE_TYPE].type.description as INodeTypeDescription;
		const perChannel = workflowWith(description, {});
		const outputs = NodeHelpers.getNodeOutputs(perChannel.workflow, perChannel.node, description);
		expect(outputs.map((output) => (typeof output === 'string' ? output : output.displayName))).toEqual(SPEC_OUTPUTS);
		const single = workflowWith(description, { routing: 'single' });
		const singleOutputs = NodeHelpers.getNodeOutputs(single.workflow, single.node, description);
		expect(singleOutputs).toEqual([{ type: 'main', displayName: 'Message' }]);
	});

	it('uses only n8n-workflow values that both n8n lines have at runtime (n8n-workflow differs between them)', () => {
		// Checked against the n8n-workflow inside n8n 2.40.7 (2.40.1) and 1.123.81
		// (1.120.31): 2.40's has no sleepWithAbort, which the tests' own copy has.
		const AVAILABLE_IN_BOTH = ['NodeApiError', 'NodeConnectionTypes', 'NodeOperationError', 'jsonParse', 'sleep', 'updateDisplayOptions'];
		const used = new Set<string>();
		for (const { text } of builtSources()) {
			for (const match of text.matchAll(/n8n_workflow_\d+\.([A-Za-z_$][\w$]*)/g)) used.add(match[1]);
		}
		expect(used.size).toBeGreaterThan(0);
		expect([...used].filter((name) => !AVAILABLE_IN_BOTH.includes(name))).toEqual([]);
	});
});
