/**
 * Is this request from HighLevel? Raw bytes in, verdict out.
 *
 * HighLevel signs the exact bytes it sends; re-serialising the parsed body (as
 * HighLevel's own sample code does) breaks on any spacing or escaping
 * difference, so only the raw body is ever verified.
 */
import { createHash, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'crypto';

/** HighLevel's published Ed25519 key for `X-GHL-Signature` (SPKI). */
export const HIGHLEVEL_ED25519_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=
-----END PUBLIC KEY-----`;

/** HighLevel's legacy RSA-4096 key for `X-WH-Signature` (announced for retirement). */
export const HIGHLEVEL_RSA_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAokvo/r9tVgcfZ5DysOSC
Frm602qYV0MaAiNnX9O8KxMbiyRKWeL9JpCpVpt4XHIcBOK4u3cLSqJGOLaPuXw6
dO0t6Q/ZVdAV5Phz+ZtzPL16iCGeK9po6D6JHBpbi989mmzMryUnQJezlYJ3DVfB
csedpinheNnyYeFXolrJvcsjDtfAeRx5ByHQmTnSdFUzuAnC9/GepgLT9SM4nCpv
uxmZMxrJt5Rw+VUaQ9B8JSvbMPpez4peKaJPZHBbU3OdeCVx5klVXXZQGNHOs8gF
3kvoV5rTnXV0IknLBXlcKKAQLZcY/Q9rG6Ifi9c+5vqlvHPCUJFT5XUGG5RKgOKU
J062fRtN+rLYZUV+BjafxQauvC8wSWeYja63VSUruvmNj8xkx2zE/Juc+yjLjTXp
IocmaiFeAO6fUtNjDeFVkhf5LNb59vECyrHD2SQIrhgXpO4Q3dVNA5rw576PwTzN
h/AMfHKIjE4xQA1SZuYJmNnmVZLIZBlQAF9Ntd03rfadZ+yDiOXCCs9FkHibELhC
HULgCsnuDJHcrGNd5/Ddm5hxGQ0ASitgHeMZ0kcIOwKDOzOU53lDza6/Y09T7sYJ
PQe7z0cvj7aE4B+Ax1ZoZGPzpJlZtGXCsu9aTEGEnKzmsFqwcSsnw3JB31IGKAyk
T1hhTiaCeIY/OwwwNUY2yvcCAwEAAQ==
-----END PUBLIC KEY-----`;

export const ED25519_HEADER = 'x-ghl-signature';
export const RSA_HEADER = 'x-wh-signature';

export interface SignatureKeys {
	ed25519: KeyObject;
	rsa: KeyObject;
}

/**
 * `message` goes back to the sender and says only what a sender needs; `log`
 * names the header and the exact failure, for the n8n admin's log.
 */
export type Verdict =
	| { ok: true; method: 'ed25519' | 'rsa' }
	| { ok: false; message: string; log: string };

/** The one answer for every signature failure: which check failed helps only a forger. */
export const SIGNATURE_REFUSED = 'The request does not carry a valid HighLevel signature.';

const refused = (log: string): Verdict => ({ ok: false, message: SIGNATURE_REFUSED, log });

const keyCache = new Map<string, KeyObject>();

/**
 * A public key from PEM, or from bare base64 SPKI as HighLevel prints it in its
 * docs. Parsed once per distinct text: key parsing costs more than verifying.
 */
export function publicKeyFrom(text: string, expectedType: 'ed25519' | 'rsa'): KeyObject {
	const trimmed = text.trim();
	const cacheKey = `${expectedType}:${trimmed}`;
	const cached = keyCache.get(cacheKey);
	// Stryker disable next-line ConditionalExpression: the cache only saves parsing; a key parsed again is equal
	if (cached) return cached;
	const key = trimmed.includes('-----BEGIN')
		? createPublicKey(trimmed)
		: // Stryker disable next-line Regex: removing whitespace one character at a time or in runs is the same
			createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
	if (key.asymmetricKeyType !== expectedType) {
		// Stryker disable next-line StringLiteral: 'unknown' is unreachable, Node names the type of every key it parses
		throw new Error(`expected an ${expectedType} public key, got ${key.asymmetricKeyType ?? 'unknown'}`);
	}
	// Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits memory; keys parse the same either way
	if (keyCache.size > 64) keyCache.clear();
	keyCache.set(cacheKey, key);
	return key;
}

export function builtInKeys(): SignatureKeys {
	return {
		ed25519: publicKeyFrom(HIGHLEVEL_ED25519_PUBLIC_KEY, 'ed25519'),
		rsa: publicKeyFrom(HIGHLEVEL_RSA_PUBLIC_KEY, 'rsa'),
	};
}

/** Header value as one string; `N/A`, empty and repeated headers count as absent. */
export function headerValue(value: string | string[] | undefined): string | undefined {
	const single = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
	if (single === undefined) return undefined;
	const trimmed = single.trim();
	return trimmed === '' || trimmed.toUpperCase() === 'N/A' ? undefined : trimmed;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+$/;

function decodeSignature(value: string, expectedBytes: number): Buffer | undefined {
	if (
		// Stryker disable next-line ConditionalExpression,EqualityOperator: only bounds the decoding cost; a longer text never decodes to expectedBytes
		value.length > 4 * expectedBytes ||
		!BASE64.test(value)
	) {
		return undefined;
	}
	const bytes = Buffer.from(
		value,
		// Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: Node's base64 and base64url decoders both read either alphabet
		value.includes('-') || value.includes('_') ? 'base64url' : 'base64',
	);
	return bytes.length === expectedBytes ? bytes : undefined;
}

/**
 * Verifies `X-GHL-Signature` (Ed25519) when present. Only when it is absent is
 * the legacy `X-WH-Signature` (RSA-SHA256) considered: a wrong modern signature
 * is never rescued by the legacy one.
 */
export function verifyHighLevelSignature(
	rawBody: Buffer,
	headers: Record<string, string | string[] | undefined>,
	keys: SignatureKeys,
	allowLegacy: boolean,
): Verdict {
	const modern = headerValue(headers[ED25519_HEADER]);
	if (modern !== undefined) {
		const signature = decodeSignature(modern, 64);
		if (signature === undefined) {
			return refused('X-GHL-Signature is not a base64 Ed25519 signature.');
		}
		return verify(null, rawBody, keys.ed25519, signature)
			? { ok: true, method: 'ed25519' }
			: refused('X-GHL-Signature does not match the request body.');
	}
	const legacy = headerValue(headers[RSA_HEADER]);
	if (legacy !== undefined) {
		if (!allowLegacy) {
			return refused('Only X-WH-Signature was sent and Accept Legacy RSA Signature is off.');
		}
		// Stryker disable next-line OptionalChaining: Node gives every RSA KeyObject its asymmetricKeyDetails
		const keyBytes = (keys.rsa.asymmetricKeyDetails?.modulusLength ?? 4096) / 8;
		const signature = decodeSignature(legacy, keyBytes);
		if (signature === undefined) {
			return refused('X-WH-Signature is not a base64 RSA signature.');
		}
		return verify('sha256', rawBody, keys.rsa, signature)
			? { ok: true, method: 'rsa' }
			: refused('X-WH-Signature does not match the request body.');
	}
	return refused('The request has neither X-GHL-Signature nor X-WH-Signature.');
}

/** Constant-time comparison of a shared secret (equal length is not leaked either). */
export function secretsMatch(received: string | undefined, expected: string): boolean {
	if (received === undefined || expected.length === 0) return false;
	// Stryker disable next-line StringLiteral: utf8 is Buffer.from's default encoding
	const a = Buffer.from(received, 'utf8');
	// Stryker disable next-line StringLiteral: utf8 is Buffer.from's default encoding
	const b = Buffer.from(expected, 'utf8');
	// Fixed-size digests: timingSafeEqual needs equal lengths, and comparing the
	// digests leaks neither the secret's bytes nor its length.
	return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
