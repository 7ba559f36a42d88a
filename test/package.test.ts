/**
 * The built package as n8n loads it at start-up: n8n-core's PackageDirectoryLoader
 * reads package.json's "n8n" section, loads node and credentials from dist/, and
 * resolves the icons. Run after `npm run build` (npm test does).
 */
import { PackageDirectoryLoader } from 'n8n-core';
import { type INode, type INodeTypeDescription, type INodeTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import { SPEC_OUTPUTS } from './helpers/expected.cjs';
import { fileExists, repoPath } from './helpers/io.cjs';

const NODE_TYPE = 'highLevelMessageTrigger';

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
		expect(Object.keys(loader.nodeTypes)).toEqual([NODE_TYPE]);
		const description = loader.nodeTypes[NODE_TYPE].type.description as INodeTypeDescription;
		expect(description.displayName).toBe('HighLevel Message Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.webhooks?.[0]).toMatchObject({ httpMethod: 'POST', responseMode: 'onReceived' });
	});

	it('finds both credentials, each tested by the node', () => {
		expect(Object.keys(loader.credentialTypes).sort()).toEqual(['highLevelHeaderSecretApi', 'highLevelSignatureKeysApi']);
		const description = loader.nodeTypes[NODE_TYPE].type.description as INodeTypeDescription;
		for (const credential of description.credentials ?? []) {
			expect(loader.credentialTypes[credential.name]).toBeDefined();
			expect(credential.testedBy).toBeTruthy();
		}
	});

	it('resolves light and dark icons to files that exist in dist/', () => {
		const description = loader.types.nodes.find((node) => node.name === NODE_TYPE);
		const iconUrl = description?.iconUrl as { light: string; dark: string };
		expect(iconUrl.light).toMatch(/^icons\/n8n-nodes-highlevel-messages\/dist\/nodes\/HighLevel\/highLevel\.svg$/);
		expect(iconUrl.dark).toMatch(/highLevel\.dark\.svg$/);
		for (const url of [iconUrl.light, iconUrl.dark]) {
			expect(fileExists(repoPath(url.replace('icons/n8n-nodes-highlevel-messages/', '')))).toBe(true);
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
});
