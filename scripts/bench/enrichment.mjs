// What Fill In From HighLevel API adds to the time HighLevel waits for its
// answer: the built trigger's webhook() called in process, its API requests
// going over loopback to the local HighLevel stand-in (Prism serving
// HighLevel's own documents, as in the e2e tests), each part alone and all
// together, against the same events with enrichment off in the same run.
//
//   npm run bench:enrichment   this section alone (also part of `npm run bench`);
//                              writes it into BENCHMARKS.md
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startHighLevelApi } from '../lib/highlevel-api.mjs';
import { repoRoot, sleep } from '../lib/n8n.mjs';
import { freshDelivery, readExample } from '../lib/samples.mjs';
import { makeContext } from './context.mjs';
import { summarize } from './stats.mjs';

const require = createRequire(import.meta.url);
const { HighLevelMessageTrigger } = require(path.join(repoRoot, 'dist', 'nodes', 'HighLevel', 'HighLevelMessageTrigger.node.js'));
// n8n-core's own HTTP helper: what n8n's authenticated request helper sends with.
const { httpRequest } = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions');

const TOKEN = 'pit-bench-token';
const ITERATIONS = 200;
const WARMUP = 20;

function context(api, body, enrich, options = {}) {
	const raw = Buffer.from(JSON.stringify(body));
	const credentials = { highLevelPrivateIntegrationTokenApi: { token: TOKEN, locationId: body.locationId, baseUrl: api.url } };
	const parameters = { authentication: 'none', enrich, options: { ignoreDuplicates: false, ...options } };
	const made = makeContext({ raw, headers: { 'content-type': 'application/json' }, parameters, credentials });
	made.request.body = body;
	made.helpers = {
		httpRequestWithAuthentication: async (type, request) =>
			await httpRequest({ ...request, headers: { ...request.headers, Authorization: `Bearer ${credentials[type].token}` } }),
		// n8n's default binary mode: the file base64-encoded in the item.
		prepareBinaryData: async (data, fileName, mimeType) => ({ data: data.toString('base64'), fileName, mimeType, fileSize: String(data.length) }),
	};
	return made;
}

/** Milliseconds from webhook() being called to the item being ready for n8n (n8n then creates the execution and answers). */
async function timeAnswers(api, body, enrich, { iterations = ITERATIONS, warmup = WARMUP, options } = {}) {
	const node = new HighLevelMessageTrigger();
	let last;
	const samples = new Float64Array(iterations);
	for (let index = 0; index < warmup + iterations; index++) {
		const started = process.hrtime.bigint();
		const result = await node.webhook.call(context(api, body, enrich, options));
		const elapsed = Number(process.hrtime.bigint() - started);
		if (!result.workflowData) throw new Error('the event was not emitted');
		last = result.workflowData.flat()[0];
		if (index >= warmup) samples[index - warmup] = elapsed;
	}
	const { medianUs, p99Us } = summarize(samples);
	return { medianMs: medianUs / 1000, p99Ms: p99Us / 1000, report: last.json.enrichment ?? null, binary: Object.keys(last.binary ?? {}) };
}

export async function measureEnrichment() {
	let slow = false;
	const api = await startHighLevelApi({
		// A HighLevel that does not answer within the budget (3 s per request).
		answer: async () => {
			if (slow) await sleep(3000);
			return undefined;
		},
	});
	try {
		const fresh = (name) => freshDelivery(readExample(name), {});
		const voicemail = fresh('inbound-call-voicemail');
		const whatsapp = fresh('inbound-whatsapp-media-missing-attachments');
		const rows = [];
		const measure = async (name, body, enrich, settings) => {
			const result = await timeAnswers(api, body, enrich, settings);
			rows.push({ name, ...result });
			console.error(`[bench] enrichment: ${name}: median ${result.medianMs.toFixed(2)} ms`);
		};
		await measure('Voicemail, off (baseline)', voicemail, []);
		await measure('Voicemail, Include Contact', voicemail, ['contact']);
		await measure('Voicemail, Download Recordings', voicemail, ['recordings']);
		await measure('Voicemail, Include Contact + Download Recordings', voicemail, ['contact', 'recordings']);
		await measure('WhatsApp without media, off (baseline)', whatsapp, []);
		await measure('WhatsApp without media, Complete Missing Media (found at the 1st read)', whatsapp, ['missingMedia']);
		slow = true;
		await measure('Voicemail, all parts, HighLevel not answering (budget 1 s)', voicemail, ['contact', 'recordings'], {
			iterations: 5,
			warmup: 0,
			options: { apiTimeBudgetSeconds: 1 },
		});
		slow = false;
		return { rows, requests: (await api.requests()).length };
	} finally {
		await api.stop();
	}
}

export function enrichmentSection({ rows }) {
	const out = [];
	out.push('## Fill In From HighLevel API: what it adds to HighLevel\'s wait');
	out.push('');
	out.push(
		`Method: the built trigger's \`webhook()\` called in process, one event at a time, ${ITERATIONS} calls after ${WARMUP} warm-up calls per row; its API requests go over loopback (n8n-core's HTTP helper) to the local HighLevel stand-in (Prism 5 serving HighLevel's Contacts and Conversations documents, the same as in the e2e tests). Time from the call to the item being ready for n8n, which then creates the execution and answers HighLevel. The baseline rows are the same events with enrichment off, in the same run. Real HighLevel answers in tens to hundreds of milliseconds from the internet, so add its round trips; the parts run at the same time, so it is the slowest part, not the sum, and never more than the API Time Budget (last row).`,
	);
	out.push('');
	const base = new Map();
	out.push('| event, parts | median ms | p99 ms | adds to the median (ms) | ÷ baseline | what the item got |');
	out.push('|---|---|---|---|---|---|');
	for (const row of rows) {
		const event = row.name.split(',')[0];
		if (row.name.endsWith('(baseline)')) base.set(event, row.medianMs);
		const added = base.has(event) ? (row.medianMs - base.get(event)).toFixed(2) : '';
		const ratio = base.has(event) ? `${(row.medianMs / base.get(event)).toFixed(1)}×` : '';
		const got = row.report === null ? '(no enrichment key)' : `\`${JSON.stringify(row.report)}\`${row.binary.length ? `, binary ${row.binary.join(', ')}` : ''}`;
		out.push(`| ${row.name} | ${row.medianMs.toFixed(2)} | ${row.p99Ms.toFixed(2)} | ${added} | ${ratio} | ${got.replaceAll('|', '\\|')} |`);
	}
	out.push('');
	return out;
}

const SECTION_START = "## Fill In From HighLevel API: what it adds to HighLevel's wait";

/** Puts the section into BENCHMARKS.md in place of the one there (or at its end). */
export function writeEnrichmentSection(lines) {
	const file = path.join(repoRoot, 'BENCHMARKS.md');
	const text = readFileSync(file, 'utf8');
	const start = text.indexOf(SECTION_START);
	const section = `${lines.join('\n').trimEnd()}\n`;
	let next;
	if (start === -1) next = `${text.trimEnd()}\n\n${section}`;
	else {
		const end = text.indexOf('\n## ', start + SECTION_START.length);
		next = `${text.slice(0, start)}${section}${end === -1 ? '' : `\n${text.slice(end + 1)}`}`;
	}
	writeFileSync(file, next);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const lines = enrichmentSection(await measureEnrichment());
	console.log(lines.join('\n'));
	writeEnrichmentSection(lines);
	console.error('wrote the section into BENCHMARKS.md');
}
