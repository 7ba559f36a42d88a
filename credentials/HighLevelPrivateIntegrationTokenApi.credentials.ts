import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A HighLevel Private Integration Token of one sub-account (Settings > Private
 * Integrations): a static bearer token with the scopes ticked when it was made.
 */
export class HighLevelPrivateIntegrationTokenApi implements ICredentialType {
	name = 'highLevelPrivateIntegrationTokenApi';

	displayName = 'HighLevel Private Integration Token API';

	icon = { light: 'file:../nodes/HighLevel/highLevel.svg', dark: 'file:../nodes/HighLevel/highLevel.dark.svg' } as const;

	documentationUrl = 'https://help.gohighlevel.com/support/solutions/articles/155000003054-private-integrations-everything-you-need-to-know';

	properties: INodeProperties[] = [
		{
			displayName: 'Private Integration Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: 'In the sub-account: Settings > Private Integrations > Create New Integration. Tick the scopes contacts.readonly, conversations.readonly, conversations/message.readonly and conversations/message.write.',
		},
		{
			displayName: 'Location ID',
			name: 'locationId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. l1C08ntBrFjLS0elLIYU',
			description: 'ID of the sub-account the token belongs to (Settings > Business Profile, or the part after /location/ in the HighLevel URL)',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://services.leadconnectorhq.com',
			description: 'Change only to reach HighLevel through a proxy or another regional host',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.token}}' },
		},
	};

	// Searching the sub-account's conversations proves the token, its scope and the Location ID at once.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '=/conversations/search?locationId={{encodeURIComponent($credentials.locationId)}}&limit=1',
			method: 'GET',
			headers: { Version: '2021-04-15', Accept: 'application/json' },
		},
	};
}
