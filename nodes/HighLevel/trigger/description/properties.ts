import type { INodeProperties } from 'n8n-workflow';
import { ROUTING_PER_CHANNEL, ROUTING_SINGLE } from './outputs';

export const AUTH_SIGNATURE = 'highLevelSignature';
export const AUTH_HEADER_SECRET = 'headerSecret';
export const AUTH_NONE = 'none';

export const EVENT_INBOUND = 'InboundMessage';
export const EVENT_OUTBOUND = 'OutboundMessage';

export const properties: INodeProperties[] = [
	{
		displayName:
			'Paste the Production URL above into HighLevel: your Marketplace app > Advanced Settings > Webhooks (subscribe to InboundMessage / OutboundMessage), or a HighLevel workflow\'s "Webhook" action. Then publish (activate) this workflow.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'HighLevel Signature',
				value: AUTH_SIGNATURE,
				description:
					'Verify the X-GHL-Signature (Ed25519) HighLevel puts on app webhooks, with its published key built in',
			},
			{
				name: 'Header Secret',
				value: AUTH_HEADER_SECRET,
				description:
					'Require a secret header you add to a HighLevel workflow "Webhook" action (those are not signed)',
			},
			{
				name: 'None',
				value: AUTH_NONE,
				description: 'Accept any request that reaches the URL',
			},
		],
		default: AUTH_SIGNATURE,
	},
	{
		displayName:
			'Anyone who knows this URL can start the workflow with made-up messages. Use HighLevel Signature or Header Secret in production.',
		name: 'noAuthWarning',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: [AUTH_NONE] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [
			{
				name: 'Inbound Message',
				value: EVENT_INBOUND,
				description: 'A contact sent a message, called, or left a voicemail',
			},
			{
				name: 'Outbound Message',
				value: EVENT_OUTBOUND,
				description:
					'A user, workflow, campaign or the API sent something (also custom provider deliveries)',
			},
		],
		default: [EVENT_INBOUND],
		description:
			'Which message events start the workflow; others are acknowledged and ignored. Workflow webhooks are always accepted.',
	},
	{
		displayName: 'Routing',
		name: 'routing',
		type: 'options',
		options: [
			{
				name: 'One Output per Channel',
				value: ROUTING_PER_CHANNEL,
				description: 'SMS, Call, Voicemail, Email, WhatsApp, Facebook, Instagram, Google Business, Live Chat, Other',
			},
			{
				name: 'Single Output',
				value: ROUTING_SINGLE,
				description: 'Every message on one output; use the channel field to tell them apart',
			},
		],
		default: ROUTING_PER_CHANNEL,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Accept Legacy RSA Signature',
				name: 'allowLegacySignature',
				type: 'boolean',
				default: true,
				description:
					'Whether to accept a request signed only with the legacy X-WH-Signature (RSA), which HighLevel is retiring',
				displayOptions: { show: { '/authentication': [AUTH_SIGNATURE] } },
			},
			{
				displayName: 'Attachment Size Limit (MB)',
				name: 'attachmentMaxSizeMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 25,
				description: 'Larger files are not downloaded; the item says so in attachmentDownloads',
				displayOptions: { show: { downloadAttachments: [true] } },
			},
			{
				displayName: 'Attachment Timeout (Seconds)',
				name: 'attachmentTimeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description: 'How long one download may take',
				displayOptions: { show: { downloadAttachments: [true] } },
			},
			{
				displayName: 'Download Attachments',
				name: 'downloadAttachments',
				type: 'boolean',
				default: false,
				description:
					'Whether to download each attachment (call recording, voicemail, picture) into binary properties attachment_0, attachment_1 and so on, after HighLevel has been answered',
			},
			{
				displayName: 'Duplicate Memory',
				name: 'duplicateScope',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'auto',
						description: "Shared by all n8n processes when n8n runs in queue mode, else this process's memory",
					},
					{
						name: 'This Process Only',
						value: 'process',
						description: 'In memory: fastest, right for a single n8n process',
					},
					{
						name: 'All Processes (Shared Database)',
						value: 'shared',
						description: "In n8n's database (the store of the Remove Duplicates node), so a retry that lands on another webhook process is still caught",
					},
				],
				default: 'auto',
				description: 'Where Ignore Duplicates remembers deliveries',
			},
			{
				displayName: 'Ignore Duplicates',
				name: 'ignoreDuplicates',
				type: 'boolean',
				default: true,
				description:
					'Whether to acknowledge without running the workflow when the same delivery (webhookId, else messageId and event) arrives again within 24 hours',
			},
			{
				displayName: 'Include Raw Body',
				name: 'includeRaw',
				type: 'boolean',
				default: true,
				description: 'Whether to add the request body exactly as received under "raw"',
			},
			{
				displayName: 'Location IDs',
				name: 'locationIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. ve9EPM428h8vShlRW1KT, 3jJ0coeqWCZMAosyGQ6K',
				description:
					'Comma-separated HighLevel location (sub-account) IDs to accept; events from other locations are acknowledged and ignored. Empty accepts all.',
			},
			{
				displayName: 'Maximum Event Age (Minutes)',
				name: 'maxEventAgeMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'Ignore events whose timestamp (or dateAdded) is older than this; HighLevel retries re-send the original timestamp. 0 turns the check off.',
			},
		],
	},
];
