/**
 * The node's Authentication parameter applied to one request: reads the mode and
 * credentials from n8n, then hands raw bytes and headers to signature.ts.
 */
import type { IDataObject, INodeCredentialTestResult, IWebhookFunctions } from 'n8n-workflow';

import { AUTH_HEADER_SECRET, AUTH_NONE, AUTH_SIGNATURE } from './description/properties';
import { builtInKeys, publicKeyFrom, secretsMatch, type SignatureKeys, verifyHighLevelSignature } from './signature';

export const SIGNATURE_KEYS_CREDENTIAL = 'highLevelSignatureKeysApi';
export const SECRET_CREDENTIAL = 'highLevelHeaderSecretApi';

/**
 * `message` is the 401 body's text: what a sender needs and no more (no header
 * names, key text or library errors). `log` says exactly what failed, for the
 * n8n admin; `misconfigured` marks failures the node's own settings cause.
 */
export type AuthVerdict = { ok: true } | { ok: false; message: string; log: string; misconfigured: boolean };

export const SECRET_REFUSED = 'The request does not carry the expected secret.';
export const NOT_AUTHENTICATED = 'The request could not be authenticated.';

const misconfigured = (log: string): AuthVerdict => ({ ok: false, message: NOT_AUTHENTICATED, log, misconfigured: true });

/**
 * Credentials read through n8n cost a database read and a decryption per
 * request (measured: a third of the signed path's throughput in n8n, see
 * BENCHMARKS.md). They change only when a user edits them, so each is kept for
 * a minute: a rotated key or secret takes effect within CREDENTIAL_TTL_MS.
 */
export const CREDENTIAL_TTL_MS = 60_000;
const credentialCache = new Map<string, { data: IDataObject; expires: number }>();

async function cachedCredential(context: IWebhookFunctions, type: string): Promise<IDataObject> {
	// Stryker disable next-line OptionalChaining: without the credential, getCredentials below throws anyway
	const reference = context.getNode().credentials?.[type];
	// Stryker disable next-line OptionalChaining,StringLiteral: n8n references every credential a node has by id
	const key = `${type}:${reference?.id ?? reference?.name ?? ''}`;
	const now = Date.now();
	const cached = credentialCache.get(key);
	if (cached !== undefined && cached.expires > now) return cached.data;
	const data = (await context.getCredentials(type)) as IDataObject;
	// Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits memory; a cleared entry is read again
	if (credentialCache.size > 500) credentialCache.clear();
	credentialCache.set(key, { data, expires: now + CREDENTIAL_TTL_MS });
	return data;
}

/** For tests: forget every cached credential. */
export function clearCredentialCache(): void {
	credentialCache.clear();
}

type Request = ReturnType<IWebhookFunctions['getRequestObject']>;

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** Built-in keys, each replaced by the credential's key when one is filled in. */
export function keysFrom(credential: IDataObject | undefined): SignatureKeys {
	const keys = builtInKeys();
	if (credential === undefined) return keys;
	const ed25519 = text(credential.ed25519PublicKey);
	const rsa = text(credential.rsaPublicKey);
	return {
		ed25519: ed25519 ? publicKeyFrom(ed25519, 'ed25519') : keys.ed25519,
		rsa: rsa ? publicKeyFrom(rsa, 'rsa') : keys.rsa,
	};
}

export async function authenticate(context: IWebhookFunctions, request: Request): Promise<AuthVerdict> {
	const mode = context.getNodeParameter('authentication', AUTH_SIGNATURE) as string;
	if (mode === AUTH_NONE) return { ok: true };

	if (mode === AUTH_HEADER_SECRET) {
		const credential = await cachedCredential(context, SECRET_CREDENTIAL);
		const headerName = text(credential.headerName).toLowerCase();
		if (!headerName) return misconfigured('The Header Secret credential has no header name.');
		const received = request.headers[headerName];
		// Stryker disable next-line ConditionalExpression: a repeated header (an array) never hashes to the secret either
		return secretsMatch(typeof received === 'string' ? received : undefined, String(credential.secret ?? ''))
			? { ok: true }
			: { ok: false, message: SECRET_REFUSED, log: `Header ${headerName} is missing or wrong.`, misconfigured: false };
	}

	if (mode !== AUTH_SIGNATURE) return misconfigured(`Unknown authentication mode "${String(mode).slice(0, 100)}".`);
	const rawBody: unknown = request.rawBody;
	if (!Buffer.isBuffer(rawBody)) {
		return misconfigured('The raw request body is not available, so the signature cannot be checked.');
	}
	// The replacement-keys credential is optional: n8n throws when asked for an
	// optional credential the node does not have, so look before asking.
	const hasCredential = context.getNode().credentials?.[SIGNATURE_KEYS_CREDENTIAL] !== undefined;
	let keys: SignatureKeys;
	try {
		keys = keysFrom(
			hasCredential ? await cachedCredential(context, SIGNATURE_KEYS_CREDENTIAL) : undefined,
		);
	} catch (error) {
		return misconfigured(`The HighLevel Signature Keys credential holds an unusable key: ${(error as Error).message}`);
	}
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const verdict = verifyHighLevelSignature(rawBody, request.headers, keys, options.allowLegacySignature !== false);
	return verdict.ok ? { ok: true } : { ...verdict, misconfigured: false };
}

export function testSignatureKeys(data: IDataObject): INodeCredentialTestResult {
	try {
		keysFrom(data);
		return { status: 'OK', message: 'The keys are valid public keys' };
	} catch (error) {
		return { status: 'Error', message: `Unusable key: ${(error as Error).message}` };
	}
}

export function testHeaderSecret(data: IDataObject): INodeCredentialTestResult {
	if (!text(data.headerName)) return { status: 'Error', message: 'Header Name is empty' };
	if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(text(data.headerName))) {
		return { status: 'Error', message: 'Header Name is not a valid HTTP header name' };
	}
	if (String(data.secret ?? '').length < 16) {
		return { status: 'Error', message: 'Secret should be at least 16 characters long' };
	}
	return { status: 'OK', message: 'The header secret is usable' };
}
