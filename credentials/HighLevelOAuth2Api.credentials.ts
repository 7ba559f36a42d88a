import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** What the node's operations need; HighLevel grants no more than the app asks for. */
const SCOPES = [
	'contacts.readonly',
	'conversations.readonly',
	'conversations/message.readonly',
	'conversations/message.write',
];

/**
 * A HighLevel sub-account (location) token through a HighLevel Marketplace app.
 * Named apart from n8n's own `highLevelOAuth2Api`, which community packages may
 * not reuse.
 */
export class HighLevelOAuth2Api implements ICredentialType {
	name = 'highLevelConversationsOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'HighLevel Conversations OAuth2 API';

	icon = { light: 'file:../nodes/HighLevel/highLevel.svg', dark: 'file:../nodes/HighLevel/highLevel.dark.svg' } as const;

	documentationUrl = 'https://marketplace.gohighlevel.com/docs/Authorization/OAuth2.0';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'options',
			options: [
				{ name: 'Standard', value: 'https://marketplace.gohighlevel.com/oauth/chooselocation' },
				{ name: 'White-Label', value: 'https://marketplace.leadconnectorhq.com/oauth/chooselocation' },
			],
			default: 'https://marketplace.gohighlevel.com/oauth/chooselocation',
			required: true,
			description: "Where HighLevel asks you to choose the sub-account. White-Label: your agency's white-label domain.",
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://services.leadconnectorhq.com/oauth/token',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: SCOPES.join(' '),
			required: true,
			hint: `Separate scopes by spaces. The node needs: ${SCOPES.join(', ')}. Your HighLevel app must have the same scopes.`,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://services.leadconnectorhq.com',
			description: 'Change only to reach HighLevel through a proxy or another regional host',
		},
	];
}
