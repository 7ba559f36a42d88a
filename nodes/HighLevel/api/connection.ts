/**
 * Which credential a request uses, and what it needs from it besides the token
 * (n8n adds that): the API base URL and the sub-account (location) id.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from './endpoints';

/** Credential type names; they are saved in users' workflows, so they never change. */
export const CREDENTIAL_TYPE = {
	marketplaceApp: 'highLevelConversationsOAuth2Api',
	privateIntegration: 'highLevelPrivateIntegrationTokenApi',
} as const;

export type CredentialType = (typeof CREDENTIAL_TYPE)[keyof typeof CREDENTIAL_TYPE];

/** Values of the parameter that picks the credential; saved in workflows too. */
export const AUTH_OAUTH2 = 'oAuth2';
export const AUTH_PRIVATE_INTEGRATION_TOKEN = 'privateIntegrationToken';

/** The choice between the two credentials, as both nodes offer it. */
export const CREDENTIAL_CHOICES = [
	{ name: 'OAuth2', value: AUTH_OAUTH2 },
	{ name: 'Private Integration Token', value: AUTH_PRIVATE_INTEGRATION_TOKEN },
];

export function credentialTypeFor(authentication: unknown): CredentialType {
	return authentication === AUTH_OAUTH2 ? CREDENTIAL_TYPE.marketplaceApp : CREDENTIAL_TYPE.privateIntegration;
}

export interface Connection {
	credentialType: CredentialType;
	/** No trailing slash. */
	baseUrl: string;
	/**
	 * The sub-account: typed into a Private Integration Token credential; for
	 * OAuth2, HighLevel returns it with the sub-account token.
	 */
	locationId: string | null;
}

export interface CredentialReader {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string, itemIndex?: number): Promise<T>;
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function isHttpUrl(text: string): boolean {
	return URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol);
}

export function normalizeBaseUrl(node: INode, value: unknown): string {
	const raw = text(value) ?? DEFAULT_BASE_URL;
	if (!isHttpUrl(raw)) {
		throw new NodeOperationError(node, `The credential's API Base URL "${raw}" is not an http(s) URL`, {
			description: `Use ${DEFAULT_BASE_URL} unless you reach HighLevel through a proxy.`,
		});
	}
	return raw.replace(/\/+$/, '');
}

export async function connect(
	context: CredentialReader,
	credentialType: CredentialType,
	itemIndex = 0,
): Promise<Connection> {
	const data = await context.getCredentials<IDataObject>(credentialType, itemIndex);
	const token = (data.oauthTokenData ?? {}) as IDataObject;
	return {
		credentialType,
		baseUrl: normalizeBaseUrl(context.getNode(), data.baseUrl),
		locationId: text(data.locationId) ?? text(token.locationId),
	};
}

/** The location id, or an error that says where it comes from. */
export function requireLocationId(node: INode, connection: Connection, action: string): string {
	if (connection.locationId !== null) return connection.locationId;
	const where =
		connection.credentialType === CREDENTIAL_TYPE.marketplaceApp
			? 'The OAuth2 connection has no sub-account: reconnect the credential and choose a sub-account (location) when HighLevel asks.'
			: "Fill in the credential's Location ID (the sub-account id, shown in HighLevel under Settings > Business Profile).";
	throw new NodeOperationError(node, `${action} needs the HighLevel sub-account (location) id`, {
		description: where,
	});
}
