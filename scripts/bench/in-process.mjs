// In-process cost of the built node: webhook() per event, its stages, memory.
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { repoRoot } from '../lib/n8n.mjs';
import { freshDelivery } from '../lib/samples.mjs';
import { makeContext } from './context.mjs';
import { timeEach } from './stats.mjs';

const require = createRequire(import.meta.url);
const dist = (file) => require(path.join(repoRoot, 'dist', 'nodes', 'HighLevel', file));
const { HighLevelMessageTrigger } = dist('HighLevelMessageTrigger.node.js');
const { verifyHighLevelSignature, publicKeyFrom, builtInKeys } = dist('trigger/signature.js');
const { readJsonBody } = dist('trigger/request-body.js');
const { toMessage } = dist('normalize.js');
const { acceptEvent, routeToOutputs } = dist('trigger/accept.js');
const { ledgerFor } = dist('trigger/ledgers.js');

const examples = path.resolve(repoRoot, '..', 'shared', 'highlevel', 'examples');
const example = (name) => JSON.parse(readFileSync(path.join(examples, `${name}.json`), 'utf8'));

/** The receiving app's id, as HighLevel stamps it on every app webhook (and the node's App IDs). */
export const BENCH_APP_ID = '6878cec452e7c8d29d4dd3d9';
/** The node's default Maximum Event Age (24 h), which every timed event passes. */
const DAY_MS = 24 * 60 * 60 * 1000;

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

/**
 * HighLevel's examples as fresh deliveries (a webhookId, a timestamp of now and
 * the app id, as HighLevel's envelope has them): the examples' 2021 dates would
 * be refused by the default Maximum Event Age.
 */
export function scenarios() {
	const fresh = (body) => freshDelivery(body, { appId: BENCH_APP_ID });
	return [
		['SMS', fresh(example('inbound-sms'))],
		['Call', fresh(example('inbound-call-answered'))],
		['Voicemail', fresh(example('inbound-call-voicemail'))],
		['Email', fresh(example('inbound-email-to-string-cclist'))],
		['Email, 20 KB HTML', fresh(bigEmail())],
		['Unknown type', fresh({ ...example('inbound-sms'), messageType: 'TIKTOK', messageTypeString: undefined, messageTypeId: undefined })],
	];
}

// Ignore Duplicates off for the timed calls: each body is sent 23,000 times. Its
// cost is measured separately (measureMemory) and, in n8n, in the load test.
const PARAMETERS_OFF = { authentication: 'none', events: ['InboundMessage', 'OutboundMessage'], options: { ignoreDuplicates: false } };
const PARAMETERS_ON = { ...PARAMETERS_OFF, authentication: 'highLevelSignature', appIds: BENCH_APP_ID };

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
	for (const [name, body] of scenarios().filter(([scenario]) => scenario === 'SMS' || scenario === 'Email, 20 KB HTML')) {
		const raw = Buffer.from(JSON.stringify(body));
		const parsed = JSON.parse(raw.toString());
		const headers = { 'x-ghl-signature': sign(null, raw, keys.privateKey).toString('base64') };
		const settings = {
			events: new Set(['InboundMessage', 'OutboundMessage']),
			locationIds: null,
			appIds: new Set([BENCH_APP_ID]),
			requireBinding: true,
			maxEventAgeMs: DAY_MS,
			includeRaw: true,
			ignoreAutomated: true,
		};
		const decision = acceptEvent(parsed, settings);
		if (!decision.emit) throw new Error(`${name}: acceptEvent refused the bench event (${decision.reason})`);
		out.push({
			name,
			stages: [
				['verify (Ed25519 over raw bytes)', await timeEach(() => verifyHighLevelSignature(raw, headers, signatureKeys, true))],
				['read the body (JSON.parse of the verified bytes)', await timeEach(() => readJsonBody('application/json', raw, parsed))],
				['parse + normalise (zod, channel, HTML to text)', await timeEach(() => toMessage(parsed))],
				['bind + filter + normalise (acceptEvent: app id, event, age)', await timeEach(() => acceptEvent(parsed, settings))],
				['route (outputs array)', await timeEach(() => routeToOutputs({ json: decision.item }, decision.output, false))],
				['for scale: JSON.parse of the body (n8n does this)', await timeEach(() => JSON.parse(raw.toString('utf8')))],
			],
		});
	}
	return out;
}

/**
 * Heap after 100,000 distinct deliveries and after 100,000 duplicates, with
 * Ignore Duplicates on (the default). n8n answers an accepted event itself and
 * the node confirms the delivery when that answer ends: here end() is called
 * as n8n would. Outside n8n the ledger is this process's memory (n8n's
 * database ledger keeps the same memory in front of the database).
 */
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
	const timestamp = new Date().toISOString();
	let emitted = 0;
	let duplicates = 0;
	const send = async (webhookId) => {
		const body = { ...base, webhookId, timestamp };
		const raw = Buffer.from(JSON.stringify(body));
		const context = makeContext({ raw, headers: { 'content-type': 'application/json' }, parameters, workflowId: 'memory-bench' });
		context.request.body = body;
		const result = await node.webhook.call(context);
		if (result.workflowData) {
			emitted++;
			// n8n created the execution and answers 200: the delivery is confirmed.
			context.response.end();
		} else if (context.response.statusCode === 200) duplicates++;
		else throw new Error(`memory bench: unexpected answer ${context.response.statusCode}`);
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
	const ledger = await ledgerFor('auto', 'memory-bench', 'bench-node', DAY_MS, () => undefined);
	return {
		before,
		afterDistinct,
		afterDuplicates,
		emittedDistinct,
		duplicates,
		emittedDuplicates: emitted,
		remembered: ledger.size,
		bound: ledger.maxDone ?? ledger.memory?.maxDone,
		ledger: ledger.constructor.name,
	};
}
