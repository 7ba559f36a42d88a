// A local stand-in for HighLevel's API on loopback, for the end-to-end tests and
// the demo: HighLevel's own pinned OpenAPI documents (shared/highlevel/openapi)
// served by Stoplight Prism in mock mode with `--errors`, so every request is
// validated against the document (bearer token, `Version` header, path, query,
// JSON body) and an invalid one is refused (401, or the document's own 400 / 422)
// instead of being answered leniently. A small recording proxy in front of Prism keeps every request as it
// arrived and Prism's verdict on it, so a test can assert "exactly one reply, of
// this type, to this contact, with this text, token and Version".
//
// Prism serves one document per process: one Prism for Conversations and one for
// Contacts, started side by side; the proxy routes /contacts/... to the second.
//
// Prism is installed once into the same cache as n8n and verdaccio (outside the
// repo: it is a test service, not a dependency of the package). 5.14.2 is the last
// release whose engines allow Node 20 (5.15.10 and later want Node >= 24.14), but
// it asks for `@stoplight/prism-core` ^5.8.0 and `prism-http-server` ^5.12.0,
// which now resolve to 5.16.0 (Node >= 24.18); the overrides hold them at the
// versions 5.14.2 was released with.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freePort, repoRoot, sleep } from './n8n.mjs';
import { cleanNpmEnv } from './registry.mjs';

const run = promisify(execFile);
const log = (...args) => console.error('[highlevel-api]', ...args);

export const PRISM_VERSION = '5.14.2';
const PRISM_OVERRIDES = {
	'@stoplight/prism-core': '5.8.0',
	'@stoplight/prism-http': '5.12.0',
	'@stoplight/prism-http-server': '5.12.2',
};

export const openapiDir = process.env.HIGHLEVEL_SHARED_DIR
	? path.join(process.env.HIGHLEVEL_SHARED_DIR, 'highlevel', 'openapi')
	: path.resolve(repoRoot, '..', 'shared', 'highlevel', 'openapi');

const DOCUMENT_FILES = ['apps/conversations.json', 'apps/contacts.json', 'common/common-schemas.json'];

function cacheDir() {
	return process.env.HL_N8N_CACHE ?? path.join(homedir(), '.cache', 'n8n-nodes-highlevel-messages');
}

/** Prism's CLI script, installed on first use (about 10 seconds here). */
export async function ensurePrism() {
	const dir = path.join(cacheDir(), `prism-${PRISM_VERSION}`);
	const bin = path.join(dir, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
	if (existsSync(path.join(dir, '.complete')) && existsSync(bin)) return bin;
	log(`installing @stoplight/prism-cli@${PRISM_VERSION} into ${dir} (first time only, seconds to a minute)`);
	await mkdir(cacheDir(), { recursive: true });
	// Installed beside the final folder and renamed into place, so that two test
	// processes installing at once never see (or break) a half-made install.
	const staging = await mkdtemp(`${dir}.installing-`);
	try {
		await writeFile(
			path.join(staging, 'package.json'),
			JSON.stringify({ name: 'prism-runtime', private: true, overrides: PRISM_OVERRIDES }),
		);
		// Scripts off: Prism needs none, and npm's own config from a script run by
		// npm (npm_config_*) is stripped so this install behaves the same everywhere.
		await run(
			'npm',
			['install', `@stoplight/prism-cli@${PRISM_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
			{ cwd: staging, env: cleanNpmEnv(), timeout: 15 * 60_000, maxBuffer: 1 << 24 },
		);
		await writeFile(path.join(staging, '.complete'), '');
		if (existsSync(path.join(dir, '.complete')) && existsSync(bin)) {
			// Another process finished first and may be running Prism from it: keep that one.
			await rm(staging, { recursive: true, force: true });
			return bin;
		}
		await rm(dir, { recursive: true, force: true });
		await rename(staging, dir);
	} catch (error) {
		await rm(staging, { recursive: true, force: true });
		// Another process finished the same install first: use that one.
		if (existsSync(path.join(dir, '.complete')) && existsSync(bin)) return bin;
		throw error;
	}
	return bin;
}

/** `type` values of GET /conversations/{conversationId}/messages, as the document lists them. */
function commaSeparatedEnumPattern(values) {
	const one = `(${values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
	return `^${one}(,${one})*$`;
}

/**
 * The documents with their known defects fixed, and nothing else changed
 * (shared/highlevel/openapi/README.md lists 1, 4 and 5; the unit tests' request
 * validator, test/helpers/openapi.ts, handles 1 to 3; 2, 6 and 7 were found
 * running Prism on the documents):
 *
 * 1. GET /conversations/messages/{id} and GET /conversations/messages/email/{id}
 *    do not declare their `id` path parameter: declared here as the required
 *    string it is (Prism routes such a path anyway, but validates nothing in it).
 * 2. GET /conversations/search: `startAfterDate` has `type: "any"`, which is no
 *    JSON Schema type (its real type, a number or a list of numbers, is given as
 *    a stray `anyOf` beside the schema). Prism then silently validates none of
 *    the search's query parameters (a search without the required `locationId`
 *    was answered 200); the schema becomes `{}` (any value).
 * 3. GET /conversations/{conversationId}/messages: `type` is described (and
 *    exemplified) as a comma-separated list of message types but typed as an enum
 *    of one name; it becomes a string matching a comma-separated list of exactly
 *    those names, so a misspelt type is still refused.
 * 4. The live GET /conversations/messages/{id} answer is wrapped as
 *    `{"message": {...}}` (issue #258 of GoHighLevel/highlevel-api-docs); the
 *    document shows the bare object. The stand-in answers the way HighLevel does.
 * 5. `meta.callDuration` is typed string; HighLevel sends a number (and the
 *    document's own example is the number 120).
 * 6. Examples that contradict their own schema, such as the transcription's
 *    numbers given as strings ("1", "0.5"): Prism builds its answers from the
 *    examples and, with `--errors`, answers 500 to a valid request when its own
 *    answer breaks the schema. Such an example becomes the number it spells.
 *    (Item 5 is the same failure: Prism answered 500 to Message > Get and to
 *    Conversation > Get Messages.)
 * 7. The recording's answer declares `Content-Type` and `Content-Disposition` as
 *    response headers with their values only in prose ("audio/x-wav",
 *    "Attachment; filename=audio.wav"), no schema or example, so Prism sent the
 *    text "null" in both. OpenAPI ignores a `Content-Type` response header (the
 *    media type belongs under `content`, and Prism cannot produce audio), so it
 *    is dropped; the file name becomes the other header's example. The body
 *    stays empty, as in the document: a test that needs audio uses `answer`.
 *
 * Left alone: POST /conversations/messages has no `GMB` type in this document,
 * and the live API has no Google Business send on that endpoint either, so the
 * stand-in refuses it as HighLevel would.
 * Prism does not refuse a body property the document does not name (the schemas
 * leave `additionalProperties` open): assert the recorded body for that.
 */
export function patchDocuments(docs) {
	const patched = structuredClone(docs);
	const conversations = patched['apps/conversations.json'];
	const paths = conversations.paths;

	for (const route of ['/conversations/messages/{id}', '/conversations/messages/email/{id}']) {
		const operation = paths[route].get;
		operation.parameters ??= [];
		if (!operation.parameters.some((parameter) => parameter.in === 'path' && parameter.name === 'id')) {
			operation.parameters.push({ name: 'id', in: 'path', required: true, description: 'Message ID', schema: { type: 'string' } });
		}
	}

	for (const parameter of paths['/conversations/search'].get.parameters) {
		if (parameter.name === 'startAfterDate' && parameter.schema?.type === 'any') {
			delete parameter.anyOf;
			parameter.schema = {};
		}
	}

	for (const parameter of paths['/conversations/{conversationId}/messages'].get.parameters) {
		if (parameter.in === 'query' && parameter.name === 'type' && Array.isArray(parameter.schema?.enum)) {
			const { enum: names, example } = parameter.schema;
			parameter.schema = { type: 'string', pattern: commaSeparatedEnumPattern(names), example };
		}
	}

	const getMessage = paths['/conversations/messages/{id}'].get.responses['200'].content['application/json'];
	if (getMessage.schema.$ref) {
		getMessage.schema = { type: 'object', properties: { message: { $ref: getMessage.schema.$ref } }, required: ['message'] };
	}

	const recording = paths['/conversations/messages/{messageId}/locations/{locationId}/recording'].get.responses['200'];
	for (const [name, header] of Object.entries(recording.headers ?? {})) {
		if (header.schema !== undefined || header.example !== undefined) continue;
		if (name.toLowerCase() === 'content-type') delete recording.headers[name];
		else if (name.toLowerCase() === 'content-disposition') {
			header.schema = { type: 'string' };
			header.example = String(header.description).replace(/^Attachment/, 'attachment');
		}
	}

	const visit = (value) => {
		if (Array.isArray(value)) return value.forEach(visit);
		if (typeof value !== 'object' || value === null) return;
		const callDuration = value.properties?.callDuration;
		if (callDuration?.type === 'string' && callDuration.description === 'Call duration in seconds') callDuration.type = 'number';
		if (
			(value.type === 'number' || value.type === 'integer') &&
			typeof value.example === 'string' &&
			value.example.trim() !== '' &&
			Number.isFinite(Number(value.example))
		) {
			value.example = Number(value.example);
		}
		Object.values(value).forEach(visit);
	};
	for (const doc of Object.values(patched)) visit(doc.components);
	return patched;
}

async function writePatchedDocuments(dir) {
	const docs = {};
	for (const file of DOCUMENT_FILES) docs[file] = JSON.parse(await readFile(path.join(openapiDir, file), 'utf8'));
	const patched = patchDocuments(docs);
	// The same apps/ and common/ layout: the documents $ref ../common/common-schemas.json.
	for (const [file, doc] of Object.entries(patched)) {
		await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
		await writeFile(path.join(dir, file), JSON.stringify(doc, null, 2));
	}
	return { conversations: path.join(dir, 'apps/conversations.json'), contacts: path.join(dir, 'apps/contacts.json') };
}

/** One Prism mock for one document, on a loopback port of its own. */
async function startPrism(bin, document, name) {
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		const output = [];
		const child = spawn(
			process.execPath,
			[bin, 'mock', document, '--host', '127.0.0.1', '--port', String(port), '--errors', '--cors', 'false', '--verboseLevel', 'warn'],
			{ stdio: ['ignore', 'pipe', 'pipe'], env: cleanNpmEnv() },
		);
		const keep = (chunk) => {
			output.push(String(chunk));
			if (output.length > 200) output.splice(0, 100);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const exited = new Promise((resolve) => child.once('exit', resolve));
		const deadline = Date.now() + 60_000;
		let up = false;
		while (!up && child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
			// Any HTTP answer means Prism is listening (an unknown path gets its 404).
			up = await fetch(`http://127.0.0.1:${port}/__ready`).then(
				() => true,
				() => false,
			);
			if (!up) await sleep(100);
		}
		if (up) {
			return {
				port,
				output,
				async stop() {
					if (child.exitCode !== null || child.signalCode !== null) return;
					child.kill('SIGTERM');
					const gone = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
					if (!gone) child.kill('SIGKILL');
				},
			};
		}
		child.kill('SIGKILL');
		// A port picked as free can be taken before Prism binds it; then it exits at once.
		if (attempt >= 3 || child.exitCode === null) {
			throw new Error(`Prism (${name}) did not start on port ${port}:\n${output.join('').slice(-3000)}`);
		}
	}
}

function readBody(stream) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		stream.on('data', (chunk) => chunks.push(chunk));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
	});
}

function parseJson(text) {
	if (text === '') return null;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Query string -> { name: value }, a repeated name as a list. */
function queryObject(searchParams) {
	const query = {};
	for (const name of new Set(searchParams.keys())) {
		const values = searchParams.getAll(name);
		query[name] = values.length === 1 ? values[0] : values;
	}
	return query;
}

/**
 * Prism's findings: its `sl-violations` header (`[{ location: ['request', 'body',
 * 'type'], severity: 'Error', code, message }, ...]`), or, for a route the
 * document does not have, its problem+json.
 */
function violationsOf(prism) {
	const header = prism.headers['sl-violations'];
	if (typeof header === 'string' && header !== '') {
		const list = parseJson(header);
		if (Array.isArray(list)) return list;
		return [{ location: ['request'], severity: 'Error', code: 'too-many', message: header }];
	}
	if (prism.status >= 300) {
		const problem = parseJson(prism.body.toString('utf8'));
		if (typeof problem?.type === 'string' && problem.type.includes('stoplight.io/prism/errors')) {
			const code = problem.type.split('#').pop();
			const location = code === 'VIOLATIONS' ? ['response'] : ['request'];
			const listed = Array.isArray(problem.validation) ? problem.validation : [];
			return listed.length > 0 ? listed : [{ location, severity: 'Error', code, message: problem.detail ?? problem.title }];
		}
	}
	return [];
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length']);

function forward(port, { method, url, headers, body }) {
	return new Promise((resolve, reject) => {
		const outgoing = Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
		if (body.length > 0) outgoing['content-length'] = String(body.length);
		const upstream = httpRequest({ host: '127.0.0.1', port, method, path: url, headers: outgoing }, async (response) => {
			try {
				resolve({ status: response.statusCode, headers: response.headers, body: await readBody(response) });
			} catch (error) {
				reject(error);
			}
		});
		upstream.on('error', reject);
		upstream.end(body);
	});
}

/**
 * A short WAV file (RIFF header + silence): what HighLevel serves as a call
 * recording. Prism has no audio to mock (the document declares no body), so the
 * stand-in serves this for a valid recording request.
 */
export const RECORDING_WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4, 0), Buffer.from('WAVEfmt '), Buffer.alloc(2036, 0)]);
const RECORDING_PATH = /^\/conversations\/messages\/[^/]+\/locations\/[^/]+\/recording$/;

/**
 * What HighLevel does after a message is sent through its API: it delivers an
 * OutboundMessage webhook with `source: "api"` to the app's webhook URL.
 */
function echoOf(sent, answer, echo, count) {
	const now = new Date().toISOString();
	const isEmail = sent.type === 'Email';
	return {
		type: 'OutboundMessage',
		appId: echo.appId,
		versionId: echo.appId,
		locationId: echo.locationId,
		contactId: sent.contactId ?? null,
		conversationId: answer?.conversationId ?? null,
		messageId: `echo${count}${Date.now().toString(36)}`,
		body: isEmail ? (sent.html ?? sent.message ?? '') : (sent.message ?? ''),
		attachments: sent.attachments ?? [],
		contentType: isEmail ? 'text/html' : 'text/plain',
		dateAdded: now,
		direction: 'outbound',
		messageType: sent.type,
		status: 'sent',
		source: 'api',
		timestamp: now,
		webhookId: randomUUID(),
	};
}

/**
 * Starts the stand-in. Returns:
 * - `url`: its base URL (`http://127.0.0.1:<port>`), for a credential's API Base URL;
 * - `requests()`: every request received so far, oldest first, once those in
 *   flight are answered. Each is
 *   `{ method, path, query, headers, authorization, version, contentType, body,
 *   rawBody, document, status, valid, violations, responseViolations,
 *   response: { status, body }, at }`:
 *   `headers` with lower-case names; `authorization` and `version` the values of
 *   those headers (or null); `body` the parsed JSON body (null when empty,
 *   undefined when not JSON); `document` 'conversations' or 'contacts'; `status`
 *   Prism's status; `valid` whether Prism accepted the request (2xx, no request
 *   violation); `violations` what Prism found wrong with the request
 *   (`[{ location: ['request', 'header'], severity: 'Error', code, message }]`,
 *   `[]` when valid); `responseViolations` what it found wrong with its own
 *   answer (a defect of the document: then it answers 500); `response` what
 *   the client got (Prism's answer, or `answer`'s);
 * - `reset()`: forgets the requests received so far;
 * - `stop()`.
 *
 * Options: `port` (default: a free one); `answer(record)`, called for each
 * request Prism accepted, may return `{ status, headers?, body? }` to answer
 * instead of Prism (to play a 429 or a 500 of HighLevel's); `onRequest(record)`,
 * called once per request after it is answered (the demo prints replies with it).
 */
export async function startHighLevelApi({ port, answer, onRequest } = {}) {
	const bin = await ensurePrism();
	const dir = await mkdtemp(path.join(tmpdir(), 'hl-api-'));
	let prisms = [];
	let server;
	try {
		const documents = await writePatchedDocuments(dir);
		const started = await Promise.allSettled([
			startPrism(bin, documents.conversations, 'conversations'),
			startPrism(bin, documents.contacts, 'contacts'),
		]);
		prisms = started.filter((result) => result.status === 'fulfilled').map((result) => result.value);
		const failed = started.find((result) => result.status === 'rejected');
		if (failed) throw failed.reason;
		const [conversations, contacts] = prisms;

		const records = [];
		const inFlight = new Set();
		let echo = null;
		const echoes = [];
		const sendEcho = async (record) => {
			const current = echo;
			if (current === null || echoes.length >= (current.max ?? Infinity)) return;
			const entry = { status: null, answer: null };
			echoes.push(entry);
			const raw = Buffer.from(JSON.stringify(echoOf(record.body ?? {}, record.response?.body, current, echoes.length)));
			try {
				const response = await fetch(current.url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...current.headers(raw) },
					body: raw,
				});
				entry.status = response.status;
				const text = await response.text();
				entry.answer = parseJson(text) ?? text;
			} catch (error) {
				entry.answer = `echo failed: ${error.message}`;
			}
		};

		const handle = async (req, res) => {
			const body = await readBody(req);
			const target = new URL(req.url, 'http://stand-in.invalid');
			const document = /^\/contacts(\/|$)/.test(target.pathname) ? 'contacts' : 'conversations';
			const rawBody = body.toString('utf8');
			const header = (name) => (req.headers[name] === undefined ? null : String(req.headers[name]));
			const record = {
				method: req.method,
				path: target.pathname,
				query: queryObject(target.searchParams),
				headers: { ...req.headers },
				authorization: header('authorization'),
				version: header('version'),
				contentType: header('content-type'),
				body: parseJson(rawBody),
				rawBody,
				document,
				status: null,
				valid: false,
				violations: [],
				responseViolations: [],
				response: null,
				at: new Date().toISOString(),
			};
			// Kept in the order requests arrive; requests() waits until each is complete.
			records.push(record);
			let reply;
			try {
				const prism = await forward(document === 'contacts' ? contacts.port : conversations.port, {
					method: req.method,
					url: req.url,
					headers: req.headers,
					body,
				});
				record.status = prism.status;
				// Prism answers an invalid request with the document's own 400 / 401
				// example, which says nothing about what was wrong; what it found is
				// in its `sl-violations` header (request and response violations).
				const found = violationsOf(prism);
				record.violations = found.filter((violation) => violation.location?.[0] !== 'response');
				record.responseViolations = found.filter((violation) => violation.location?.[0] === 'response');
				record.valid =
					prism.status >= 200 &&
					prism.status < 300 &&
					!record.violations.some((violation) => violation.severity === 'Error');
				reply = { status: prism.status, headers: prism.headers, body: prism.body };
				if (record.valid && RECORDING_PATH.test(record.path) && prism.body.length === 0) {
					reply = {
						status: 200,
						headers: { 'content-type': 'audio/x-wav', 'content-disposition': 'attachment; filename=audio.wav' },
						body: RECORDING_WAV,
					};
				}
				const override = record.valid && answer ? await answer(record) : undefined;
				if (override) {
					const overrideBody =
						override.body === undefined
							? Buffer.alloc(0)
							: Buffer.isBuffer(override.body)
								? override.body
								: Buffer.from(typeof override.body === 'string' ? override.body : JSON.stringify(override.body));
					const headers = { ...(override.headers ?? {}) };
					if (override.body !== undefined && !Buffer.isBuffer(override.body) && typeof override.body !== 'string') {
						headers['content-type'] ??= 'application/json';
					}
					reply = { status: override.status, headers, body: overrideBody };
				}
			} catch (error) {
				record.violations = [{ location: ['stand-in'], severity: 'Error', code: 'STAND_IN_FAILED', message: error.message }];
				reply = { status: 502, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`stand-in failed: ${error.message}`) };
			}
			const text = reply.body.toString('utf8');
			const json = parseJson(text);
			record.response = { status: reply.status, body: json === undefined ? text : json };
			const headers = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
			headers['content-length'] = String(reply.body.length);
			res.writeHead(reply.status, headers);
			res.end(reply.body);
			onRequest?.(record);
			if (record.valid && record.method === 'POST' && record.path === '/conversations/messages' && reply.status < 300) {
				const delivered = sendEcho(record);
				inFlight.add(delivered);
				void delivered.finally(() => inFlight.delete(delivered));
			}
		};

		server = createServer((req, res) => {
			const done = handle(req, res).catch((error) => {
				log(`request failed: ${error.message}`);
				if (!res.headersSent) res.writeHead(500).end();
			});
			inFlight.add(done);
			void done.finally(() => inFlight.delete(done));
		});
		await new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port ?? 0, '127.0.0.1', resolve);
		});
		const url = `http://127.0.0.1:${server.address().port}`;

		return {
			url,
			async requests() {
				await Promise.all([...inFlight]);
				return structuredClone(records);
			},
			reset() {
				records.length = 0;
				echoes.length = 0;
			},
			/**
			 * Act like HighLevel after each accepted send: POST an OutboundMessage
			 * webhook (`source: "api"`) to `url`, with `headers(rawBody)` (a
			 * signature), for the app `appId` and location `locationId`; at most
			 * `max` in all (so a workflow answering its own answers stops). null: off.
			 */
			setEcho(config) {
				echo = config;
				echoes.length = 0;
			},
			/** The echoes delivered so far: `{ status, answer }` as the trigger answered. */
			async echoes() {
				await Promise.all([...inFlight]);
				return structuredClone(echoes);
			},
			/** Prism's recent log lines, for a failing test's message. */
			output() {
				return prisms.map((prism) => prism.output.join('')).join('\n');
			},
			async stop() {
				server.closeAllConnections?.();
				await new Promise((resolve) => server.close(() => resolve()));
				await Promise.all(prisms.map((prism) => prism.stop()));
				await rm(dir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		server?.close();
		await Promise.all(prisms.map((prism) => prism.stop()));
		await rm(dir, { recursive: true, force: true });
		throw error;
	}
}
