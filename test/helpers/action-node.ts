import type { INode } from 'n8n-workflow';

/** The HighLevel Conversations node as a workflow holds it, for contexts and errors built in tests. */
export function actionNode(parameters: INode['parameters'] = {}, credentials?: INode['credentials']): INode {
	return {
		id: 'node-1',
		name: 'HighLevel Conversations',
		type: 'n8n-nodes-highlevel-messages.highLevelConversations',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...(credentials === undefined ? {} : { credentials }),
	};
}
