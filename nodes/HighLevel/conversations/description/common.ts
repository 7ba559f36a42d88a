import type { INodeProperties } from 'n8n-workflow';

import { AUTH_OAUTH2, AUTH_PRIVATE_INTEGRATION_TOKEN, CREDENTIAL_CHOICES } from '../../api/connection';

export { AUTH_OAUTH2, AUTH_PRIVATE_INTEGRATION_TOKEN };

export const authentication: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: CREDENTIAL_CHOICES,
	default: AUTH_PRIVATE_INTEGRATION_TOKEN,
};

export const resource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Contact', value: 'contact' },
		{ name: 'Conversation', value: 'conversation' },
		{ name: 'Message', value: 'message' },
	],
	default: 'message',
};

/** Return All / Limit, the way n8n's own nodes page through results. */
export function paging(what: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			hint: `The newest ${what} first`,
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}
