// Workflow and credential JSON for n8n's import commands.
import { NODE_TYPE, PACKAGE_NAME } from './n8n.mjs';

export const TRIGGER_NAME = 'HighLevel Message Trigger';
/** The action node's type when installed from npm, as users install it. */
export const CONVERSATIONS_NODE_TYPE = `${PACKAGE_NAME}.highLevelConversations`;
export const REPLY_NODE_NAME = 'Reply on the same channel';
/** What the auto-reply workflow answers, before the incoming message's text. */
export const AUTO_REPLY_PREFIX = 'Thanks, we got your message: ';
export const CHANNELS = ['SMS', 'Call', 'Voicemail', 'Email', 'WhatsApp', 'Facebook', 'Instagram', 'Google Business', 'Live Chat', 'Other'];

/**
 * The trigger with each output wired to a visible No Op node named after its
 * channel. `id` must be 16 characters (n8n's workflow id format).
 */
export function triggerWorkflow({ id, name, webhookId, parameters = {}, credentials }) {
	const single = parameters.routing === 'single';
	const outputs = single ? ['Message'] : CHANNELS;
	const trigger = triggerNode({ id, webhookId, parameters, credentials });
	const sinks = outputs.map((output, index) => ({
		id: `${id}-out-${index}`,
		name: `${output} received`,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [400, Math.round((index - (outputs.length - 1) / 2) * 150)],
		parameters: {},
	}));
	return {
		id,
		name,
		active: false,
		nodes: [trigger, ...sinks],
		connections: {
			[TRIGGER_NAME]: { main: sinks.map((sink) => [{ node: sink.name, type: 'main', index: 0 }]) },
		},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveManualExecutions: true },
		pinData: {},
	};
}

/** The trigger's version a node added in the editor today gets. */
export const TRIGGER_VERSION = 1.1;

/** The HighLevel Message Trigger as a workflow node (credentials as n8n saves them on a node). */
function triggerNode({ id, webhookId, parameters, credentials }) {
	return {
		id: `${id}-trigger`,
		name: TRIGGER_NAME,
		type: NODE_TYPE,
		typeVersion: TRIGGER_VERSION,
		position: [0, 0],
		webhookId,
		parameters,
		...(credentials ? { credentials } : {}),
	};
}

export function signatureKeysCredential({ id, name, ed25519PublicKey, rsaPublicKey }) {
	return { id, name, type: 'highLevelSignatureKeysApi', data: { ed25519PublicKey, rsaPublicKey: rsaPublicKey ?? '' } };
}

export function credentialRef(credential) {
	return { [credential.type]: { id: credential.id, name: credential.name } };
}

/**
 * The receive-and-answer loop: the trigger (one output per channel) with the
 * outputs in `replyOn` (default: SMS only, so a call or an email never gets an
 * SMS by accident) wired to a HighLevel Conversations node doing Message > Reply
 * on the incoming item, with the text `Thanks, we got your message: <its text>`.
 *
 * `triggerCredentials`: the trigger's credentials as n8n saves them on a node
 * (credentialRef's result) or a credential object, or omitted. `apiCredential`: the credential object of a
 * highLevelPrivateIntegrationTokenApi or highLevelConversationsOAuth2Api (as
 * privateIntegrationTokenCredential returns it; its type picks the node's
 * Authentication). `triggerParameters` are merged into the trigger's (for
 * example `options.locationIds`). `id` must be 16 characters.
 */
export function autoReplyWorkflow({ id, name, webhookId, appId, triggerCredentials, apiCredential, replyOn = ['SMS'], triggerParameters = {} }) {
	for (const channel of replyOn) {
		if (!CHANNELS.includes(channel)) throw new Error(`autoReplyWorkflow: "${channel}" is not a trigger output (${CHANNELS.join(', ')})`);
	}
	const trigger = triggerNode({
		id,
		webhookId,
		parameters: { ...(appId === undefined ? {} : { appIds: appId }), ...triggerParameters },
		credentials: triggerCredentials ? asNodeCredentials(triggerCredentials) : undefined,
	});
	const reply = {
		id: `${id}-reply`,
		name: REPLY_NODE_NAME,
		type: CONVERSATIONS_NODE_TYPE,
		typeVersion: 1,
		position: [460, -300],
		parameters: {
			authentication: apiCredential.type === 'highLevelConversationsOAuth2Api' ? 'oAuth2' : 'privateIntegrationToken',
			resource: 'message',
			operation: 'reply',
			// The incoming trigger item (the node's default, spelt out for readers of the JSON).
			triggerItem: '={{ $json }}',
			message: `=${AUTO_REPLY_PREFIX}{{ $json.text }}`,
		},
		credentials: credentialRef(apiCredential),
	};
	return {
		id,
		name,
		active: false,
		nodes: [trigger, reply],
		connections: {
			[TRIGGER_NAME]: {
				main: CHANNELS.map((channel) => (replyOn.includes(channel) ? [{ node: REPLY_NODE_NAME, type: 'main', index: 0 }] : [])),
			},
		},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveManualExecutions: true },
		pinData: {},
	};
}

/** A node's `credentials` from a credential object (with `type`) or as they are. */
function asNodeCredentials(value) {
	return typeof value.type === 'string' && typeof value.id === 'string' ? credentialRef(value) : value;
}

/** A HighLevel Private Integration Token credential (for the stand-in: its URL as baseUrl). */
export function privateIntegrationTokenCredential({ id, name, token, locationId, baseUrl }) {
	return {
		id,
		name,
		type: 'highLevelPrivateIntegrationTokenApi',
		data: { token, locationId, baseUrl: baseUrl ?? 'https://services.leadconnectorhq.com' },
	};
}
