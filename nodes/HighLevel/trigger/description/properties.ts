import type { INodeProperties } from 'n8n-workflow';

import { AUTH_PRIVATE_INTEGRATION_TOKEN, CREDENTIAL_CHOICES } from '../../api/connection';
import { API_BUDGET_SECONDS, ENRICH_CONTACT, ENRICH_MISSING_MEDIA, ENRICH_PARTS, ENRICH_RECORDINGS } from '../enrich';
import { ROUTING_PER_CHANNEL, ROUTING_SINGLE } from './outputs';

export const AUTH_SIGNATURE = 'highLevelSignature';
export const AUTH_HEADER_SECRET = 'headerSecret';
export const AUTH_NONE = 'none';

export const EVENT_INBOUND = 'InboundMessage';
export const EVENT_OUTBOUND = 'OutboundMessage';

/** Shown while any enrichment part is selected (n8n shows a parameter when the lists share a value). */
export const WHEN_ENRICHING = { enrich: [...ENRICH_PARTS] };

const IGNORE_AUTOMATED_DESCRIPTION =
	"Whether to acknowledge, without starting the workflow, outbound messages that a HighLevel workflow, campaign, bulk action or the API sent (HighLevel's source: workflow, campaign, bulk_actions, api). Replies sent by the HighLevel Conversations node come back as such messages: keep this on, or a workflow that answers outbound messages answers its own answers again and again. Messages people send from the HighLevel app still start the workflow.";

export const properties: INodeProperties[] = [
	{
		displayName:
			'This node has two URLs (expand "Webhook URLs" at the top of this panel). While building, click "Execute step" ("Listen for test event" in n8n 1.x) and send HighLevel\'s messages to the Test URL: each one shows up here. Once it works, paste the Production URL into HighLevel (your Marketplace app > Advanced Settings > Webhooks, subscribed to InboundMessage / OutboundMessage, or a HighLevel workflow\'s "Webhook" action) and publish this workflow.',
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
		displayName: 'App IDs',
		name: 'appIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 6878cec452e7c8d29d4dd3d9',
		description:
			'Your HighLevel Marketplace app\'s ID (comma-separated for several). HighLevel signs every app\'s webhooks with the same key, so only events of these apps start the workflow. Find it in the developer portal (marketplace.gohighlevel.com > My Apps > your app): it is in the page address and is the part of the Client ID before the dash.',
		displayOptions: { show: { authentication: [AUTH_SIGNATURE] } },
	},
	{
		displayName:
			'Set App IDs (or, for a custom conversation provider, Location IDs under Options). Until then HighLevel\'s events are acknowledged but start nothing: a valid signature only proves that some HighLevel account sent them.',
		name: 'bindingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: [AUTH_SIGNATURE], appIds: [''] } },
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
	// Version 1 behaves as it did before the option existed; new nodes (1.1) break echo loops by default.
	{
		displayName: 'Ignore Messages Sent by Automations',
		name: 'ignoreAutomatedMessages',
		type: 'boolean',
		default: false,
		description: IGNORE_AUTOMATED_DESCRIPTION,
		// '@version' first: n8n stops reading `show` at a rule whose value is an
		// expression, so an Events expression must not reach past the version.
		displayOptions: { show: { '@version': [1], events: [EVENT_OUTBOUND] } },
	},
	{
		displayName: 'Ignore Messages Sent by Automations',
		name: 'ignoreAutomatedMessages',
		type: 'boolean',
		default: true,
		description: IGNORE_AUTOMATED_DESCRIPTION,
		displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }], events: [EVENT_OUTBOUND] } },
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
		displayName: 'Fill In From HighLevel API',
		name: 'enrich',
		type: 'multiOptions',
		options: [
			{
				name: 'Complete Missing Media',
				value: ENRICH_MISSING_MEDIA,
				description:
					'A message that arrives with no text and no attachments (WhatsApp media often does) is read again from the API, up to 3 times, to get its attachments',
			},
			{
				name: 'Download Recordings',
				value: ENRICH_RECORDINGS,
				description: 'Call and voicemail audio from the API, as binary data in the property "recording"',
			},
			{
				name: 'Include Contact',
				value: ENRICH_CONTACT,
				description: "The contact's name, phone, email, tags and time zone under \"contact\"",
			},
		],
		default: [],
		description:
			'What to ask HighLevel\'s API for before the workflow starts, with a HighLevel API credential. HighLevel waits for its answer meanwhile, so all of it must fit in the API Time Budget (Options): what fails or does not fit is recorded under "enrichment" and the message runs anyway.',
	},
	{
		displayName: 'API Credential Type',
		name: 'apiAuthentication',
		type: 'options',
		options: CREDENTIAL_CHOICES,
		default: AUTH_PRIVATE_INTEGRATION_TOKEN,
		description: 'The HighLevel API credential of the sub-account, as the HighLevel Conversations node uses it',
		displayOptions: { show: WHEN_ENRICHING },
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
				displayName: 'Allow Private Network Hosts',
				name: 'attachmentAllowPrivateNetwork',
				type: 'boolean',
				default: false,
				description:
					'Whether attachments may be downloaded from loopback (localhost), private (10.x, 172.16-31.x, 192.168.x), carrier-grade NAT (100.64.x), unique-local IPv6 and local names (intranet, *.local, *.internal). Only for files you host yourself: attachment URLs come from the message, so a sender could point them at internal services. Link-local (cloud metadata 169.254.169.254), multicast and unspecified addresses are always refused.',
				displayOptions: { show: { downloadAttachments: [true] } },
			},
			{
				displayName: 'API Time Budget (Seconds)',
				name: 'apiTimeBudgetSeconds',
				type: 'number',
				typeOptions: { minValue: API_BUDGET_SECONDS.min, maxValue: API_BUDGET_SECONDS.max },
				default: 5,
				description:
					"Time for all of Fill In From HighLevel API together (the parts run at the same time). HighLevel waits for its answer meanwhile, so keep it short; what is not done by then is recorded under \"enrichment\" and the message runs anyway.",
				displayOptions: { show: { '/enrich': [...ENRICH_PARTS] } },
			},
			{
				displayName: 'Attachment Count Limit',
				name: 'attachmentMaxFiles',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 10,
				description: 'At most this many files per message are downloaded; the others are listed in attachmentDownloads as not downloaded',
				displayOptions: { show: { downloadAttachments: [true] } },
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
				displayName: 'Attachment Time Budget (Seconds)',
				name: 'attachmentTimeBudgetSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 60 },
				default: 5,
				description:
					'Time for all downloads of one message, 3 at a time. HighLevel waits for its answer meanwhile, so keep it short; files not finished by then are listed in attachmentDownloads as not downloaded.',
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
				displayName: 'Attachment Total Size Limit (MB)',
				name: 'attachmentMaxTotalMb',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1024 },
				default: 50,
				description: 'At most this many megabytes of files per message, all files together',
				displayOptions: { show: { downloadAttachments: [true] } },
			},
			{
				displayName: 'Download Attachments',
				name: 'downloadAttachments',
				type: 'boolean',
				default: false,
				description:
					'Whether to download each attachment (call recording, voicemail, picture) into binary properties attachment_0, attachment_1 and so on, within the Attachment Time Budget (HighLevel is answered once they are done); public hosts only unless Allow Private Network Hosts is on',
			},
			{
				displayName: 'Duplicate Memory',
				name: 'duplicateScope',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'auto',
						description: "In queue mode n8n's Redis (atomic across webhook processes), else n8n's database (survives restarts)",
					},
					{
						name: 'This Process Only',
						value: 'process',
						description: 'In memory: fastest, but forgotten when n8n restarts, so a replay after a restart runs',
					},
					{
						name: 'All Processes (Shared Database)',
						value: 'shared',
						description: "In n8n's database (the store of the Remove Duplicates node), also in queue mode; not atomic across processes",
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
					'Whether to acknowledge without running the workflow when the same delivery (webhookId, else messageId and event) arrives again, for at least 24 hours or the Maximum Event Age if longer, across restarts. Test events in the editor are never checked or remembered.',
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
				default: 1440,
				description:
					'Acknowledge without running events whose timestamp (or dateAdded) is older than this, so a captured delivery cannot be replayed later. HighLevel retries re-send the original timestamp: keep it above their span (hours). 0 turns the check off.',
			},
		],
	},
];
