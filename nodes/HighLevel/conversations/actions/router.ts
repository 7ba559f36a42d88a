/**
 * Runs the chosen operation once per input item, the way n8n's own nodes do:
 * output items keep their pairedItem, and with Continue On Fail an item that
 * fails becomes an item carrying the error while the others go on.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { connect, type Connection, credentialTypeFor } from '../../api/connection';
import * as contact from './contact';
import * as conversation from './conversation';
import * as message from './message';
import type { Operation } from './types';

export const OPERATIONS: Readonly<Record<string, Readonly<Record<string, Operation>>>> = {
	message: {
		send: message.send,
		reply: message.reply,
		get: message.get,
		getRecording: message.getRecording,
		getTranscription: message.getTranscription,
		updateStatus: message.updateStatus,
	},
	conversation: {
		search: conversation.search,
		get: conversation.get,
		getMessages: conversation.getMessages,
	},
	contact: {
		get: contact.get,
	},
};

/**
 * The failed item: the message, and the description and HTTP code when the error
 * has them (n8n's errors never hold empty ones: NodeApiError has a code or null,
 * NodeOperationError none).
 */
function errorJson(error: Error & { description?: unknown; httpCode?: unknown }): IDataObject {
	const json: IDataObject = { error: error.message };
	if (typeof error.description === 'string') json.description = error.description;
	if (typeof error.httpCode === 'string') json.httpCode = error.httpCode;
	return json;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	// Stryker disable next-line OptionalChaining: n8n drops the operation parameter of a resource the node does not describe, so getNodeParameter('operation') has thrown before
	const run = OPERATIONS[resource]?.[operation];
	if (run === undefined) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	const credentialType = credentialTypeFor(this.getNodeParameter('authentication', 0));

	let connection: Connection | undefined;
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			connection ??= await connect(this, credentialType, itemIndex);
			for (const result of await run.call(this, itemIndex, connection)) {
				output.push({ ...result, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				output.push({ json: errorJson(error as Error), pairedItem: { item: itemIndex } });
				continue;
			}
			if (error instanceof NodeApiError || error instanceof NodeOperationError) {
				error.context.itemIndex ??= itemIndex;
			}
			// Both constructors hand back an error of their own class unchanged.
			if (error instanceof NodeApiError) throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return [output];
}
