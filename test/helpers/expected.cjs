// What the spec says each HighLevel example must become: the output (channel)
// it arrives on, or null for a request that starts nothing. One table for the
// unit tests and the end-to-end tests alike.
const EXPECTED_CHANNEL = {
	'conversation-unread-update': null,
	'inbound-call-answered': 'Call',
	'inbound-call-voicemail': 'Voicemail',
	'inbound-email-to-array': 'Email',
	'inbound-email-to-string-cclist': 'Email',
	'inbound-sms': 'SMS',
	'inbound-whatsapp-media-missing-attachments': 'WhatsApp',
	'outbound-internal-comment': 'Other',
	'outbound-ringless-voicemail': 'Voicemail',
	'outbound-sms-failed-real-envelope': 'SMS',
	'provider-outbound-1': 'SMS',
	'provider-outbound-2': 'Email',
	'real-envelope-opportunity-create': null,
	'workflow-webhook-customer-replied': 'SMS',
	'workflow-webhook-tag-trigger': 'Other',
};

/** Signed app-webhook messages (workflow webhooks are unsigned: tested apart). */
const SIGNED_MESSAGES = Object.fromEntries(
	Object.entries(EXPECTED_CHANNEL).filter(([name, channel]) => channel !== null && !name.startsWith('workflow-webhook')),
);

/** SPEC section 3: the outputs in their fixed order. */
const SPEC_OUTPUTS = ['SMS', 'Call', 'Voicemail', 'Email', 'WhatsApp', 'Facebook', 'Instagram', 'Google Business', 'Live Chat', 'Other'];

module.exports = { EXPECTED_CHANNEL, SIGNED_MESSAGES, SPEC_OUTPUTS };
