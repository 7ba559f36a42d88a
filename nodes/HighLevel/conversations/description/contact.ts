import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

export const contactOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['contact'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a contact',
			description: "Get a HighLevel contact: name, phone, email, tags and custom fields",
		},
	],
	default: 'get',
};

const get: INodeProperties[] = [
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. cI08i1Bls3iTB9bKgFJh',
		description: 'ID of the contact; the HighLevel Message Trigger gives it as contactId',
	},
];

export const contactFields: INodeProperties[] = [
	...updateDisplayOptions({ show: { resource: ['contact'], operation: ['get'] } }, get),
];
