// The example workflows in examples/ (linked from the README) must import into
// n8n and run as they read: valid workflow JSON, connections between nodes that
// exist, and, for this package's nodes, only node types, versions, parameters,
// option values and credentials that the built node descriptions (dist/, what
// users install) really have, shown for the chosen resource and operation.
// n8n's own node types are only checked for a well-formed type string: their
// descriptions are n8n's, not this package's.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const examplesDir = path.join(repoRoot, 'examples');
const distDir = path.join(repoRoot, 'dist', 'nodes', 'HighLevel');
const PACKAGE_NAME = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).name;

if (!existsSync(path.join(distDir, 'HighLevelConversations.node.js'))) {
	throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
}
const { HighLevelConversations } = require(path.join(distDir, 'HighLevelConversations.node.js'));
const { HighLevelMessageTrigger } = require(path.join(distDir, 'HighLevelMessageTrigger.node.js'));
const { CHANNELS } = require(path.join(distDir, 'channel.js'));

/**
 * What n8n makes of a `usableAsTool` node (n8n's convertNodeToAiTool, the same in
 * 1.123 and 2.40): type name + "Tool", no main input or output, and a Tool
 * Description chosen automatically or typed in.
 */
function asTool(description) {
	return {
		...description,
		name: `${description.name}Tool`,
		properties: [
			{ displayName: 'Tool Description', name: 'descriptionType', type: 'options', options: [{ value: 'auto' }, { value: 'manual' }], default: 'auto' },
			{ displayName: 'Description', name: 'toolDescription', type: 'string', default: '', required: true, displayOptions: { show: { descriptionType: ['manual'] } } },
			...description.properties,
		],
	};
}

const conversations = new HighLevelConversations().description;
const trigger = new HighLevelMessageTrigger().description;
assert.equal(conversations.usableAsTool, true);
const PACKAGE_TYPES = Object.fromEntries(
	[conversations, asTool(conversations), trigger].map((description) => [`${PACKAGE_NAME}.${description.name}`, description]),
);
const N8N_TYPE = /^(n8n-nodes-base|@n8n\/n8n-nodes-langchain)\.[a-z][A-Za-z0-9]*$/;
const CONNECTION_TYPES = new Set(['main', 'ai_tool', 'ai_languageModel', 'ai_memory', 'ai_outputParser']);

const isExpression = (value) => typeof value === 'string' && value.startsWith('=');

function conditionHolds(condition, actual) {
	if (condition && typeof condition === 'object' && '_cnd' in condition) {
		const [[operator, expected]] = Object.entries(condition._cnd);
		switch (operator) {
			case 'eq':
				return actual === expected;
			case 'not':
				return actual !== expected;
			case 'gte':
				return actual >= expected;
			case 'gt':
				return actual > expected;
			case 'lte':
				return actual <= expected;
			case 'lt':
				return actual < expected;
			default:
				throw new Error(`displayOptions condition ${operator} is not handled by this test`);
		}
	}
	return condition === actual;
}

/** n8n's displayOptions: every `show` key matches one of its values, no `hide` key does. */
function shown(property, parameters, version, root = parameters) {
	const valueOf = (key) => (key === '@version' ? version : key.startsWith('/') ? root[key.slice(1)] : parameters[key]);
	const { show = {}, hide = {} } = property.displayOptions ?? {};
	return (
		Object.entries(show).every(([key, values]) => values.some((condition) => conditionHolds(condition, valueOf(key)))) &&
		!Object.entries(hide).some(([key, values]) => values.some((condition) => conditionHolds(condition, valueOf(key))))
	);
}

/** The node's parameters with n8n's defaults filled in for what is shown and not set. */
function withDefaults(properties, parameters, version) {
	const resolved = { ...parameters };
	for (const property of properties) {
		if (!(property.name in resolved) && shown(property, resolved, version)) resolved[property.name] = property.default;
	}
	return resolved;
}

function optionValues(property) {
	return (property.options ?? []).map((option) => option.value);
}

/** One parameter value against its property: option values, collection keys. Returns problems. */
function checkValue(property, value, where, root, version) {
	if (isExpression(value)) return [];
	const problems = [];
	if (property.type === 'options' && !optionValues(property).includes(value)) {
		problems.push(`${where}: "${value}" is not one of ${JSON.stringify(optionValues(property))}`);
	}
	if (property.type === 'multiOptions') {
		for (const item of value) if (!optionValues(property).includes(item)) problems.push(`${where}: "${item}" is not an option`);
	}
	if (property.type === 'boolean' && typeof value !== 'boolean') problems.push(`${where}: not a boolean`);
	if (property.type === 'number' && typeof value !== 'number') problems.push(`${where}: not a number`);
	if (property.type === 'collection') {
		for (const [key, inner] of Object.entries(value)) {
			const option = property.options.find((candidate) => candidate.name === key && shown(candidate, value, version, root));
			if (!option) problems.push(`${where}.${key}: no such option (for these settings)`);
			else problems.push(...checkValue(option, inner, `${where}.${key}`, root, version));
		}
	}
	return problems;
}

/** Every problem of one node of this package, in words. */
function packageNodeProblems(node, description) {
	const problems = [];
	const versions = [description.version].flat();
	if (!versions.includes(node.typeVersion)) problems.push(`typeVersion ${node.typeVersion} is not one of ${versions}`);
	const parameters = withDefaults(description.properties, node.parameters, node.typeVersion);
	for (const [name, value] of Object.entries(node.parameters)) {
		const candidates = description.properties.filter((property) => property.name === name);
		if (candidates.length === 0) {
			problems.push(`parameter "${name}" does not exist`);
			continue;
		}
		const property = candidates.find((candidate) => shown(candidate, parameters, node.typeVersion));
		if (!property) {
			problems.push(`parameter "${name}" is not shown for ${JSON.stringify({ resource: parameters.resource, operation: parameters.operation })}`);
			continue;
		}
		problems.push(...checkValue(property, value, name, parameters, node.typeVersion));
	}
	for (const property of description.properties) {
		if (property.required && shown(property, parameters, node.typeVersion) && (parameters[property.name] ?? '') === '') {
			problems.push(`required parameter "${property.name}" is empty`);
		}
	}
	const allowedCredentials = (description.credentials ?? [])
		.filter((credential) => shown(credential, parameters, node.typeVersion))
		.map((credential) => credential.name);
	for (const type of Object.keys(node.credentials ?? {})) {
		if (!allowedCredentials.includes(type)) problems.push(`credential type ${type} is not one this node uses here (${allowedCredentials})`);
	}
	for (const credential of description.credentials ?? []) {
		if (credential.required && shown(credential, parameters, node.typeVersion) && !node.credentials?.[credential.name]) {
			problems.push(`needs a ${credential.name} credential (placeholder)`);
		}
	}
	return problems;
}

/** Strings anywhere in a node's parameters. */
function strings(value) {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
	return [];
}

const files = readdirSync(examplesDir).filter((file) => file.endsWith('.json')).sort();
const load = (file) => JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8'));
const nodeByName = (workflow, name) => workflow.nodes.find((node) => node.name === name);
const TRIGGER_TYPE = `${PACKAGE_NAME}.${trigger.name}`;

/** Trigger output names (by routing) that the workflow wires to something. */
function wiredOutputs(workflow) {
	const triggerNode = workflow.nodes.find((node) => node.type === TRIGGER_TYPE);
	const outputs = triggerNode.parameters.routing === 'single' ? ['Message'] : CHANNELS;
	return (workflow.connections[triggerNode.name]?.main ?? []).flatMap((targets, index) => (targets.length > 0 ? [outputs[index]] : []));
}

describe('examples/', () => {
	it('holds the three example workflows the README links to', () => {
		assert.deepEqual(files, ['ai-auto-reply.json', 'missed-call-text-back.json', 'voicemail-transcription-to-email.json']);
	});

	for (const file of files) {
		describe(file, () => {
			const workflow = load(file);

			it('is an n8n workflow: name, nodes with unique names and ids, positions, settings', () => {
				assert.equal(typeof workflow.name, 'string');
				assert.ok(Array.isArray(workflow.nodes) && workflow.nodes.length > 0);
				assert.equal(typeof workflow.connections, 'object');
				assert.equal(workflow.settings?.executionOrder, 'v1');
				assert.equal(new Set(workflow.nodes.map((node) => node.name)).size, workflow.nodes.length, 'node names are unique');
				assert.equal(new Set(workflow.nodes.map((node) => node.id)).size, workflow.nodes.length, 'node ids are unique');
				for (const node of workflow.nodes) {
					assert.match(node.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, node.name);
					assert.ok(Array.isArray(node.position) && node.position.length === 2 && node.position.every(Number.isFinite), node.name);
					assert.equal(typeof node.typeVersion, 'number', node.name);
					assert.equal(typeof node.parameters, 'object', node.name);
				}
			});

			it('uses only node types that exist: this package\'s by their descriptions, n8n\'s well-formed', () => {
				for (const node of workflow.nodes) {
					if (node.type.startsWith(`${PACKAGE_NAME}.`)) {
						assert.ok(PACKAGE_TYPES[node.type], `${node.name}: ${node.type} is not a node of this package`);
					} else {
						assert.match(node.type, N8N_TYPE, node.name);
					}
				}
			});

			it('sets only parameters, option values and credentials this package\'s nodes have', () => {
				for (const node of workflow.nodes.filter((candidate) => PACKAGE_TYPES[candidate.type])) {
					assert.deepEqual(packageNodeProblems(node, PACKAGE_TYPES[node.type]), [], `${node.name} (${node.type})`);
				}
			});

			it('leaves credentials to the user: placeholders by name, no ids', () => {
				for (const node of workflow.nodes) {
					for (const [type, credential] of Object.entries(node.credentials ?? {})) {
						assert.deepEqual(Object.keys(credential).sort(), ['id', 'name'], `${node.name} ${type}`);
						assert.equal(credential.id, null, `${node.name} ${type}`);
						assert.equal(typeof credential.name, 'string');
					}
				}
			});

			it('connects nodes that exist, with the right kinds of connection', () => {
				for (const [source, byType] of Object.entries(workflow.connections)) {
					const from = nodeByName(workflow, source);
					assert.ok(from, `connection from unknown node ${source}`);
					for (const [type, outputs] of Object.entries(byType)) {
						assert.ok(CONNECTION_TYPES.has(type), `${source}: connection type ${type}`);
						if (from.type.endsWith('Tool')) assert.equal(type, 'ai_tool', `${source} is a tool`);
						if (from.type === `${PACKAGE_NAME}.${conversations.name}`) assert.ok(outputs.length <= 1, `${source} has one output`);
						if (from.type === TRIGGER_TYPE) {
							assert.ok(outputs.length <= (from.parameters.routing === 'single' ? 1 : CHANNELS.length), `${source}: more outputs than the trigger has`);
						}
						for (const target of outputs.flat()) {
							assert.ok(nodeByName(workflow, target.node), `${source} -> unknown node ${target.node}`);
							assert.equal(target.type, type);
						}
					}
				}
				for (const node of workflow.nodes) {
					if (node.type === 'n8n-nodes-base.stickyNote') continue;
					const connected =
						node.name in workflow.connections ||
						Object.values(workflow.connections).some((byType) => Object.values(byType).flat(2).some((target) => target.node === node.name));
					assert.ok(connected, `${node.name} is connected`);
				}
			});

			it('refers in expressions only to nodes that exist, and asks the AI only inside tools', () => {
				for (const node of workflow.nodes) {
					for (const text of strings(node.parameters).filter(isExpression)) {
						for (const [, name] of text.matchAll(/\$\(\s*'([^']+)'\s*\)/g)) {
							assert.ok(nodeByName(workflow, name), `${node.name} refers to $('${name}')`);
						}
						if (text.includes('$fromAI(')) assert.ok(node.type.endsWith('Tool'), `${node.name} uses $fromAI outside a tool`);
					}
				}
			});
		});
	}

	it('AI auto-reply: text channels go to the AI Agent, which answers with this package\'s Reply as its tool', () => {
		const workflow = load('ai-auto-reply.json');
		assert.deepEqual(wiredOutputs(workflow), ['SMS', 'Email', 'WhatsApp', 'Facebook', 'Instagram', 'Live Chat']);
		const agent = workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.agent');
		const tool = workflow.nodes.find((node) => node.type === `${PACKAGE_NAME}.highLevelConversationsTool`);
		assert.deepEqual([tool.parameters.resource, tool.parameters.operation], ['message', 'reply']);
		assert.deepEqual(workflow.connections[tool.name].ai_tool, [[{ node: agent.name, type: 'ai_tool', index: 0 }]]);
		const model = Object.entries(workflow.connections).find(([, byType]) => byType.ai_languageModel);
		assert.ok(model, 'a chat model is connected');
		const history = workflow.nodes.find((node) => node.parameters.operation === 'getMessages');
		assert.equal(history.parameters.resource, 'conversation');
	});

	it('missed-call text-back: the Call output, through an IF, replies by SMS', () => {
		const workflow = load('missed-call-text-back.json');
		assert.deepEqual(wiredOutputs(workflow), ['Call']);
		const reply = workflow.nodes.find((node) => node.parameters.operation === 'reply');
		assert.equal(reply.parameters.options.replyChannel, 'SMS');
		const condition = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.if');
		assert.deepEqual(workflow.connections[condition.name].main[0], [{ node: reply.name, type: 'main', index: 0 }]);
		assert.match(JSON.stringify(condition.parameters), /no-answer/);
	});

	it('voicemail to email: the Voicemail output, its transcription and recording, emailed', () => {
		const workflow = load('voicemail-transcription-to-email.json');
		assert.deepEqual(wiredOutputs(workflow), ['Voicemail']);
		const operations = workflow.nodes.filter((node) => node.type === `${PACKAGE_NAME}.highLevelConversations`).map((node) => node.parameters.operation);
		assert.deepEqual(operations, ['getTranscription', 'getRecording']);
		const email = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.emailSend');
		assert.equal(email.parameters.options.attachments, 'data');
		assert.match(email.parameters.text, /\$\('Get Transcription'\)\.item\.json\.text/);
	});
});

describe('scripts/lib/workflows.mjs autoReplyWorkflow (the demo\'s and the end-to-end tests\' auto-reply)', () => {
	it('wires the SMS output to a Message > Reply with the real parameters and credential', async () => {
		const { autoReplyWorkflow, privateIntegrationTokenCredential } = await import('../../scripts/lib/workflows.mjs');
		const credential = privateIntegrationTokenCredential({
			id: 'hlPitCredential1',
			name: 'HighLevel stand-in',
			token: 'pit-example-token',
			locationId: 'location-1',
			baseUrl: 'http://127.0.0.1:1',
		});
		assert.deepEqual(credential.data, { token: 'pit-example-token', locationId: 'location-1', baseUrl: 'http://127.0.0.1:1' });
		const propertyNames = new (require(path.join(repoRoot, 'dist', 'credentials', 'HighLevelPrivateIntegrationTokenApi.credentials.js')).HighLevelPrivateIntegrationTokenApi)().properties.map(
			(property) => property.name,
		);
		assert.deepEqual(Object.keys(credential.data).sort(), [...propertyNames].sort());
		const workflow = autoReplyWorkflow({
			id: 'hlAutoReplyFlow1',
			name: 'auto-reply',
			webhookId: '0d3c0a5e-7e57-4c1a-9d3e-000000000002',
			appId: '64d0e0000000000000000de0',
			triggerCredentials: { highLevelSignatureKeysApi: { id: 'hlKeys0000000001', name: 'keys' } },
			apiCredential: credential,
		});
		assert.deepEqual(wiredOutputs(workflow), ['SMS']);
		for (const node of workflow.nodes) {
			assert.deepEqual(packageNodeProblems(node, PACKAGE_TYPES[node.type]), [], node.name);
		}
		const reply = workflow.nodes.find((node) => node.parameters.operation === 'reply');
		assert.equal(reply.parameters.message, '=Thanks, we got your message: {{ $json.text }}');
		assert.deepEqual(reply.credentials, { highLevelPrivateIntegrationTokenApi: { id: 'hlPitCredential1', name: 'HighLevel stand-in' } });
		assert.deepEqual(wiredOutputs(autoReplyWorkflow({ id: 'x', name: 'x', webhookId: 'x', apiCredential: credential, replyOn: ['SMS', 'WhatsApp'] })), ['SMS', 'WhatsApp']);
		assert.throws(() => autoReplyWorkflow({ id: 'x', name: 'x', webhookId: 'x', apiCredential: credential, replyOn: ['Fax'] }), /not a trigger output/);
	});
});

describe('the examples check itself', () => {
	// The check above must be able to fail: a misspelt operation, a parameter of
	// another operation, a refused option value and a wrong credential are caught.
	const reply = load('missed-call-text-back.json').nodes.find((node) => node.parameters.operation === 'reply');
	const variant = (change) => {
		const node = structuredClone(reply);
		change(node);
		return packageNodeProblems(node, PACKAGE_TYPES[node.type]);
	};
	it('catches what would break the import or the run', () => {
		assert.match(variant((node) => (node.parameters.operation = 'respond')).join(), /"respond" is not one of/);
		assert.match(variant((node) => (node.parameters.channel = 'SMS')).join(), /"channel" is not shown/);
		assert.match(variant((node) => (node.parameters.options.replyChannel = 'GMB')).join(), /"GMB" is not one of/);
		assert.match(variant((node) => (node.parameters.options.subjectLine = 'x')).join(), /options\.subjectLine: no such option/);
		assert.match(variant((node) => (node.parameters.message = '')).join(), /required parameter "message" is empty/);
		assert.match(variant((node) => (node.credentials = { highLevelConversationsOAuth2Api: { id: null, name: 'x' } })).join(), /is not one this node uses/);
		assert.match(variant((node) => (node.typeVersion = 2)).join(), /typeVersion 2/);
		assert.deepEqual(variant(() => undefined), []);
	});
});
