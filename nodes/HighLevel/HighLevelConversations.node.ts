import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './conversations/actions/router';
import { AUTH_OAUTH2, AUTH_PRIVATE_INTEGRATION_TOKEN, properties } from './conversations/description';

export class HighLevelConversations implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighLevel Conversations',
		name: 'highLevelConversations',
		icon: { light: 'file:highLevel.svg', dark: 'file:highLevel.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Send and reply to HighLevel (GoHighLevel / LeadConnector) conversation messages on any channel, and read messages, recordings, conversations and contacts',
		defaults: { name: 'HighLevel Conversations' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'highLevelConversationsOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: [AUTH_OAUTH2] } },
			},
			{
				name: 'highLevelPrivateIntegrationTokenApi',
				required: true,
				displayOptions: { show: { authentication: [AUTH_PRIVATE_INTEGRATION_TOKEN] } },
			},
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
