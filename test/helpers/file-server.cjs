// A local file host for the attachment download tests (loopback only).
// CommonJS for the same reason as io.cjs: n8n's lint forbids http and timers in
// TypeScript, and this never ships.
const http = require('node:http');
const zlib = require('node:zlib');

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1016, 7)]);

function startFileServer() {
	const hits = [];
	const load = { inFlight: 0, maxInFlight: 0 };
	const server = http.createServer((request, response) => {
		hits.push({ url: request.url, at: Date.now(), host: request.headers.host, acceptEncoding: request.headers['accept-encoding'] });
		load.inFlight += 1;
		load.maxInFlight = Math.max(load.maxInFlight, load.inFlight);
		let counted = true;
		const done = () => {
			if (counted) load.inFlight -= 1;
			counted = false;
		};
		response.on('close', done);
		const url = new URL(request.url, 'http://localhost');
		switch (url.pathname) {
			case '/redirect': {
				// Location exactly as given: absolute, relative, or another host.
				const status = Number(url.searchParams.get('status') ?? 302);
				response.writeHead(status, { location: url.searchParams.get('to') ?? '/photo.png', 'content-type': 'text/plain' });
				response.end('moved');
				return;
			}
			case '/chain': {
				const left = Number(url.searchParams.get('n') ?? 0);
				response.writeHead(302, { location: left > 0 ? `/chain?n=${left - 1}` : '/photo.png' });
				response.end();
				return;
			}
			case '/loop':
				response.writeHead(301, { location: '/loop' });
				response.end();
				return;
			case '/gzip':
				// Compressed whatever the client asked for.
				response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' });
				response.end(zlib.gzipSync(Buffer.alloc(4096, 3)));
				return;
			case '/sized': {
				// A file of ?bytes= after ?ms= milliseconds, to see limits and parallelism.
				const size = Number(url.searchParams.get('bytes') ?? 1024);
				const timer = setTimeout(() => {
					response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
					response.end(Buffer.alloc(size, 5));
				}, Number(url.searchParams.get('ms') ?? 0));
				request.on('close', () => clearTimeout(timer));
				return;
			}
			case '/photo.png':
				response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
				response.end(PNG);
				return;
			case '/recording':
				response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-disposition': 'attachment; filename="call-123.mp3"' });
				response.end(Buffer.alloc(2048, 1));
				return;
			case '/missing':
				response.writeHead(404, { 'content-type': 'text/plain' });
				response.end('not found');
				return;
			case '/slow': {
				const timer = setTimeout(() => {
					response.writeHead(200, { 'content-type': 'image/png' });
					response.end(PNG);
				}, Number(url.searchParams.get('ms') ?? 3000));
				request.on('close', () => clearTimeout(timer));
				return;
			}
			case '/big': {
				// Declares its size honestly.
				const size = Number(url.searchParams.get('bytes') ?? 3 * 1024 * 1024);
				response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
				response.end(Buffer.alloc(size));
				return;
			}
			case '/big-chunked': {
				// No content-length: only counting the stream can stop it.
				response.writeHead(200, { 'content-type': 'application/octet-stream' });
				let sent = 0;
				const chunk = Buffer.alloc(64 * 1024);
				const write = () => {
					while (sent < 8 * 1024 * 1024) {
						sent += chunk.length;
						if (!response.write(chunk)) return response.once('drain', write);
					}
					response.end();
				};
				response.on('error', () => undefined);
				write();
				return;
			}
			case '/trickle': {
				// The answer starts at once, then a byte every ?every= ms, for ever.
				response.writeHead(200, { 'content-type': 'application/octet-stream' });
				const timer = setInterval(() => response.write(Buffer.alloc(1, 9)), Number(url.searchParams.get('every') ?? 100));
				response.on('close', () => clearInterval(timer));
				response.on('error', () => undefined);
				return;
			}
			case '/page':
				response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				response.end('<html><body>Please log in</body></html>');
				return;
			default:
				response.writeHead(404);
				response.end();
		}
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const base = `http://127.0.0.1:${server.address().port}`;
			resolve({ base, port: server.address().port, hits, load, close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }) });
		});
	});
}

module.exports = { startFileServer, PNG };
