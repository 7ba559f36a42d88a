import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { SAME_CHANNEL } from '../reply-mapping';

export const messageOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a message',
			description: 'Get a whole message, including attachments the webhook did not carry yet',
		},
		{
			name: 'Get Recording',
			value: 'getRecording',
			action: 'Get the recording of a call or voicemail',
			description: 'Download the audio of a call or voicemail message as a file',
		},
		{
			name: 'Get Transcription',
			value: 'getTranscription',
			action: 'Get the transcription of a call or voicemail',
			description: 'Get what was said in a recorded call or voicemail, as text',
		},
		{
			name: 'Reply',
			value: 'reply',
			action: 'Reply to a message',
			description:
				'Answer a message from the HighLevel Message Trigger on the same channel (SMS, email in the same thread, WhatsApp, Facebook, Instagram, live chat)',
		},
		{
			name: 'Send',
			value: 'send',
			action: 'Send a message',
			description:
				'Send an SMS, email, WhatsApp, Facebook, Instagram, live chat or custom-provider message to a HighLevel contact',
		},
		{
			name: 'Update Status',
			value: 'updateStatus',
			action: 'Update the status of a message',
			description:
				'Report delivered, read or failed for a message sent through your custom conversation provider',
		},
	],
	default: 'send',
};

/** Send types by the names users know; values are HighLevel's. */
const CHANNEL_OPTIONS = [
	{ name: 'Custom Provider', value: 'Custom', description: 'Your custom conversation provider' },
	{ name: 'Email', value: 'Email' },
	{ name: 'Facebook', value: 'FB', description: 'Facebook Messenger' },
	{ name: 'Instagram', value: 'IG', description: 'Instagram direct message' },
	{ name: 'Live Chat', value: 'Live_Chat', description: 'The chat widget on your website' },
	{ name: 'SMS', value: 'SMS' },
	{ name: 'WhatsApp', value: 'WhatsApp' },
];

const attachmentUrls: INodeProperties = {
	displayName: 'Attachment URLs',
	name: 'attachmentUrls',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://example.com/menu.pdf',
	description: 'Public URLs of files to attach, separated by commas',
};

const emailReplyMode: INodeProperties = {
	displayName: 'Email Reply Mode',
	name: 'emailReplyMode',
	type: 'options',
	options: [
		{ name: 'Reply', value: 'reply', description: 'Answer the sender only' },
		{ name: 'Reply All', value: 'reply_all', description: 'Answer the sender and everyone in copy' },
	],
	default: 'reply',
};

const conversationProviderId: INodeProperties = {
	displayName: 'Conversation Provider ID',
	name: 'conversationProviderId',
	type: 'string',
	default: '',
	description: 'ID of your custom conversation provider (HighLevel Marketplace app > Conversation Providers)',
};

const onlyEmail = { show: { '/channel': ['Email'] } };

const send: INodeProperties[] = [
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: CHANNEL_OPTIONS,
		default: 'SMS',
		description:
			'Channel to send on. The contact must be reachable there: a phone number for SMS and WhatsApp, an email address for Email, an earlier conversation for Facebook, Instagram and Live Chat.',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. cI08i1Bls3iTB9bKgFJh',
		description: 'ID of the HighLevel contact to send to (the HighLevel Message Trigger gives it as contactId)',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		required: true,
		default: '',
		description: 'Subject line of the email',
		displayOptions: { show: { channel: ['Email'] } },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		required: true,
		typeOptions: { rows: 4 },
		default: '',
		description: 'Text to send. For Email: plain text (line breaks are kept) or HTML.',
	},
	{
		...conversationProviderId,
		required: true,
		displayOptions: { show: { channel: ['Custom'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			attachmentUrls,
			{
				displayName: 'BCC',
				name: 'emailBcc',
				type: 'string',
				default: '',
				description: 'Email addresses in blind copy, separated by commas',
				displayOptions: onlyEmail,
			},
			{
				displayName: 'CC',
				name: 'emailCc',
				type: 'string',
				default: '',
				description: 'Email addresses in copy, separated by commas',
				displayOptions: onlyEmail,
			},
			{ ...emailReplyMode, displayOptions: onlyEmail },
			{
				displayName: 'From Email',
				name: 'emailFrom',
				type: 'string',
				default: '',
				placeholder: 'e.g. Support <support@example.com>',
				description: "Sender address, when not the sub-account's default",
				displayOptions: onlyEmail,
			},
			{
				displayName: 'From Number',
				name: 'fromNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. +15559876543',
				description: "Sub-account phone number to send from, when not the default one (E.164)",
				displayOptions: { show: { '/channel': ['SMS'] } },
			},
			{
				displayName: 'Reply to Message ID',
				name: 'replyMessageId',
				type: 'string',
				default: '',
				description: 'Email message ID this email answers, to keep the thread',
				displayOptions: onlyEmail,
			},
			{
				displayName: 'Send At',
				name: 'scheduledAt',
				type: 'dateTime',
				default: '',
				description: "Schedule the message for this time (the workflow's time zone) instead of sending it now",
			},
			{
				displayName: 'Thread ID',
				name: 'threadId',
				type: 'string',
				default: '',
				description: 'Email thread to add this email to',
				displayOptions: onlyEmail,
			},
			{
				displayName: 'To Email',
				name: 'emailTo',
				type: 'string',
				default: '',
				description: "Recipient, when not the contact's primary email (it must belong to the contact)",
				displayOptions: onlyEmail,
			},
			{
				displayName: 'To Number',
				name: 'toNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. +15551234567',
				description: "Recipient number, when not the contact's primary phone (E.164)",
				displayOptions: { show: { '/channel': ['SMS'] } },
			},
		],
	},
];

const reply: INodeProperties[] = [
	{
		displayName: 'Message to Reply To',
		name: 'triggerItem',
		type: 'json',
		default: '={{ $json }}',
		description:
			'The HighLevel Message Trigger item to answer. The default is the incoming item; after an AI Agent or other nodes, point it at the trigger (see the hint).',
		hint: "After other nodes: {{ $('HighLevel Message Trigger').item.json }}",
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		required: true,
		typeOptions: { rows: 4 },
		default: '',
		description: 'Text of the reply. For Email: plain text (line breaks are kept) or HTML.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			attachmentUrls,
			{ ...conversationProviderId, description: 'For a reply through a custom conversation provider, when the item has no conversationProviderId' },
			{ ...emailReplyMode, description: 'For email replies' },
			{
				displayName: 'Reply Channel',
				name: 'replyChannel',
				type: 'options',
				options: [
					{ name: 'Same as the Message', value: SAME_CHANNEL },
					...CHANNEL_OPTIONS,
				],
				default: SAME_CHANNEL,
				description:
					'Answer on another channel than the message came on, for example SMS for a call, voicemail or Google Business message (HighLevel cannot answer those on their own channel)',
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: 'Email subject. Default for email replies: "Re: " and the original subject.',
			},
		],
	},
];

const messageId: INodeProperties = {
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. QkNS0DNje0FjoLQdD5O3',
	description: 'ID of the message; the HighLevel Message Trigger gives it as messageId',
};

const getRecording: INodeProperties[] = [
	messageId,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
	},
];

const updateStatus: INodeProperties[] = [
	messageId,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Delivered', value: 'delivered' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Pending', value: 'pending' },
			{ name: 'Read', value: 'read' },
		],
		default: 'delivered',
		description: 'What your provider reports for the message',
	},
	{
		displayName: 'Error Message',
		name: 'errorMessage',
		type: 'string',
		default: '',
		description: 'Why the message failed, shown to users in HighLevel',
		displayOptions: { show: { status: ['failed'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Email Message ID',
				name: 'emailMessageId',
				type: 'string',
				default: '',
				description: 'For an email: the email message ID the status is about',
			},
			{
				displayName: 'Error Code',
				name: 'errorCode',
				type: 'string',
				default: '',
				description: "Your provider's error code, for a failed message",
			},
		],
	},
];

const forOperation = (operation: string, properties: INodeProperties[]) =>
	updateDisplayOptions({ show: { resource: ['message'], operation: [operation] } }, properties);

export const messageFields: INodeProperties[] = [
	...forOperation('send', send),
	...forOperation('reply', reply),
	...updateDisplayOptions({ show: { resource: ['message'], operation: ['get', 'getTranscription'] } }, [messageId]),
	...forOperation('getRecording', getRecording),
	...forOperation('updateStatus', updateStatus),
];
