// Signs a body with an Ed25519 private key the way HighLevel signs its webhooks
// (X-GHL-Signature: base64 signature of the raw bytes) and POSTs it.
import { createPrivateKey, sign } from 'node:crypto';

export async function postSigned(url, raw, privateKeyPem) {
	const key = createPrivateKey(privateKeyPem);
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-ghl-signature': sign(null, raw, key).toString('base64') },
		body: raw,
	});
	return { status: response.status, body: await response.text() };
}
