// Workflow and credential JSON for n8n's import commands.
import { NODE_TYPE } from './n8n.mjs';

export const TRIGGER_NAME = 'HighLevel Message Trigger';
export const CHANNELS = ['SMS', 'Call', 'Voicemail', 'Email', 'WhatsApp', 'Facebook', 'Instagram', 'Google Business', 'Live Chat', 'Other'];

/**
 * The trigger with each output wired to a visible No Op node named after its
 * channel. `id` must be 16 characters (n8n's workflow id format).
 */
export function triggerWorkflow({ id, name, webhookId, parameters = {}, credentials }) {
	const single = parameters.routing === 'single';
	const outputs = single ? ['Message'] : CHANNELS;
	const trigger = {
		id: `${id}-trigger`,
		name: TRIGGER_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters,
		...(credentials ? { credentials } : {}),
	};
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

export function signatureKeysCredential({ id, name, ed25519PublicKey, rsaPublicKey }) {
	return { id, name, type: 'highLevelSignatureKeysApi', data: { ed25519PublicKey, rsaPublicKey: rsaPublicKey ?? '' } };
}

export function credentialRef(credential) {
	return { [credential.type]: { id: credential.id, name: credential.name } };
}
