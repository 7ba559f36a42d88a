import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Replacement public keys for HighLevel's webhook signatures. HighLevel rotates
 * its static keys by email announcement; with this credential a rotation is one
 * edit that every workflow using it picks up. Empty fields keep the built-in keys.
 */
export class HighLevelSignatureKeysApi implements ICredentialType {
	name = 'highLevelSignatureKeysApi';

	displayName = 'HighLevel Signature Keys API';

	icon = { light: 'file:../nodes/HighLevel/highLevel.svg', dark: 'file:../nodes/HighLevel/highLevel.dark.svg' } as const;

	documentationUrl = 'https://marketplace.gohighlevel.com/docs/webhook/WebhookIntegrationGuide';

	properties: INodeProperties[] = [
		{
			displayName:
				'Leave a field empty to use the key built into the node. Fill it in only when HighLevel announces a new key.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Ed25519 Public Key (X-GHL-Signature)',
			name: 'ed25519PublicKey',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA...\n-----END PUBLIC KEY-----',
			description: 'PEM, or the bare base64 SPKI key as HighLevel publishes it',
		},
		{
			displayName: 'RSA Public Key (X-WH-Signature, Legacy)',
			name: 'rsaPublicKey',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			placeholder: '-----BEGIN PUBLIC KEY-----\nMIICIjANBgkqh...\n-----END PUBLIC KEY-----',
			description: 'PEM of the legacy RSA key',
		},
	];
}
