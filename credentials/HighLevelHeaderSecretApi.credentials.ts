import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A shared secret header for HighLevel workflow "Webhook" actions, which
 * HighLevel does not sign: add the same header and value to the action.
 */
export class HighLevelHeaderSecretApi implements ICredentialType {
	name = 'highLevelHeaderSecretApi';

	displayName = 'HighLevel Header Secret API';

	icon = { light: 'file:../nodes/HighLevel/highLevel.svg', dark: 'file:../nodes/HighLevel/highLevel.dark.svg' } as const;

	documentationUrl = 'https://help.gohighlevel.com/support/solutions/articles/155000003305-workflow-action-webhook';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-HighLevel-Secret',
			required: true,
			description: 'Name of the header the HighLevel Webhook action sends (matched case-insensitively)',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A long random value; put the same value in the HighLevel Webhook action header',
		},
	];
}
