import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { paging } from './common';

export const conversationOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['conversation'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a conversation',
			description: 'Get one conversation (contact, unread count, assignee)',
		},
		{
			name: 'Get Messages',
			value: 'getMessages',
			action: 'Get messages of a conversation',
			description:
				'Get the message history of a conversation, newest first, each with readable text: context for an AI reply',
		},
		{
			name: 'Search',
			value: 'search',
			action: 'Search conversations',
			description: "Find conversations, for example a contact's conversation",
		},
	],
	default: 'search',
};

const conversationId: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. fcanlLgpbQgQhderivVs',
	description: 'ID of the conversation; the HighLevel Message Trigger gives it as conversationId',
};

const search: INodeProperties[] = [
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		placeholder: 'e.g. cI08i1Bls3iTB9bKgFJh',
		description: 'Only conversations with this contact. Leave empty to search all conversations of the sub-account.',
	},
	...paging('conversations'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Assigned To',
				name: 'assignedTo',
				type: 'string',
				default: '',
				description: 'Comma-separated user IDs, or "unassigned"',
			},
			{
				displayName: 'Last Message Direction',
				name: 'lastMessageDirection',
				type: 'options',
				options: [
					{ name: 'Inbound', value: 'inbound' },
					{ name: 'Outbound', value: 'outbound' },
				],
				default: 'inbound',
			},
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				description: 'Text to search for (contact name, email, phone or message text)',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Read', value: 'read' },
					{ name: 'Recents', value: 'recents' },
					{ name: 'Starred', value: 'starred' },
					{ name: 'Unread', value: 'unread' },
				],
				default: 'all',
			},
		],
	},
];

/** Message types the history can be filtered by (HighLevel's names). */
const MESSAGE_TYPES = [
	{ name: 'Call', value: 'TYPE_CALL' },
	{ name: 'Email', value: 'TYPE_EMAIL' },
	{ name: 'Facebook', value: 'TYPE_FACEBOOK' },
	{ name: 'Google Business', value: 'TYPE_GMB' },
	{ name: 'Instagram', value: 'TYPE_INSTAGRAM' },
	{ name: 'Live Chat', value: 'TYPE_LIVE_CHAT' },
	{ name: 'SMS', value: 'TYPE_SMS' },
	{ name: 'WhatsApp', value: 'TYPE_WHATSAPP' },
];

const getMessages: INodeProperties[] = [
	conversationId,
	...paging('messages'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Message Types',
				name: 'types',
				type: 'multiOptions',
				options: MESSAGE_TYPES,
				default: [],
				description: 'Only messages of these types',
			},
		],
	},
];

export const conversationFields: INodeProperties[] = [
	...updateDisplayOptions({ show: { resource: ['conversation'], operation: ['search'] } }, search),
	...updateDisplayOptions({ show: { resource: ['conversation'], operation: ['get'] } }, [conversationId]),
	...updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getMessages'] } }, getMessages),
];
