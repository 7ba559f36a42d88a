/**
 * Authenticity (SPEC section 6): signature vectors made with generated key pairs,
 * sent through webhook() with the replacement-keys credential, each with the
 * exact status and whether a workflow would run.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'crypto';
import type { IDataObject, INodeParameters, IWebhookFunctions } from 'n8n-workflow';

import { callWebhook, credentialReads, makeTestKeys, signEd25519, signRsa, testKeyCredential, type TestKeys } from './helpers/harness';
import { readExample, readSharedKey } from './helpers/io.cjs';
import {
	builtInKeys,
	HIGHLEVEL_ED25519_PUBLIC_KEY,
	HIGHLEVEL_RSA_PUBLIC_KEY,
	headerValue,
	publicKeyFrom,
	secretsMatch,
	SIGNATURE_REFUSED,
	verifyHighLevelSignature,
} from '../nodes/HighLevel/trigger/signature';
import {
	authenticate,
	clearCredentialCache,
	CREDENTIAL_TTL_MS,
	NOT_AUTHENTICATED,
	SECRET_REFUSED,
	testHeaderSecret,
	testSignatureKeys,
} from '../nodes/HighLevel/trigger/authenticate';

let keys: TestKeys;
beforeAll(() => {
	keys = makeTestKeys();
});

// A delivery of the user's own app (its ID is in App IDs), sent just now.
const APP_ID = '6878cec452e7c8d29d4dd3d9';
const delivery = JSON.stringify({ ...readExample('inbound-sms').json, appId: APP_ID, timestamp: new Date().toISOString() });
const body = () => delivery;

async function send(raw: string | Buffer, headers: Record<string, string>, options: INodeParameters = {}) {
	return callWebhook({
		body: raw,
		headers,
		parameters: { authentication: 'highLevelSignature', appIds: APP_ID, options },
		credentials: testKeyCredential(keys),
	});
}

describe('X-GHL-Signature (Ed25519) over the raw bytes', () => {
	it('valid: 200 and the workflow runs', async () => {
		const answer = await send(body(), { 'X-GHL-Signature': signEd25519(keys, body()) });
		expect([answer.status, answer.started]).toEqual([200, true]);
	});

	it('valid on bytes that differ from JSON.stringify of the parsed body', async () => {
		const spaced = JSON.stringify(JSON.parse(body()), null, 3).replace(/"SMS"/, '"\\u0053MS"');
		expect(JSON.stringify(JSON.parse(spaced))).not.toBe(spaced);
		const answer = await send(spaced, { 'x-ghl-signature': signEd25519(keys, spaced) });
		expect([answer.status, answer.started]).toEqual([200, true]);
	});

	it('signature of the re-serialised body does not verify the raw bytes sent', async () => {
		const spaced = JSON.stringify(JSON.parse(body()), null, 2);
		const reserialised = JSON.stringify(JSON.parse(spaced));
		const answer = await send(spaced, { 'x-ghl-signature': signEd25519(keys, reserialised) });
		expect([answer.status, answer.started]).toEqual([401, false]);
	});

	const rejected: Array<[string, () => { raw: string; headers: Record<string, string> }]> = [
		['tampered body', () => ({ raw: body().replace('test message', 'evil message'), headers: { 'x-ghl-signature': signEd25519(keys, body()) } })],
		['tampered signature', () => {
			const signature = Buffer.from(signEd25519(keys, body()), 'base64');
			signature[10] ^= 0xff;
			return { raw: body(), headers: { 'x-ghl-signature': signature.toString('base64') } };
		}],
		['wrong key', () => {
			const other = generateKeyPairSync('ed25519').privateKey;
			return { raw: body(), headers: { 'x-ghl-signature': sign(null, Buffer.from(body()), other).toString('base64') } };
		}],
		['wrong header name', () => ({ raw: body(), headers: { 'x-signature': signEd25519(keys, body()) } })],
		['N/A', () => ({ raw: body(), headers: { 'x-ghl-signature': 'N/A' } })],
		['empty', () => ({ raw: body(), headers: { 'x-ghl-signature': '' } })],
		['not base64', () => ({ raw: body(), headers: { 'x-ghl-signature': '!!!not-base64???' } })],
		['truncated', () => ({ raw: body(), headers: { 'x-ghl-signature': signEd25519(keys, body()).slice(0, 40) } })],
		['no header at all', () => ({ raw: body(), headers: {} })],
		['RSA signature in the Ed25519 header', () => ({ raw: body(), headers: { 'x-ghl-signature': signRsa(keys, body()) } })],
	];
	it.each(rejected)('%s: 401, no execution', async (_name, make) => {
		const { raw, headers } = make();
		const answer = await send(raw, headers);
		expect(answer.status).toBe(401);
		expect(answer.body?.error).toBe('unauthorized');
		expect(typeof answer.body?.message).toBe('string');
		expect(answer.started).toBe(false);
	});

	it('a forged request never reaches parsing: invalid JSON with a bad signature is 401, not 400', async () => {
		const answer = await send('{not json', { 'x-ghl-signature': 'N/A' });
		expect(answer.status).toBe(401);
	});
});

describe('order of work: authenticity first', () => {
	it('a forged copy of a delivery does not use up its webhookId in the duplicate memory', async () => {
		const raw = readExample('inbound-whatsapp-media-missing-attachments').raw.replace('00000000-0000-0000-0000-000000000000', 'forged-first-1');
		const common = { body: raw, parameters: { authentication: 'highLevelSignature', appIds: 'APP_ID', options: { maxEventAgeMinutes: 0 } }, credentials: testKeyCredential(keys), workflowId: 'order-wf' };
		const forged = await callWebhook({ ...common, headers: { 'x-ghl-signature': signEd25519(keys, 'other bytes') } });
		const genuine = await callWebhook({ ...common, headers: { 'x-ghl-signature': signEd25519(keys, raw) } });
		const retry = await callWebhook({ ...common, headers: { 'x-ghl-signature': signEd25519(keys, raw) } });
		expect([forged.status, genuine.status, retry.status]).toEqual([401, 200, 200]);
		expect([forged.started, genuine.started, retry.started]).toEqual([false, true, false]);
	});
});

describe('X-WH-Signature (legacy RSA-SHA256)', () => {
	it('alone and valid: 200', async () => {
		const answer = await send(body(), { 'x-wh-signature': signRsa(keys, body()) });
		expect([answer.status, answer.started]).toEqual([200, true]);
	});
	it('alone, valid, but the legacy path is off: 401', async () => {
		const answer = await send(body(), { 'x-wh-signature': signRsa(keys, body()) }, { allowLegacySignature: false });
		expect([answer.status, answer.started]).toEqual([401, false]);
	});
	it('alone and tampered: 401', async () => {
		const answer = await send(body() + ' ', { 'x-wh-signature': signRsa(keys, body()) });
		expect([answer.status, answer.started]).toEqual([401, false]);
	});
	it('N/A in the legacy header and no Ed25519: 401', async () => {
		expect((await send(body(), { 'x-wh-signature': 'N/A' })).status).toBe(401);
	});
	it('N/A in the Ed25519 header falls back to a valid legacy one: 200', async () => {
		const answer = await send(body(), { 'x-ghl-signature': 'N/A', 'x-wh-signature': signRsa(keys, body()) });
		expect([answer.status, answer.started]).toEqual([200, true]);
	});
});

describe('both headers present', () => {
	it('Ed25519 valid, RSA wrong: 200 (the modern signature decides)', async () => {
		const answer = await send(body(), { 'x-ghl-signature': signEd25519(keys, body()), 'x-wh-signature': 'AAAA' });
		expect([answer.status, answer.started]).toEqual([200, true]);
	});
	it('Ed25519 wrong, RSA valid: 401 (a wrong modern signature is never rescued)', async () => {
		const answer = await send(body(), {
			'x-ghl-signature': signEd25519(keys, 'something else'),
			'x-wh-signature': signRsa(keys, body()),
		});
		expect([answer.status, answer.started]).toEqual([401, false]);
	});
});

describe('built-in keys', () => {
	it('are HighLevel\'s published keys from shared/highlevel/keys', () => {
		const der = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
		expect(der(HIGHLEVEL_ED25519_PUBLIC_KEY)).toBe(der(readSharedKey('highlevel-ed25519.pem')));
		expect(der(HIGHLEVEL_RSA_PUBLIC_KEY)).toBe(der(readSharedKey('highlevel-rsa-legacy.pem')));
	});
	it('parse as Ed25519 and RSA-4096', () => {
		const { ed25519, rsa } = builtInKeys();
		expect(ed25519.asymmetricKeyType).toBe('ed25519');
		expect(rsa.asymmetricKeyType).toBe('rsa');
		expect(rsa.asymmetricKeyDetails?.modulusLength).toBe(4096);
	});
	it('are used when no credential is set: a test-key signature is rejected', async () => {
		const answer = await callWebhook({ body: body(), headers: { 'x-ghl-signature': signEd25519(keys, body()) } });
		expect([answer.status, answer.started]).toEqual([401, false]);
	});
	it('the bare base64 SPKI form HighLevel prints is accepted as a replacement key', () => {
		const bare = 'MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=';
		expect(publicKeyFrom(bare, 'ed25519').equals(builtInKeys().ed25519)).toBe(true);
	});
	it('a credential with an RSA key in the Ed25519 field is rejected with a message, not a crash', async () => {
		const answer = await callWebhook({
			body: body(),
			headers: { 'x-ghl-signature': signEd25519(keys, body()) },
			credentials: { highLevelSignatureKeysApi: { ed25519PublicKey: keys.rsaPublicPem } },
		});
		expect(answer.status).toBe(401);
		// The reason is the admin's business (it is logged), not the sender's.
		expect(answer.body).toEqual({ error: 'unauthorized', message: 'The request could not be authenticated.' });
	});
	it('the credential test says whether the keys parse', () => {
		expect(testSignatureKeys({}).status).toBe('OK');
		expect(testSignatureKeys({ ed25519PublicKey: keys.ed25519PublicPem, rsaPublicKey: keys.rsaPublicPem }).status).toBe('OK');
		expect(testSignatureKeys({ ed25519PublicKey: 'garbage' }).status).toBe('Error');
		expect(testSignatureKeys({ rsaPublicKey: keys.ed25519PublicPem }).status).toBe('Error');
	});
});

describe('credential reads', () => {
	it('are cached for a minute per credential: one read for many requests, an edit applies after the TTL', async () => {
		clearCredentialCache();
		const raw = body();
		const headers = { 'x-ghl-signature': signEd25519(keys, raw) };
		const parameters = { authentication: 'highLevelSignature', appIds: APP_ID };
		const credentialIds = { highLevelSignatureKeysApi: 'cred-rotating' };
		const before = credentialReads.count;
		for (let index = 0; index < 5; index++) {
			const answer = await callWebhook({ body: raw, headers, parameters, credentials: testKeyCredential(keys), credentialIds });
			expect(answer.status).toBe(200);
		}
		expect(credentialReads.count - before).toBe(1);
		// The user pastes another key into the same credential: the cached key
		// still answers until the TTL passes (here: the cache is cleared).
		const other = makeTestKeys();
		const edited = { credentials: testKeyCredential(other), credentialIds, parameters, body: raw, headers };
		expect((await callWebhook(edited)).status).toBe(200);
		clearCredentialCache();
		expect((await callWebhook(edited)).status).toBe(401);
		expect(CREDENTIAL_TTL_MS).toBe(60_000);
	});
});

describe('Header Secret', () => {
	const secret = 'example-secret-value-0123456789';
	const credentials = { highLevelHeaderSecretApi: { headerName: 'X-HighLevel-Secret', secret } };
	const parameters = { authentication: 'headerSecret' };
	const sendWith = (headers: Record<string, string>) => callWebhook({ body: body(), headers, parameters, credentials });

	it('right value: 200', async () => {
		expect((await sendWith({ 'X-HighLevel-Secret': secret })).status).toBe(200);
	});
	it('header name in another case: 200 (HTTP header names are case-insensitive)', async () => {
		expect((await sendWith({ 'x-highlevel-secret': secret })).started).toBe(true);
		expect((await sendWith({ 'X-HIGHLEVEL-SECRET': secret })).started).toBe(true);
	});
	it.each([
		['wrong value', { 'x-highlevel-secret': 'example-secret-value-0123456788' }],
		['prefix of the value', { 'x-highlevel-secret': secret.slice(0, -1) }],
		['value plus more', { 'x-highlevel-secret': secret + 'x' }],
		['value in another case', { 'x-highlevel-secret': secret.toUpperCase() }],
		['missing', {}],
		['a HighLevel signature instead', { 'x-ghl-signature': 'N/A' }],
	])('%s: 401, no execution', async (_name, headers) => {
		const answer = await sendWith(headers as Record<string, string>);
		expect([answer.status, answer.started]).toEqual([401, false]);
	});
	it('the credential test checks name and length', () => {
		expect(testHeaderSecret({ headerName: 'X-HighLevel-Secret', secret }).status).toBe('OK');
		expect(testHeaderSecret({ headerName: '', secret }).status).toBe('Error');
		expect(testHeaderSecret({ headerName: 'bad header', secret }).status).toBe('Error');
		expect(testHeaderSecret({ headerName: 'X-A', secret: 'short' }).status).toBe('Error');
	});
	it('secretsMatch is exact', () => {
		expect(secretsMatch('abc', 'abc')).toBe(true);
		expect(secretsMatch('abc', 'abd')).toBe(false);
		expect(secretsMatch(undefined, 'abc')).toBe(false);
		expect(secretsMatch('', '')).toBe(false);
	});
});

describe('None', () => {
	it('accepts an unsigned request', async () => {
		expect((await callWebhook({ body: body(), parameters: { authentication: 'none' } })).started).toBe(true);
	});
	it('is the only mode without a signature check: the default rejects unsigned requests', async () => {
		expect((await callWebhook({ body: body() })).status).toBe(401);
	});
});

describe('headerValue', () => {
	it('treats N/A, empty and repeated headers as absent', () => {
		expect(headerValue('N/A')).toBeUndefined();
		expect(headerValue('n/a')).toBeUndefined();
		expect(headerValue('  ')).toBeUndefined();
		expect(headerValue(['a', 'b'])).toBeUndefined();
		expect(headerValue(['a'])).toBe('a');
	});
});

describe('401 answers say what a sender needs, no more (logged in full for the admin)', () => {
	/** Just enough of n8n's webhook context for authenticate(). */
	function contextFor(authentication: string, credentials: Record<string, IDataObject>, options: IDataObject = {}) {
		const node = { credentials: Object.fromEntries(Object.keys(credentials).map((type) => [type, { id: `${type}-answers`, name: type }])) };
		return {
			getNodeParameter: (name: string, fallback?: unknown) => ({ authentication, options })[name] ?? fallback,
			getNode: () => node,
			getCredentials: async (type: string) => credentials[type],
		} as unknown as IWebhookFunctions;
	}
	const requestOf = (headers: Record<string, string>, raw = body()) =>
		({ headers, rawBody: Buffer.from(raw) }) as unknown as ReturnType<IWebhookFunctions['getRequestObject']>;
	/** Nothing of the configuration or of a library may reach the sender. */
	const LEAKS = /x-ghl|x-wh|x-highlevel|header|base64|ed25519|rsa|openssl|key|err_|asn1|decoder|credential|legacy/i;

	it.each([
		['no signature', {}],
		['N/A', { 'x-ghl-signature': 'N/A' }],
		['not base64', { 'x-ghl-signature': '!!!' }],
		['wrong signature', { 'x-ghl-signature': Buffer.alloc(64, 1).toString('base64') }],
		['legacy only, legacy off', { 'x-wh-signature': Buffer.alloc(512, 1).toString('base64') }],
	])('signature refused (%s): one generic message; the log names the check', async (_name, headers) => {
		clearCredentialCache();
		const answer = await send(body(), headers, { allowLegacySignature: false });
		expect(answer.body).toEqual({ error: 'unauthorized', message: SIGNATURE_REFUSED });
		expect(SIGNATURE_REFUSED).not.toMatch(LEAKS);
		const verdict = await authenticate(contextFor('highLevelSignature', testKeyCredential(keys), { allowLegacySignature: false }), requestOf(headers));
		expect(verdict).toMatchObject({ ok: false, message: SIGNATURE_REFUSED, misconfigured: false });
		expect(verdict.ok ? '' : verdict.log).toMatch(/X-GHL-Signature|X-WH-Signature/);
	});

	it('each signature failure has its own log line', () => {
		const raw = Buffer.from(body());
		const logOf = (headers: Record<string, string>, legacy = true) => {
			const verdict = verifyHighLevelSignature(raw, headers, builtInKeys(), legacy);
			return verdict.ok ? 'ok' : [verdict.message, verdict.log];
		};
		expect(logOf({})).toEqual([SIGNATURE_REFUSED, 'The request has neither X-GHL-Signature nor X-WH-Signature.']);
		expect(logOf({ 'x-ghl-signature': '***' })).toEqual([SIGNATURE_REFUSED, 'X-GHL-Signature is not a base64 Ed25519 signature.']);
		expect(logOf({ 'x-ghl-signature': Buffer.alloc(64).toString('base64') })).toEqual([SIGNATURE_REFUSED, 'X-GHL-Signature does not match the request body.']);
		expect(logOf({ 'x-wh-signature': 'AAAA' }, false)).toEqual([SIGNATURE_REFUSED, 'Only X-WH-Signature was sent and Accept Legacy RSA Signature is off.']);
		expect(logOf({ 'x-wh-signature': 'AAAA' })).toEqual([SIGNATURE_REFUSED, 'X-WH-Signature is not a base64 RSA signature.']);
		expect(logOf({ 'x-wh-signature': Buffer.alloc(512).toString('base64') })).toEqual([SIGNATURE_REFUSED, 'X-WH-Signature does not match the request body.']);
	});

	it('an unusable key: the sender learns nothing; the log has the library error', async () => {
		const credentials = { highLevelSignatureKeysApi: { ed25519PublicKey: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----' } };
		const answer = await callWebhook({ body: body(), headers: { 'x-ghl-signature': signEd25519(keys, body()) }, credentials });
		expect(answer.body).toEqual({ error: 'unauthorized', message: NOT_AUTHENTICATED });
		expect(NOT_AUTHENTICATED).not.toMatch(LEAKS);
		clearCredentialCache();
		const verdict = await authenticate(contextFor('highLevelSignature', credentials), requestOf({ 'x-ghl-signature': 'x' }));
		expect(verdict).toMatchObject({ ok: false, message: NOT_AUTHENTICATED, misconfigured: true });
		expect(verdict.ok ? '' : verdict.log).toMatch(/^The HighLevel Signature Keys credential holds an unusable key: .+/);
	});

	it('a wrong header secret: the configured header name is never echoed', async () => {
		const credentials = { highLevelHeaderSecretApi: { headerName: 'X-Acme-Private-Name', secret: 'example-secret-value-0123456789' } };
		const answer = await callWebhook({ body: body(), headers: { 'x-acme-private-name': 'wrong' }, parameters: { authentication: 'headerSecret' }, credentials });
		expect(answer.body).toEqual({ error: 'unauthorized', message: 'The request does not carry the expected secret.' });
		expect(JSON.stringify(answer.body)).not.toMatch(/acme/i);
		clearCredentialCache();
		const verdict = await authenticate(contextFor('headerSecret', credentials), requestOf({}));
		expect(verdict).toEqual({ ok: false, message: SECRET_REFUSED, log: 'Header x-acme-private-name is missing or wrong.', misconfigured: false });
	});

	it('a header secret credential without a header name is a configuration problem', async () => {
		clearCredentialCache();
		const credentials = { highLevelHeaderSecretApi: { headerName: ' ', secret: 'example-secret-value-0123456789' } };
		const verdict = await authenticate(contextFor('headerSecret', credentials), requestOf({}));
		expect(verdict).toEqual({ ok: false, message: NOT_AUTHENTICATED, log: 'The Header Secret credential has no header name.', misconfigured: true });
	});
});

describe('the built-in keys on the accepting side (no replacement-keys credential, the default)', () => {
	// Only HighLevel holds the private key behind the built-in public key, so its
	// signature is acted out: crypto.verify accepts one chosen signature, and only
	// when it is checked against the built-in Ed25519 key. Everything else is real.
	const HIGHLEVEL_SIGNED = Buffer.alloc(64, 7);
	// Node's own module object, the one signature.ts calls verify() on.
	const crypto = jest.requireActual<typeof import('crypto')>('crypto');
	let verifySpy: jest.SpyInstance;
	beforeEach(() => {
		const realVerify = crypto.verify;
		const builtIn = builtInKeys().ed25519;
		verifySpy = jest.spyOn(crypto, 'verify').mockImplementation(((algorithm: string | null, data: Buffer, key: KeyObject, signature: Buffer) =>
			key.equals(builtIn) && Buffer.from(signature).equals(HIGHLEVEL_SIGNED) ? true : realVerify(algorithm, data, key, signature)) as never);
	});
	afterEach(() => verifySpy.mockRestore());

	it('a delivery signed by HighLevel runs', async () => {
		const answer = await callWebhook({
			body: body(),
			headers: { 'x-ghl-signature': HIGHLEVEL_SIGNED.toString('base64') },
			parameters: { authentication: 'highLevelSignature', appIds: APP_ID },
		});
		expect([answer.status, answer.started]).toEqual([200, true]);
	});

	it('a replacement Ed25519 key takes the built-in one\'s place: HighLevel\'s signature no longer passes', async () => {
		const answer = await callWebhook({
			body: body(),
			headers: { 'x-ghl-signature': HIGHLEVEL_SIGNED.toString('base64') },
			parameters: { authentication: 'highLevelSignature', appIds: APP_ID },
			credentials: { highLevelSignatureKeysApi: { ed25519PublicKey: keys.ed25519PublicPem } },
		});
		expect([answer.status, answer.started]).toEqual([401, false]);
	});

	it('a credential with only an RSA key keeps the built-in Ed25519 key', async () => {
		const answer = await callWebhook({
			body: body(),
			headers: { 'x-ghl-signature': HIGHLEVEL_SIGNED.toString('base64') },
			parameters: { authentication: 'highLevelSignature', appIds: APP_ID },
			credentials: { highLevelSignatureKeysApi: { ed25519PublicKey: '  ', rsaPublicKey: keys.rsaPublicPem } },
		});
		expect([answer.status, answer.started]).toEqual([200, true]);
	});
});

describe('a rotated key or secret takes effect once the credential cache expires', () => {
	const raw = body();
	const parameters = { authentication: 'highLevelSignature', appIds: APP_ID };
	const credentialIds = { highLevelSignatureKeysApi: 'cred-rotated-by-time' };
	let now = Date.parse('2026-03-01T00:00:00Z');
	let clock: jest.SpyInstance;
	beforeEach(() => {
		clearCredentialCache();
		clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterEach(() => clock.mockRestore());

	it('the old key answers until CREDENTIAL_TTL_MS has passed, the new one from then on', async () => {
		const old = { credentials: testKeyCredential(keys), credentialIds, parameters, body: raw, headers: { 'x-ghl-signature': signEd25519(keys, raw) } };
		const start = now;
		expect((await callWebhook(old)).status).toBe(200);
		// The user pastes another key into the same credential.
		const rotated = makeTestKeys();
		const withNewKey = (signer: TestKeys) => ({
			credentials: testKeyCredential(rotated),
			credentialIds,
			parameters,
			body: raw,
			headers: { 'x-ghl-signature': signEd25519(signer, raw) },
		});
		now = start + CREDENTIAL_TTL_MS - 1;
		expect((await callWebhook(withNewKey(keys))).status).toBe(200);
		now = start + CREDENTIAL_TTL_MS;
		expect((await callWebhook(withNewKey(keys))).status).toBe(401);
		expect((await callWebhook(withNewKey(rotated))).status).toBe(200);
	});

	it('a rotated header secret is enforced after the TTL', async () => {
		const headerCredentialIds = { highLevelHeaderSecretApi: 'secret-rotated-by-time' };
		const call = (secret: string, sent: string) => callWebhook({
			body: raw,
			headers: { 'x-secret': sent },
			parameters: { authentication: 'headerSecret' },
			credentials: { highLevelHeaderSecretApi: { headerName: 'X-Secret', secret } },
			credentialIds: headerCredentialIds,
		});
		const start = now;
		expect((await call('first-secret-0123456789', 'first-secret-0123456789')).status).toBe(200);
		now = start + CREDENTIAL_TTL_MS;
		expect((await call('second-secret-0123456789', 'first-secret-0123456789')).status).toBe(401);
		expect((await call('second-secret-0123456789', 'second-secret-0123456789')).status).toBe(200);
	});
});

describe('authenticate(): configuration problems are refused and say why in the log', () => {
	const node = (types: string[]) => ({ credentials: Object.fromEntries(types.map((type) => [type, { id: `${type}-config`, name: type }])) });
	const contextOf = (authentication: unknown, credentials: Record<string, IDataObject> = {}) =>
		({
			getNodeParameter: (name: string, fallback?: unknown) => (name === 'authentication' ? (authentication ?? fallback) : fallback),
			getNode: () => node(Object.keys(credentials)),
			getCredentials: async (type: string) => credentials[type],
		}) as unknown as IWebhookFunctions;
	const requestOf = (headers: Record<string, string>, rawBody?: unknown) =>
		({ headers, rawBody }) as unknown as ReturnType<IWebhookFunctions['getRequestObject']>;

	beforeEach(() => clearCredentialCache());

	it('no raw body from n8n: the signature cannot be checked, so the request is refused', async () => {
		const signed = { 'x-ghl-signature': signEd25519(keys, body()) };
		expect(await authenticate(contextOf('highLevelSignature', testKeyCredential(keys)), requestOf(signed))).toEqual({
			ok: false,
			message: NOT_AUTHENTICATED,
			log: 'The raw request body is not available, so the signature cannot be checked.',
			misconfigured: true,
		});
		expect(await authenticate(contextOf('highLevelSignature', testKeyCredential(keys)), requestOf(signed, body()))).toMatchObject({ ok: false, misconfigured: true });
		expect(await authenticate(contextOf('highLevelSignature', testKeyCredential(keys)), requestOf(signed, Buffer.from(body())))).toEqual({ ok: true });
	});

	it('an unknown authentication mode refuses every request (it never falls open)', async () => {
		const verdict = await authenticate(contextOf('signatureV2'), requestOf({}, Buffer.from(body())));
		expect(verdict).toEqual({ ok: false, message: NOT_AUTHENTICATED, log: 'Unknown authentication mode "signatureV2".', misconfigured: true });
		const long = await authenticate(contextOf('m'.repeat(300)), requestOf({}, Buffer.from(body())));
		expect(long).toEqual({ ok: false, message: NOT_AUTHENTICATED, log: `Unknown authentication mode "${'m'.repeat(100)}".`, misconfigured: true });
	});

	it('a node that has no credentials at all (n8n leaves the key out) is checked against the built-in keys', async () => {
		const bare = {
			getNodeParameter: (_name: string, fallback?: unknown) => fallback,
			getNode: () => ({}),
			getCredentials: async () => {
				throw new Error('no credentials');
			},
		} as unknown as IWebhookFunctions;
		const verdict = await authenticate(bare, requestOf({ 'x-ghl-signature': signEd25519(keys, body()) }, Buffer.from(body())));
		expect(verdict).toEqual({ ok: false, message: SIGNATURE_REFUSED, log: 'X-GHL-Signature does not match the request body.', misconfigured: false });
	});

	it('the mode defaults to HighLevel Signature when n8n has no value', async () => {
		const verdict = await authenticate(contextOf(undefined), requestOf({}, Buffer.from(body())));
		expect(verdict).toMatchObject({ ok: false, message: SIGNATURE_REFUSED, misconfigured: false });
	});

	it('a header secret sent twice (an array) is refused', async () => {
		const credentials = { highLevelHeaderSecretApi: { headerName: 'X-Secret', secret: 'example-secret-value-0123456789' } };
		const twice = requestOf({}) as unknown as { headers: Record<string, unknown> };
		twice.headers['x-secret'] = ['example-secret-value-0123456789', 'example-secret-value-0123456789'];
		expect(await authenticate(contextOf('headerSecret', credentials), twice as never)).toMatchObject({ ok: false, message: SECRET_REFUSED });
		expect(await authenticate(contextOf('headerSecret', credentials), requestOf({ 'x-secret': 'example-secret-value-0123456789' }))).toEqual({ ok: true });
	});

	it('a header secret credential with no secret accepts nothing, not even an empty header', async () => {
		const credentials = { highLevelHeaderSecretApi: { headerName: 'X-Secret' } };
		expect(await authenticate(contextOf('headerSecret', credentials), requestOf({ 'x-secret': '' }))).toMatchObject({ ok: false });
		expect(await authenticate(contextOf('headerSecret', credentials), requestOf({ 'x-secret': 'undefined' }))).toMatchObject({ ok: false });
	});
});

describe('the credential tests (n8n\'s Test button)', () => {
	const secret = 'x'.repeat(16);
	it('Header Secret: says what is wrong with the header name', () => {
		expect(testHeaderSecret({ secret })).toEqual({ status: 'Error', message: 'Header Name is empty' });
		expect(testHeaderSecret({ headerName: '   ', secret })).toEqual({ status: 'Error', message: 'Header Name is empty' });
		for (const bad of ['X Secret', 'X-Secret:', 'X-Sécret', '(X)', 'X-Secret\n'.repeat(2)]) {
			expect([bad, testHeaderSecret({ headerName: bad, secret })]).toEqual([bad, { status: 'Error', message: 'Header Name is not a valid HTTP header name' }]);
		}
		for (const good of ['X-HighLevel-Secret', ' X-Secret ', "x!#$%&'*+.^_`|~09"]) {
			expect([good, testHeaderSecret({ headerName: good, secret })]).toEqual([good, { status: 'OK', message: 'The header secret is usable' }]);
		}
	});
	it('Header Secret: a secret needs at least 16 characters', () => {
		expect(testHeaderSecret({ headerName: 'X-A', secret: 'x'.repeat(15) })).toEqual({ status: 'Error', message: 'Secret should be at least 16 characters long' });
		expect(testHeaderSecret({ headerName: 'X-A' })).toEqual({ status: 'Error', message: 'Secret should be at least 16 characters long' });
		expect(testHeaderSecret({ headerName: 'X-A', secret: 'x'.repeat(16) }).status).toBe('OK');
	});
	it('Signature Keys: OK with a message, or the parse error', () => {
		expect(testSignatureKeys({})).toEqual({ status: 'OK', message: 'The keys are valid public keys' });
		expect(testSignatureKeys({ rsaPublicKey: keys.ed25519PublicPem })).toEqual({ status: 'Error', message: 'Unusable key: expected an rsa public key, got ed25519' });
	});
});

describe('verifyHighLevelSignature: how a signature header is read', () => {
	const raw = Buffer.from(body());
	const verdictOf = (headers: Record<string, string>, legacy = true) => verifyHighLevelSignature(raw, headers, { ed25519: createPublicKey(keys.ed25519PublicPem), rsa: createPublicKey(keys.rsaPublicPem) }, legacy);
	const notBase64 = { ok: false, message: SIGNATURE_REFUSED, log: 'X-GHL-Signature is not a base64 Ed25519 signature.' };

	/** A genuine signature of `raw` (of these bytes plus `salt`), chosen so that its base64 has `+` and `/`, or `-` and `_` in base64url. */
	function genuine(alphabet: 'base64' | 'base64url'): { text: string; signed: Buffer } {
		for (let salt = 0; ; salt++) {
			const signed = Buffer.concat([raw, Buffer.from(' '.repeat(salt))]);
			const text = crypto.sign(null, signed, keys.ed25519Private).toString(alphabet);
			if (alphabet === 'base64' ? /\+/.test(text) && /\//.test(text) : /-/.test(text) && /_/.test(text)) return { text, signed };
		}
	}
	const crypto = jest.requireActual<typeof import('crypto')>('crypto');

	it('a valid signature says which header verified', () => {
		expect(verdictOf({ 'x-ghl-signature': signEd25519(keys, raw) })).toEqual({ ok: true, method: 'ed25519' });
		expect(verdictOf({ 'x-wh-signature': signRsa(keys, raw) })).toEqual({ ok: true, method: 'rsa' });
	});

	it('accepts standard base64 and base64url (with or without padding)', () => {
		const standard = genuine('base64');
		const url = genuine('base64url');
		const check = (text: string, signed: Buffer) =>
			verifyHighLevelSignature(signed, { 'x-ghl-signature': text }, { ed25519: createPublicKey(keys.ed25519PublicPem), rsa: createPublicKey(keys.rsaPublicPem) }, true);
		expect(check(standard.text, standard.signed)).toEqual({ ok: true, method: 'ed25519' });
		expect(check(standard.text.replace(/=+$/, ''), standard.signed)).toEqual({ ok: true, method: 'ed25519' });
		expect(check(url.text, url.signed)).toEqual({ ok: true, method: 'ed25519' });
	});

	it('refuses a genuine signature with anything around or inside it', () => {
		for (const alphabet of ['base64', 'base64url'] as const) {
			const { text, signed } = genuine(alphabet);
			for (const bent of [`!${text}`, `${text}!`, `${text.slice(0, 20)}*${text.slice(20)}`, `${text}.`]) {
				const verdict = verifyHighLevelSignature(signed, { 'x-ghl-signature': bent }, { ed25519: createPublicKey(keys.ed25519PublicPem), rsa: createPublicKey(keys.rsaPublicPem) }, true);
				expect([bent, verdict]).toEqual([bent, notBase64]);
			}
		}
	});

	it('a legacy signature is checked against the length of the configured RSA key (a 2048-bit replacement key works)', () => {
		const rsa2048 = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
		const signature = crypto.sign('sha256', raw, rsa2048.privateKey).toString('base64');
		const verdict = verifyHighLevelSignature(raw, { 'x-wh-signature': signature }, { ed25519: createPublicKey(keys.ed25519PublicPem), rsa: rsa2048.publicKey }, true);
		expect(verdict).toEqual({ ok: true, method: 'rsa' });
	});

	it('the answer to a refused signature is exactly this sentence', async () => {
		const answer = await send(body(), { 'x-ghl-signature': 'N/A' });
		expect(answer.body).toEqual({ error: 'unauthorized', message: 'The request does not carry a valid HighLevel signature.' });
	});
});

describe('replacement keys as users paste them', () => {
	it('a PEM with blank lines and spaces around it', () => {
		expect(publicKeyFrom(`\n\n  ${keys.ed25519PublicPem}  \n`, 'ed25519').equals(createPublicKey(keys.ed25519PublicPem))).toBe(true);
	});
	it('bare base64 SPKI wrapped over several lines, as in HighLevel\'s docs', () => {
		const bare = 'MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=';
		const wrapped = `${bare.slice(0, 20)}\n${bare.slice(20, 40)}\r\n  ${bare.slice(40)}`;
		expect(publicKeyFrom(wrapped, 'ed25519').equals(builtInKeys().ed25519)).toBe(true);
	});
	it('a key of the other type is refused, naming both types', () => {
		expect(() => publicKeyFrom(keys.rsaPublicPem, 'ed25519')).toThrow('expected an ed25519 public key, got rsa');
	});
});
