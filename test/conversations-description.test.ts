/**
 * The HighLevel Conversations node as saved workflows, n8n's loader and the
 * editor see it: the type name and version workflows are saved with, the name and
 * icon in the nodes panel and on the canvas, the subtitle under it, its one input
 * and output. (test/conversations-node.test.ts covers the resources, operations and
 * credentials; test/package.test.ts the same node as built and loaded by n8n-core.)
 */
import { HighLevelConversations } from '../nodes/HighLevel/HighLevelConversations.node';
import { readExampleWorkflows, readPackageJson } from './helpers/conversations-description.cjs';
import { fileExists, repoPath } from './helpers/io.cjs';
import { evaluateSubtitle } from './helpers/subtitle.cjs';

const { description } = new HighLevelConversations();

describe('what saved workflows depend on', () => {
	it('the type name and version: n8n-nodes-highlevel-messages.highLevelConversations, version 1 (and its AI tool, …Tool)', () => {
		expect(description.name).toBe('highLevelConversations');
		expect(description.version).toBe(1);
		// README, "With an AI Agent": the tool's type is the node's type with "Tool" appended, as n8n derives it.
		expect(`${readPackageJson().name}.${description.name}Tool`).toBe('n8n-nodes-highlevel-messages.highLevelConversationsTool');
	});

	it('every HighLevel Conversations node in the example workflows is this node, at a version it has', () => {
		const packageName = readPackageJson().name;
		const saved = readExampleWorkflows().flatMap(({ file, workflow }) =>
			workflow.nodes
				.filter((node) => node.type.startsWith(`${packageName}.highLevelConversations`))
				.map((node) => ({ file, type: node.type, typeVersion: node.typeVersion })),
		);
		expect(saved.length).toBeGreaterThanOrEqual(4);
		for (const node of saved) {
			expect([`${packageName}.${description.name}`, `${packageName}.${description.name}Tool`]).toContain(node.type);
			expect(node.typeVersion).toBe(description.version);
		}
	});
});

describe('what the editor shows', () => {
	it('the name of SPEC section 7, in the nodes panel and for a new node on the canvas', () => {
		expect(description.displayName).toBe('HighLevel Conversations');
		// n8n names a node it adds after its display name.
		expect(description.defaults).toEqual({ name: 'HighLevel Conversations' });
	});

	it('the nodes panel says what it does', () => {
		expect(description.description).toMatch(/HighLevel/);
		expect(description.description).toMatch(/^Send and reply to .*messages/);
		expect(description.description).toMatch(/recordings, conversations and contacts/);
	});

	it('HighLevel\'s icon, light and dark, as files beside the node', () => {
		const icons = { light: 'file:highLevel.svg', dark: 'file:highLevel.dark.svg' };
		expect(description.icon).toEqual(icons);
		for (const icon of Object.values(icons)) {
			expect(fileExists(repoPath('nodes', 'HighLevel', icon.replace(/^file:/, '')))).toBe(true);
		}
	});

	it.each([
		{ resource: 'message', operation: 'send', shown: 'send: message' },
		{ resource: 'message', operation: 'getRecording', shown: 'getRecording: message' },
		{ resource: 'conversation', operation: 'getMessages', shown: 'getMessages: conversation' },
		{ resource: 'contact', operation: 'get', shown: 'get: contact' },
	])('the subtitle under the node reads "$shown" (operation: resource, as n8n\'s own resource nodes show it)', ({ resource, operation, shown }) => {
		expect(evaluateSubtitle(description.subtitle, { resource, operation })).toBe(shown);
	});

	it('an action node, in the group of n8n\'s own nodes that send out (Telegram, WhatsApp, MessageBird, Mailgun), not a trigger', () => {
		expect(description.group).toEqual(['output']);
	});

	it('one main input and one main output, as every regular n8n node (n8n\'s lint rule for inputs)', () => {
		expect(description.inputs).toEqual(['main']);
		expect(description.outputs).toEqual(['main']);
	});
});
