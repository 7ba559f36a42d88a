// A local stand-in for HighLevel's API (loopback only) that records every request
// exactly as it arrived, so tests can check it against HighLevel's OpenAPI
// documents. CommonJS for the same reason as io.cjs: n8n's lint forbids http and
// timers in TypeScript, and this never ships.
const http = require('node:http');

/** A short WAV file (RIFF header + silence): what HighLevel serves as a recording. */
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4, 0), Buffer.from('WAVEfmt '), Buffer.alloc(2036, 0)]);

function json(status, body, headers = {}) {
	return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/** Realistic answers for each endpoint, when a test scripts none. */
function defaultAnswer(request) {
	const { method, path } = request;
	if (method === 'POST' && path === '/oauth/token') {
		return json(200, {
			access_token: 'refreshed-access-example',
			token_type: 'Bearer',
			expires_in: 86399,
			refresh_token: 'refreshed-refresh-example',
			scope: 'conversations/message.write',
			userType: 'Location',
			locationId: 'loc-oauth-example',
		});
	}
	if (method === 'POST' && path === '/conversations/messages') {
		const sent = JSON.parse(request.body || '{}');
		return json(201, {
			conversationId: 'conv-stub-1',
			messageId: 'msg-stub-1',
			...(sent.type === 'Email' ? { emailMessageId: 'email-stub-1' } : {}),
			msg: 'Message queued successfully.',
		});
	}
	let match;
	if (method === 'GET' && (match = /^\/conversations\/messages\/([^/]+)\/locations\/([^/]+)\/recording$/.exec(path))) {
		return {
			status: 200,
			headers: { 'content-type': 'audio/x-wav', 'content-disposition': 'attachment; filename=audio.wav' },
			body: WAV,
		};
	}
	if (method === 'GET' && /^\/conversations\/locations\/[^/]+\/messages\/[^/]+\/transcription$/.test(path)) {
		return json(200, [
			{ mediaChannel: 2, sentenceIndex: 1, startTime: 3100, endTime: 5200, transcript: 'Could you call me back tomorrow?', confidence: 0.91 },
			{ mediaChannel: 2, sentenceIndex: 0, startTime: 0, endTime: 3000, transcript: 'Hi, this is Jane.', confidence: 0.95 },
		]);
	}
	if (method === 'PUT' && (match = /^\/conversations\/messages\/([^/]+)\/status$/.exec(path))) {
		return json(200, { conversationId: 'conv-stub-1', messageId: decodeURIComponent(match[1]) });
	}
	if (method === 'GET' && path === '/conversations/search') {
		return json(200, {
			conversations: [
				{ id: 'conv-stub-1', contactId: request.query.contactId || 'contact-1', locationId: request.query.locationId, lastMessageBody: 'Hi', lastMessageType: 'TYPE_SMS', type: 'TYPE_PHONE', unreadCount: 1, fullName: 'Jane Doe', contactName: 'Jane Doe', email: 'jane@example.com', phone: '+15551234567', sort: [1764000000000] },
			],
			total: 1,
		});
	}
	if (method === 'GET' && (match = /^\/conversations\/([^/]+)\/messages$/.exec(path))) {
		return json(200, {
			messages: {
				lastMessageId: 'm-2',
				nextPage: false,
				messages: [
					{ id: 'm-2', type: 2, messageType: 'TYPE_SMS', locationId: 'loc-1', contactId: 'contact-1', conversationId: decodeURIComponent(match[1]), dateAdded: '2026-11-25T10:01:00.000Z', body: 'Can I book for Friday?', direction: 'inbound', status: 'delivered', contentType: 'text/plain' },
					{ id: 'm-1', type: 3, messageType: 'TYPE_EMAIL', locationId: 'loc-1', contactId: 'contact-1', conversationId: decodeURIComponent(match[1]), dateAdded: '2026-11-25T10:00:00.000Z', body: '<p>Hello&nbsp;Jane,</p><p>Thanks for <b>writing</b>.</p>', direction: 'outbound', status: 'delivered', contentType: 'text/html' },
				],
			},
		});
	}
	if (method === 'GET' && (match = /^\/conversations\/messages\/([^/]+)$/.exec(path))) {
		// The live API wraps the message; HighLevel's document shows it bare.
		return json(200, {
			message: { id: decodeURIComponent(match[1]), type: 2, messageType: 'TYPE_SMS', locationId: 'loc-1', contactId: 'contact-1', conversationId: 'conv-1', dateAdded: '2026-11-25T10:00:00.000Z', body: 'Photo attached', direction: 'inbound', status: 'delivered', contentType: 'text/plain', attachments: ['https://example.com/photo.jpg'] },
		});
	}
	if (method === 'GET' && (match = /^\/conversations\/([^/]+)$/.exec(path))) {
		return json(200, { id: decodeURIComponent(match[1]), contactId: 'contact-1', locationId: 'loc-1', deleted: false, inbox: true, type: 1, unreadCount: 0 });
	}
	if (method === 'GET' && (match = /^\/contacts\/([^/]+)$/.exec(path))) {
		return json(200, { contact: { id: decodeURIComponent(match[1]), firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com', phone: '+15551234567', tags: ['lead'] } });
	}
	return json(404, { statusCode: 404, message: `stub: no route for ${method} ${path}` });
}

function write(res, answer) {
	res.writeHead(answer.status, answer.headers || {});
	res.end(answer.body === undefined ? '' : typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body));
}

function startApiStub() {
	const requests = [];
	const scripted = [];
	/** [pattern, answers] pairs: answers for requests whose path matches, in order. */
	const routed = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url, 'http://stub.local');
			const record = {
				method: req.method,
				url: req.url,
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				at: Date.now(),
			};
			requests.push(record);
			const route = routed.find(([pattern, answers]) => pattern.test(record.path) && answers.length > 0);
			const answer = (route && route[1].shift()) || (record.path !== '/oauth/token' && scripted.shift()) || defaultAnswer(record);
			if (answer.hang) return; // never answer: the client must time out
			if (answer.delayMs) {
				// A slow HighLevel: the answer comes, late.
				const { delayMs, ...rest } = answer;
				setTimeout(() => {
					if (!res.destroyed) write(res, rest);
				}, delayMs);
				return;
			}
			if (answer.drop) {
				req.socket.destroy(); // the request arrived; the answer is lost
				return;
			}
			write(res, answer);
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const base = `http://127.0.0.1:${server.address().port}`;
			resolve({
				base,
				requests,
				/** Answers for the next API requests, in order (token requests excepted). */
				respond(...answers) {
					scripted.push(...answers);
				},
				/** Answers for the next requests whose path matches `pattern` (for requests made at the same time). */
				respondTo(pattern, ...answers) {
					routed.push([pattern, answers]);
				},
				reset() {
					requests.length = 0;
					scripted.length = 0;
					routed.length = 0;
				},
				close: () =>
					new Promise((done) => {
						server.closeAllConnections();
						server.close(done);
					}),
			});
		});
	});
}

/** A port nothing listens on, for "HighLevel unreachable". */
function closedPortUrl() {
	return new Promise((resolve) => {
		const probe = http.createServer();
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(`http://127.0.0.1:${port}`));
		});
	});
}

/** An answer with a JSON body, as HighLevel's API gives one. */
function jsonAnswer(status, body, headers = {}) {
	return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

module.exports = { startApiStub, closedPortUrl, jsonAnswer, WAV };
