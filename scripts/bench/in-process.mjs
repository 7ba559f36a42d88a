// In-process cost of the built node: webhook() per event, its stages, memory.
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { repoRoot } from '../lib/n8n.mjs';
import { makeContext } from './context.mjs';
import { timeEach } from './stats.mjs';

const require = createRequire(import.meta.url);
const dist = (file) => require(path.join(repoRoot, 'dist', 'nodes', 'HighLevelMessageTrigger', file));
const { HighLevelMessageTrigger } = dist('HighLevelMessageTrigger.node.js');
const { verifyHighLevelSignature, publicKeyFrom, builtInKeys } = dist('signature.js');
const { readJsonBody } = dist('request-body.js');
const { toMessage } = dist('normalize.js');
const { acceptEvent, routeToOutputs } = dist('accept.js');

const examples = path.resolve(repoRoot, '..', 'shared', 'highlevel', 'examples');
const example = (name) => JSON.parse(readFileSync(path.join(examples, `${name}.json`), 'utf8'));

/** A 20 KB marketing-style HTML email: tables, inline styles, entities, a style block. */
export function bigEmail() {
	const row = (index) =>
		`<tr><td style="padding:8px;font-family:Arial,sans-serif;color:#333">Item ${index} &ndash; Premium plan</td>` +
		`<td style="padding:8px;text-align:right">&euro;${(index * 7.5).toFixed(2)}</td></tr>`;
	let html =
		'<html><head><style>.btn{background:#155EEF;color:#fff}</style></head><body>' +
		'<div style="max-width:600px;margin:0 auto"><h1>Your order is confirmed</h1><p>Hi Jane,<br>thanks for your order. Here is what you bought:</p><table>';
	let index = 0;
	while (html.length < 19_500) html += row(index++);
	html += '</table><p>Questions? Reply to this email &amp; we&#39;ll help.</p><p><a class="btn" href="https://example.com">View order</a></p></div></body></html>';
	return { ...example('inbound-email-to-string-cclist'), body: html };
}

export function scenarios() {
	return [
		['SMS', example('inbound-sms')],
		['Call', example('inbound-call-answered')],
		['Voicemail', example('inbound-call-voicemail')],
		['Email', example('inbound-email-to-string-cclist')],
		['Email, 20 KB HTML', bigEmail()],
		['Unknown type', { ...example('inbound-sms'), messageType: 'TIKTOK', messageTypeString: undefined, messageTypeId: undefined }],
	];
}

const PARAMETERS_OFF = { authentication: 'none', events: ['InboundMessage', 'OutboundMessage'], options: { ignoreDuplicates: false } };
const PARAMETERS_ON = { ...PARAMETERS_OFF, authentication: 'highLevelSignature' };

export async function measureWebhook() {
	const node = new HighLevelMessageTrigger();
	const keys = generateKeyPairSync('ed25519');
	const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
	const credentials = { highLevelSignatureKeysApi: { ed25519PublicKey: publicPem } };
	const rows = [];
	for (const [name, body] of scenarios()) {
		const raw = Buffer.from(JSON.stringify(body));
		const parsed = JSON.parse(raw.toString());
		const run = async (parameters, headers, creds) => {
			const context = makeContext({ raw, headers, parameters, credentials: creds });
			context.request.body = parsed;
			return timeEach(async () => {
				const result = await node.webhook.call(context);
				if (!result.workflowData) throw new Error(`${name} was not emitted`);
			});
		};
		const headersJson = { 'content-type': 'application/json' };
		const off = await run(PARAMETERS_OFF, headersJson, {});
		const on = await run(PARAMETERS_ON, { ...headersJson, 'x-ghl-signature': sign(null, raw, keys.privateKey).toString('base64') }, credentials);
		const jsonParse = await timeEach(() => JSON.parse(raw.toString('utf8')));
		rows.push({ name, bytes: raw.length, on, off, jsonParse });
	}
	return rows;
}

/** Each stage alone, on one SMS and on the 20 KB email. */
export async function measureStages() {
	const keys = generateKeyPairSync('ed25519');
	const signatureKeys = { ed25519: publicKeyFrom(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ed25519'), rsa: builtInKeys().rsa };
	const out = [];
	for (const [name, body] of [['SMS', example('inbound-sms')], ['Email, 20 KB HTML', bigEmail()]]) {
		const raw = Buffer.from(JSON.stringify(body));
		const parsed = JSON.parse(raw.toString());
		const headers = { 'x-ghl-signature': sign(null, raw, keys.privateKey).toString('base64') };
		const settings = { events: new Set(['InboundMessage', 'OutboundMessage']), locationIds: null, maxEventAgeMs: 0, includeRaw: true };
		const decision = await acceptEvent(parsed, settings);
		out.push({
			name,
			stages: [
				['verify (Ed25519 over raw bytes)', await timeEach(() => verifyHighLevelSignature(raw, headers, signatureKeys, true))],
				['body check', await timeEach(() => readJsonBody('application/json', raw, parsed))],
				['parse + normalise (zod, channel, HTML to text)', await timeEach(() => toMessage(parsed))],
				['filter + normalise (acceptEvent)', await timeEach(async () => await acceptEvent(parsed, settings))],
				['route (outputs array)', await timeEach(() => routeToOutputs({ json: decision.item }, decision.output, false))],
				['for scale: JSON.parse of the body (n8n does this)', await timeEach(() => JSON.parse(raw.toString('utf8')))],
			],
		});
	}
	return out;
}

/** Heap after 100,000 distinct deliveries and after 100,000 duplicates, duplicates on. */
export async function measureMemory() {
	if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
	const node = new HighLevelMessageTrigger();
	const base = example('inbound-whatsapp-media-missing-attachments');
	const parameters = { authentication: 'none', events: ['InboundMessage'] };
	const heap = () => {
		global.gc();
		global.gc();
		return process.memoryUsage().heapUsed;
	};
	const context = makeContext({ raw: Buffer.from('{}'), headers: { 'content-type': 'application/json' }, parameters, workflowId: 'memory-bench' });
	let emitted = 0;
	let duplicates = 0;
	const send = async (webhookId) => {
		const body = { ...base, webhookId };
		context.request.body = body;
		context.request.rawBody = Buffer.from(JSON.stringify(body));
		const result = await node.webhook.call(context);
		if (result.workflowData) emitted++;
		else duplicates++;
	};
	// Warm the code paths so the first reading is not inflated by compilation.
	for (let index = 0; index < 2000; index++) await send(`warm-${index}`);
	const before = heap();
	for (let index = 0; index < 100_000; index++) await send(`distinct-${index}`);
	const afterDistinct = heap();
	const emittedDistinct = emitted;
	emitted = 0;
	// The last 10,000 ids (all still remembered), ten times over.
	for (let round = 0; round < 10; round++) for (let index = 90_000; index < 100_000; index++) await send(`distinct-${index}`);
	const afterDuplicates = heap();
	const { duplicateMemoryFor } = dist('dedupe.js');
	return {
		before,
		afterDistinct,
		afterDuplicates,
		emittedDistinct,
		duplicates,
		emittedDuplicates: emitted,
		remembered: duplicateMemoryFor('memory-bench:bench-node').size,
	};
}
