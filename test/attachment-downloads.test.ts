/**
 * downloadAll (issue 11, point 4) against a local file host through n8n-core's
 * own httpRequest helper (n8n 1.x's), and against scripted requesters where a
 * real network cannot act out the case (public names, DNS answers, n8n 2.x's
 * resolver): refused hosts, redirects, limits, the time budget, parallelism.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { type FileServer, PNG, startFileServer } from './helpers/file-server.cjs';
import { nextTurn } from './helpers/timers.cjs';
import {
	type AttachmentDownload,
	DOWNLOAD_DEFAULTS,
	downloadAll,
	type DownloadSettings,
	downloadSettingsFrom,
	hostResolverFrom,
	type HttpRequester,
} from '../nodes/HighLevel/trigger/attachments';
import { untilAborted } from '../nodes/HighLevel/trigger/guarded-fetch';

let server: FileServer;
beforeAll(async () => {
	server = await startFileServer();
});
afterAll(async () => {
	await server.close();
});

const n8nRequest: HttpRequester = async (options) => await httpRequest(options);
const keep = async (data: Buffer, fileName: string, mimeType: string) => ({ data, fileName, mimeType });
const LOCAL: DownloadSettings = { maxBytes: 1024 * 1024, timeoutMs: 2000, allowPrivateNetwork: true, budgetMs: 4000 };

async function run(paths: string[], settings: DownloadSettings = LOCAL, request = n8nRequest, resolve?: (host: string) => Promise<string[]>) {
	const urls = paths.map((path) => (path.startsWith('/') ? `${server.base}${path}` : path));
	return await downloadAll(urls, request, keep, settings, resolve);
}

const errors = (downloads: AttachmentDownload[]) => downloads.map((entry) => entry.error);

/** A requester that answers like n8n's helper from a script, and records what it was asked. */
function scripted(answer: (options: IHttpRequestOptions) => { status: number; headers?: Record<string, string>; body?: Buffer; peer?: string }) {
	const calls: IHttpRequestOptions[] = [];
	const request: HttpRequester = async (options) => {
		calls.push(options);
		const { status, headers = {}, body = PNG, peer } = answer(options);
		const stream = Object.assign(
			(async function* () {
				yield body;
			})(),
			{ destroy: () => undefined, socket: peer === undefined ? undefined : { remoteAddress: peer } },
		);
		return { statusCode: status, statusMessage: '', headers: { 'content-type': 'image/png', ...headers }, body: stream };
	};
	return { calls, request };
}

describe('hosts that are not public are refused before anything is sent', () => {
	it.each([
		['http://127.0.0.1:1/x', /refused: 127\.0\.0\.1 is a loopback address \(allowed only with the Allow Private Network Hosts option\)/],
		['http://127.1:1/x', /refused: 127\.0\.0\.1 is a loopback/],
		['http://2130706433:1/x', /refused: 127\.0\.0\.1 is a loopback/],
		['http://0x7f.1:1/x', /loopback/],
		['http://0177.0.0.1:1/x', /loopback/],
		['http://[::1]:1/x', /refused: \[::1\] is a loopback/],
		['http://[::ffff:127.0.0.1]:1/x', /loopback/],
		['http://[::ffff:7f00:1]:1/x', /loopback/],
		['http://localhost:1/x', /refused: localhost is a local network name/],
		['http://LOCALHOST.:1/x', /local network name/],
		['http://169.254.169.254/latest/meta-data/', /link-local/],
		['http://10.0.0.1/x', /private/],
		['http://172.16.5.4/x', /private/],
		['http://192.168.0.10/x', /private/],
		['http://100.64.1.1/x', /carrier-grade NAT/],
		['http://[fd00::1]/x', /unique-local/],
		['http://[fe80::1]/x', /link-local/],
		['http://0.0.0.0:1/x', /unspecified/],
		['http://[::]:1/x', /unspecified/],
		['http://224.0.0.1/x', /multicast/],
		['http://[ff02::1]/x', /multicast/],
		['http://255.255.255.255/x', /broadcast/],
		['http://[64:ff9b::10.0.0.1]/x', /private/],
		['http://[2002:a00:1::]/x', /private/],
	])('%s', async (url, message) => {
		const { calls, request } = scripted(() => ({ status: 200 }));
		const { downloads, binary } = await run([url], { maxBytes: 1024, timeoutMs: 1000 }, request);
		expect(downloads[0]).toMatchObject({ url, binaryProperty: null, bytes: null });
		expect(String(downloads[0].error)).toMatch(message);
		expect(binary).toEqual({});
		expect(calls).toHaveLength(0);
	});

	it('the local file host itself is refused by default: it is never contacted', async () => {
		const before = server.hits.length;
		const { downloads } = await run(['/photo.png'], { maxBytes: 1024 * 1024, timeoutMs: 1000 });
		expect(String(downloads[0].error)).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/);
		expect(server.hits.length).toBe(before);
	});

	it('with Allow Private Network Hosts, loopback and private hosts are fetched', async () => {
		const { downloads, binary } = await run(['/photo.png']);
		expect(downloads[0]).toMatchObject({ binaryProperty: 'attachment_0', fileName: 'photo.png', mimeType: 'image/png', bytes: PNG.length, error: null });
		expect((binary.attachment_0 as { data: Buffer }).data.equals(PNG)).toBe(true);
	});

	it.each(['http://169.254.169.254/latest', 'http://[fe80::1]/', 'http://0.0.0.0:1/', 'http://224.0.0.1/', 'http://[::ffff:169.254.169.254]/'])(
		'even with Allow Private Network Hosts, %s is refused',
		async (url) => {
			const { calls, request } = scripted(() => ({ status: 200 }));
			const { downloads } = await run([url], LOCAL, request);
			expect(String(downloads[0].error)).toMatch(/^refused: .* is an? (link-local|unspecified|multicast) address$/);
			expect(calls).toHaveLength(0);
		},
	);
});

describe('redirects: followed by hand, each hop checked again', () => {
	it('follows a chain of up to 5 redirects, relative Locations included', async () => {
		const { downloads } = await run(['/chain?n=4']);
		expect(downloads[0]).toMatchObject({ fileName: 'photo.png', bytes: PNG.length, error: null });
	});

	it('refuses a sixth redirect, and a redirect loop', async () => {
		expect(errors((await run(['/chain?n=5', '/loop'])).downloads)).toEqual(['more than 5 redirects', 'more than 5 redirects']);
	});

	it.each([
		['http://127.1:9/x', /refused: 127\.0\.0\.1 is a loopback/],
		['http://[::1]:9/x', /loopback/],
		['http://169.254.169.254/latest/meta-data/', /link-local/],
		['ftp://example.com/file', /not an http\(s\) URL \(ftp:\)/],
		['http://[::1/x', /not a URL/],
	])('a public host redirecting to %s: refused, the target never contacted', async (location, message) => {
		const { calls, request } = scripted((options) =>
			options.url.startsWith('https://93.184.216.34/') ? { status: 302, headers: { location } } : { status: 200 },
		);
		const resolve = async () => ['93.184.216.34'];
		const { downloads } = await run(['https://files.example.com/a.png'], { maxBytes: 1024, timeoutMs: 1000 }, request, resolve);
		expect(String(downloads[0].error)).toMatch(message);
		expect(calls.map((call) => call.url)).toEqual(['https://93.184.216.34/a.png']);
	});

	it('with private hosts allowed, a redirect to the metadata address is still refused, and never contacted', async () => {
		const before = server.hits.length;
		const { downloads } = await run(['/redirect?to=http://169.254.169.254/latest/meta-data/']);
		expect(downloads[0].error).toBe('refused: 169.254.169.254 is a link-local address');
		expect(server.hits.slice(before).map((hit) => hit.url)).toEqual(['/redirect?to=http://169.254.169.254/latest/meta-data/']);
	});

	it('the file name comes from the last hop', async () => {
		const { downloads } = await run(['/redirect?to=/recording&status=307']);
		expect(downloads[0]).toMatchObject({ fileName: 'call-123.mp3', mimeType: 'audio/mpeg', error: null });
	});
});

describe('names are resolved once, every address checked, and the request goes to the checked address (n8n 2.x)', () => {
	it('pins the URL to the resolved IP, with the name in Host and TLS SNI', async () => {
		const { calls, request } = scripted(() => ({ status: 200 }));
		const asked: string[] = [];
		const resolve = async (host: string) => {
			asked.push(host);
			return ['93.184.216.34', '2606:2800:220:1::1'];
		};
		const { downloads } = await run(['https://files.example.com:8443/a/b.png?x=1'], { maxBytes: 1024 * 1024, timeoutMs: 1000 }, request, resolve);
		expect(downloads[0]).toMatchObject({ fileName: 'b.png', error: null });
		expect(asked).toEqual(['files.example.com']);
		expect(calls[0]).toMatchObject({
			url: 'https://93.184.216.34:8443/a/b.png?x=1',
			headers: { host: 'files.example.com:8443', 'accept-encoding': 'identity' },
			agentOptions: { servername: 'files.example.com' },
			disableFollowRedirect: true,
		});
	});

	it('an IPv6 answer is put in brackets; plain http has no SNI', async () => {
		const { calls, request } = scripted(() => ({ status: 200 }));
		await run(['http://files.example.com/a.png'], { maxBytes: 1024 * 1024, timeoutMs: 1000 }, request, async () => ['2606:2800:220:1::1']);
		expect(calls[0].url).toBe('http://[2606:2800:220:1::1]/a.png');
		expect((calls[0] as { agentOptions?: unknown }).agentOptions).toBeUndefined();
	});

	it.each([
		[['10.0.0.7'], /^refused: rebind\.example\.com resolves to 10\.0\.0\.7, a private address \(allowed only with the Allow Private Network Hosts option\)$/],
		[['93.184.216.34', '127.0.0.1'], /resolves to 127\.0\.0\.1, a loopback address/],
		[['::ffff:169.254.169.254'], /link-local/],
		[[], /could not resolve rebind\.example\.com/],
	])('a name resolving to %p is refused when any address is not public', async (addresses, message) => {
		const { calls, request } = scripted(() => ({ status: 200 }));
		const { downloads } = await run(['https://rebind.example.com/x'], { maxBytes: 1024, timeoutMs: 1000 }, request, async () => addresses);
		expect(String(downloads[0].error)).toMatch(message);
		expect(calls).toHaveLength(0);
	});

	it('a redirect to another name is resolved and checked again', async () => {
		const { calls, request } = scripted((options) =>
			options.url.includes('93.184.216.34') ? { status: 302, headers: { location: 'https://second.example.com/y' } } : { status: 200 },
		);
		const resolve = async (host: string) => (host === 'files.example.com' ? ['93.184.216.34'] : ['192.168.1.20']);
		const { downloads } = await run(['https://files.example.com/x'], { maxBytes: 1024, timeoutMs: 1000 }, request, resolve);
		expect(downloads[0].error).toMatch(/second\.example\.com resolves to 192\.168\.1\.20, a private address/);
		expect(calls).toHaveLength(1);
	});

	it('a lookup error is a per-file error', async () => {
		const { request } = scripted(() => ({ status: 200 }));
		const failing = async () => {
			throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example.com'), { code: 'ENOTFOUND' });
		};
		const { downloads } = await run(['https://nowhere.example.com/x'], { maxBytes: 1024, timeoutMs: 1000 }, request, failing);
		expect(downloads[0].error).toBe('could not resolve nowhere.example.com: getaddrinfo ENOTFOUND nowhere.example.com');
	});

	it("hostResolverFrom uses n8n's egress lookup when n8n offers it, with all addresses", async () => {
		expect(hostResolverFrom({})).toBeUndefined();
		expect(hostResolverFrom(undefined)).toBeUndefined();
		const seen: unknown[] = [];
		const helpers = {
			getSecureEgressFilter: () => ({
				createSecureLookup: () => (hostname: string, options: unknown, callback: (error: Error | null, addresses: Array<{ address: string; family: number }>) => void) => {
					seen.push([hostname, options]);
					callback(null, [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1::1', family: 6 }]);
				},
			}),
		};
		const resolve = hostResolverFrom(helpers);
		expect(await resolve?.('files.example.com')).toEqual(['93.184.216.34', '2606:2800:220:1::1']);
		expect(seen).toEqual([['files.example.com', { all: true }]]);
		const blocked = hostResolverFrom({
			getSecureEgressFilter: () => ({
				createSecureLookup: () => (_host: string, _options: unknown, callback: (error: Error | null, addresses: never[]) => void) =>
					callback(new Error('IP address 10.0.0.1 is blocked'), []),
			}),
		});
		await expect(blocked?.('x.example.com')).rejects.toThrow('blocked');
	});
});

describe('without a resolver (n8n 1.x), the address actually connected to is checked before the answer is read', () => {
	/** n8n-core's real helper, but "DNS" answers 127.0.0.1 for files.example.com: what a rebinding name does. */
	const resolvesToLoopback: HttpRequester = async (options) =>
		await httpRequest({ ...options, url: options.url.replace('files.example.com', '127.0.0.1') });

	it('a public-looking name that connects to loopback is refused; nothing of the answer is kept', async () => {
		const { downloads, binary } = await run([`http://files.example.com:${server.port}/photo.png`], { maxBytes: 1024 * 1024, timeoutMs: 2000 }, resolvesToLoopback);
		expect(downloads[0].error).toBe('refused: files.example.com connected to 127.0.0.1, a loopback address (allowed only with the Allow Private Network Hosts option)');
		expect(binary).toEqual({});
	});

	it('asks for an uncompressed answer, so that the socket is visible', async () => {
		const before = server.hits.length;
		await run(['/photo.png']);
		expect(server.hits[before].acceptEncoding).toBe('identity');
	});

	it('an answer whose socket cannot be seen (compressed anyway) is refused rather than trusted', async () => {
		const { downloads } = await run([`http://files.example.com:${server.port}/gzip`], { maxBytes: 1024 * 1024, timeoutMs: 2000 }, resolvesToLoopback);
		expect(downloads[0].error).toBe('refused: the address files.example.com answered from could not be checked');
	});

	it('with private hosts allowed, an answer whose socket cannot be seen is kept: every kind it could be is allowed but link-local, which a file host does not compress', async () => {
		const hidden = scripted(() => ({ status: 200 }));
		expect((await run(['https://files.example.com/a.png'], LOCAL, hidden.request)).downloads[0]).toMatchObject({ bytes: PNG.length, error: null });
	});

	it('an answer with no body at all is refused as unchecked, not a crash', async () => {
		const bodiless: HttpRequester = async () => ({ statusCode: 200, statusMessage: 'OK', headers: { 'content-type': 'image/png' }, body: undefined });
		expect((await run(['https://files.example.com/a.png'], { maxBytes: 4096, timeoutMs: 1000 }, bodiless)).downloads[0].error).toBe(
			'refused: the address files.example.com answered from could not be checked',
		);
	});

	it('a URL whose host is a public IP literal was checked before sending: its socket need not be seen', async () => {
		const hidden = scripted(() => ({ status: 200 }));
		expect((await run(['https://93.184.216.34/a.png'], { maxBytes: 4096, timeoutMs: 1000 }, hidden.request)).downloads[0]).toMatchObject({ bytes: PNG.length, error: null });
		expect(hidden.calls[0]).toMatchObject({ url: 'https://93.184.216.34/a.png', method: 'GET' });
	});

	it('a public peer is accepted; with private hosts allowed, a link-local peer is still refused', async () => {
		const publicPeer = scripted(() => ({ status: 200, peer: '93.184.216.34' }));
		expect((await run(['https://files.example.com/a.png'], { maxBytes: 4096, timeoutMs: 1000 }, publicPeer.request)).downloads[0].error).toBeNull();
		const metadataPeer = scripted(() => ({ status: 200, peer: '::ffff:169.254.169.254' }));
		const { downloads } = await run(['https://files.example.com/a.png'], LOCAL, metadataPeer.request);
		expect(downloads[0].error).toBe('refused: files.example.com connected to ::ffff:169.254.169.254, a link-local address');
	});
});

describe('limits per message', () => {
	it('downloads at most maxFiles files; the rest are recorded as not downloaded', async () => {
		const paths = Array.from({ length: 12 }, () => '/photo.png');
		const { downloads, binary } = await run(paths, { ...LOCAL, maxFiles: 10 });
		expect(downloads).toHaveLength(12);
		expect(errors(downloads).slice(0, 10)).toEqual(new Array(10).fill(null));
		expect(errors(downloads).slice(10)).toEqual(new Array(2).fill('not downloaded: only the first 10 attachments of a message are downloaded'));
		expect(Object.keys(binary)).toHaveLength(10);
	});

	it('keeps the total bytes of one message under maxTotalBytes, even when each file is under its own limit', async () => {
		const paths = ['/sized?bytes=400000', '/sized?bytes=400000', '/sized?bytes=400000', '/sized?bytes=400000'];
		const { downloads } = await run(paths, { ...LOCAL, maxBytes: 500_000, maxTotalBytes: 1_000_000 });
		const kept = downloads.filter((entry) => entry.error === null);
		expect(kept).toHaveLength(2);
		expect(kept.reduce((sum, entry) => sum + (entry.bytes as number), 0)).toBeLessThanOrEqual(1_000_000);
		for (const entry of downloads.filter((one) => one.error !== null)) {
			expect(entry.error).toMatch(/total limit/);
		}
	});

	it('a file refused part-way through its body gives its bytes back to the message total', async () => {
		const PUBLIC = async () => ['93.184.216.34'];
		// The first file has no Content-Length and runs over its own limit while it streams.
		const { request } = scripted((options) => ({ status: 200, body: Buffer.alloc(String(options.url).endsWith('/big') ? 1500 : 900, 1) }));
		const urls = ['https://files.example.com/big', 'https://files.example.com/small'];
		const { downloads } = await downloadAll(urls, request, keep, { maxBytes: 1000, maxTotalBytes: 1000, timeoutMs: 1000, concurrency: 1 }, PUBLIC);
		expect(errors(downloads)).toEqual(['more than the 0 MB limit', null]);
		expect(downloads[1].bytes).toBe(900);
	});

	it('a file that times out while its body streams says so, and gives its bytes back to the message total', async () => {
		const PUBLIC = async () => ['93.184.216.34'];
		// Like Node's streams: the body fails with an AbortError when the request's signal fires.
		const stalling: HttpRequester = async (options) => {
			const stalls = String(options.url).endsWith('/stalls');
			const signal = options.abortSignal as AbortSignal;
			return {
				statusCode: 200,
				headers: { 'content-type': 'image/png' },
				body: Object.assign(
					(async function* () {
						yield Buffer.alloc(600, 1);
						if (!stalls) return;
						await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
						throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
					})(),
					{ destroy: () => undefined },
				),
			};
		};
		const urls = ['https://files.example.com/stalls', 'https://files.example.com/next'];
		const { downloads } = await downloadAll(urls, stalling, keep, { maxBytes: 1000, maxTotalBytes: 1000, timeoutMs: 300, budgetMs: 3000, concurrency: 1 }, PUBLIC);
		expect(errors(downloads)).toEqual(['timed out after 0.3 s', null]);
		expect(downloads[1].bytes).toBe(600);
	});

	it('an HTTP helper that answers with nothing usable is a per-file error; the other files still download', async () => {
		const PUBLIC = async () => ['93.184.216.34'];
		const { request } = scripted(() => ({ status: 200 }));
		const faulty: HttpRequester = async (options) => (String(options.url).endsWith('/broken') ? null : await request(options));
		const urls = ['https://files.example.com/broken', 'https://files.example.com/photo.png'];
		const { downloads, binary } = await downloadAll(urls, faulty, keep, { maxBytes: 10_000, timeoutMs: 1000, concurrency: 1 }, PUBLIC);
		expect(downloads[0]).toMatchObject({ binaryProperty: null, bytes: null });
		expect(String(downloads[0].error)).toMatch(/^download failed: /);
		expect(downloads[1]).toMatchObject({ binaryProperty: 'attachment_1', error: null });
		expect(Object.keys(binary)).toEqual(['attachment_1']);
	});

	it('downloads at most 3 files at a time', async () => {
		server.load.maxInFlight = 0;
		const paths = Array.from({ length: 8 }, () => '/sized?bytes=1000&ms=150');
		const { downloads } = await run(paths);
		expect(errors(downloads)).toEqual(new Array(8).fill(null));
		expect(server.load.maxInFlight).toBe(DOWNLOAD_DEFAULTS.concurrency);
	});
});

describe('one time budget per message', () => {
	it('files in flight or not started when it runs out are recorded as not downloaded; finished ones are kept', async () => {
		const paths = ['/photo.png', '/slow?ms=3000', '/slow?ms=3000', '/slow?ms=3000', '/slow?ms=3000'];
		const { downloads, binary } = await run(paths, { ...LOCAL, timeoutMs: 10_000, budgetMs: 600 });
		expect(downloads[0].error).toBeNull();
		const spent = "not downloaded: the 0.6 s time budget for this message's attachments ran out";
		expect(errors(downloads).slice(1)).toEqual([spent, spent, spent, spent]);
		expect(Object.keys(binary)).toEqual(['attachment_0']);
	});

	it('returns when the budget runs out even if the HTTP helper never answers', async () => {
		const never: HttpRequester = async () => await new Promise(() => undefined);
		const { downloads } = await run(['https://a.example.com/x', 'https://b.example.com/y'], { maxBytes: 1024, timeoutMs: 60_000, budgetMs: 200 }, never, async () => ['93.184.216.34']);
		expect(errors(downloads)).toEqual(new Array(2).fill("not downloaded: the 0.2 s time budget for this message's attachments ran out"));
	});

	it('a single slow file times out on its own timeout, and the others still download', async () => {
		const { downloads } = await run(['/slow?ms=3000', '/photo.png'], { ...LOCAL, timeoutMs: 300 });
		expect(errors(downloads)).toEqual(['timed out after 0.3 s', null]);
	});

	it('timeouts far above the ~49-day timer limit are clamped instead of throwing', async () => {
		const huge = { maxBytes: 1024 * 1024, timeoutMs: 5e12, budgetMs: 5e12, maxFiles: 1e9, maxTotalBytes: 1e15, allowPrivateNetwork: true };
		const { downloads } = await run(['/photo.png'], huge);
		expect(downloads[0].error).toBeNull();
		const fractional = await run(['/photo.png'], { ...LOCAL, timeoutMs: 1500.5, budgetMs: 2000.25 });
		expect(fractional.downloads[0].error).toBeNull();
	});
});

describe('the files themselves', () => {
	it.each([
		['404', '/missing', /^HTTP 404/],
		['declared too big', '/big?bytes=3145728', /3 MB is over the 1 MB limit/],
		['streamed too big, no length', '/big-chunked', /more than the 1 MB limit/],
		['a web page', '/page', /web page \(text\/html\)/],
		['not a URL', 'call recording url', /^not a URL$/],
	])('%s: a per-file error, the next file still downloads', async (_name, path, message) => {
		const { downloads } = await run([path, '/photo.png']);
		expect(String(downloads[0].error)).toMatch(message);
		expect(downloads[1].error).toBeNull();
	});

	it('a file that cannot be stored is a per-file error', async () => {
		const { downloads } = await downloadAll([`${server.base}/photo.png`], n8nRequest, async () => {
			throw new Error('disk full');
		}, LOCAL);
		expect(downloads[0].error).toBe('could not store the file: disk full');
	});
});

describe('downloadSettingsFrom (the node options)', () => {
	it('is undefined when Download Attachments is off', () => {
		expect(downloadSettingsFrom({})).toBeUndefined();
		expect(downloadSettingsFrom({ downloadAttachments: false })).toBeUndefined();
	});
	it('has safe defaults: 25 MB and 30 s per file, 10 files, 50 MB and 5 s per message, 3 at a time, no private hosts', () => {
		expect(downloadSettingsFrom({ downloadAttachments: true })).toEqual({
			maxBytes: 25 * 1024 * 1024,
			timeoutMs: 30_000,
			maxFiles: 10,
			maxTotalBytes: 50 * 1024 * 1024,
			budgetMs: 5000,
			concurrency: 3,
			allowPrivateNetwork: false,
			maxRedirects: 5,
		});
	});
	it('reads every option and clamps what would overflow or make no sense', () => {
		expect(
			downloadSettingsFrom({
				downloadAttachments: true,
				attachmentMaxSizeMb: 2,
				attachmentTimeoutSeconds: 1e10,
				attachmentMaxFiles: 2.7,
				attachmentMaxTotalMb: -5,
				attachmentTimeBudgetSeconds: 'soon',
				attachmentAllowPrivateNetwork: true,
			}),
		).toEqual({
			maxBytes: 2 * 1024 * 1024,
			timeoutMs: 300_000,
			maxFiles: 2,
			maxTotalBytes: Math.round(0.001 * 1024 * 1024),
			budgetMs: 5000,
			concurrency: 3,
			allowPrivateNetwork: true,
			maxRedirects: 5,
		});
		expect(downloadSettingsFrom({ downloadAttachments: true, attachmentAllowPrivateNetwork: 'true' })?.allowPrivateNetwork).toBe(false);
	});
});

describe('file limits at their boundaries, and what each file is called', () => {
	const PUBLIC = async () => ['93.184.216.34'];
	const fetchOne = async (url: string, answer: Parameters<typeof scripted>[0], settings: DownloadSettings = { maxBytes: 10_000, timeoutMs: 1000 }) => {
		const { request } = scripted(answer);
		return (await run([url], settings, request, PUBLIC)).downloads[0];
	};

	it('a file of exactly the per-file limit is kept; one byte more is refused, declared or streamed', async () => {
		const exactly = Buffer.alloc(1000, 1);
		const over = Buffer.alloc(1001, 1);
		const limit = { maxBytes: 1000, timeoutMs: 1000 };
		expect(await fetchOne('https://files.example.com/a.bin', () => ({ status: 200, body: exactly, headers: { 'content-length': '1000' } }), limit)).toMatchObject({ bytes: 1000, error: null });
		expect(await fetchOne('https://files.example.com/a.bin', () => ({ status: 200, body: over, headers: { 'content-length': '1001' } }), limit)).toMatchObject({ bytes: null, error: '0 MB is over the 0 MB limit' });
		expect(await fetchOne('https://files.example.com/a.bin', () => ({ status: 200, body: exactly }), limit)).toMatchObject({ bytes: 1000, error: null });
		expect(await fetchOne('https://files.example.com/a.bin', () => ({ status: 200, body: over }), limit)).toMatchObject({ bytes: null, error: 'more than the 0 MB limit' });
	});

	it('the total per message is a limit too, at its boundary', async () => {
		const { request } = scripted(() => ({ status: 200, body: Buffer.alloc(500, 1) }));
		const urls = ['https://files.example.com/1', 'https://files.example.com/2', 'https://files.example.com/3'];
		const { downloads } = await downloadAll(urls, request, keep, { maxBytes: 1000, maxTotalBytes: 1000, timeoutMs: 1000, concurrency: 1 }, PUBLIC);
		expect(errors(downloads)).toEqual([null, null, "the message's attachments are over the 0 MB total limit"]);
		const declared = scripted(() => ({ status: 200, body: Buffer.alloc(500, 1), headers: { 'content-length': '500' } }));
		const second = await downloadAll(urls, declared.request, keep, { maxBytes: 1000, maxTotalBytes: 1000, timeoutMs: 1000, concurrency: 1 }, PUBLIC);
		expect(errors(second.downloads)).toEqual([null, null, "0 MB would take the message's attachments over the 0 MB total limit"]);
	});

	it('limits are said in megabytes to one decimal', async () => {
		const MB = 1024 * 1024;
		const answer = () => ({ status: 200, body: Buffer.alloc(1), headers: { 'content-length': String(Math.round(2.46 * MB)) } });
		expect((await fetchOne('https://files.example.com/a.bin', answer, { maxBytes: 1.5 * MB, timeoutMs: 1000 })).error).toBe('2.5 MB is over the 1.5 MB limit');
	});

	it('a URL with no path, or ending in a slash, still downloads: the file is named by the last path segment or its place', async () => {
		expect(await fetchOne('https://files.example.com', () => ({ status: 200 }))).toMatchObject({ fileName: 'attachment_0', error: null });
		expect(await fetchOne('https://files.example.com/media/', () => ({ status: 200 }))).toMatchObject({ fileName: 'media', error: null });
		expect(await fetchOne('https://files.example.com/a%20b.png', () => ({ status: 200 }))).toMatchObject({ fileName: 'a b.png' });
		expect(await fetchOne('https://files.example.com/bad%E0%A4%A.png', () => ({ status: 200 }))).toMatchObject({ fileName: 'bad%E0%A4%A.png' });
		expect(await fetchOne('https://files.example.com/x/..%2F..%2Fetc%2Fpasswd', () => ({ status: 200 }))).toMatchObject({ fileName: '.._.._etc_passwd' });
	});

	it('Content-Disposition names the file: quoted, bare or UTF-8 encoded', async () => {
		const named = async (disposition: string) => (await fetchOne('https://files.example.com/download', () => ({ status: 200, headers: { 'content-disposition': disposition } }))).fileName;
		expect(await named('attachment; filename="report.pdf"')).toBe('report.pdf');
		expect(await named('attachment; filename=report.pdf; size=3')).toBe('report.pdf');
		expect(await named("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf")).toBe('résumé.pdf');
		expect(await named('inline')).toBe('download');
		expect(await named('attachment; filename=""')).toBe('download');
		expect(await named('attachment; filenames; filename="second.pdf"')).toBe('second.pdf');
		expect(await named('attachment; filenames=x; filename="y.pdf"')).toBe('y.pdf');
		expect(await named('attachment; size=3; filename="report.pdf"')).toBe('report.pdf');
		// A parameter before filename= is not mistaken for it, wherever its '=' falls.
		expect(await named('inline;a=1;filename="report.pdf"')).toBe('report.pdf');
		expect(await named(`attachment; filename="${'n'.repeat(300)}.pdf"`)).toBe('n'.repeat(255));
	});

	it('the MIME type is the Content-Type without parameters, in lower case; none is application/octet-stream', async () => {
		expect(await fetchOne('https://files.example.com/a', () => ({ status: 200, headers: { 'content-type': 'Audio/MPEG; charset=binary' } }))).toMatchObject({ mimeType: 'audio/mpeg' });
		expect(await fetchOne('https://files.example.com/a', () => ({ status: 200, headers: { 'content-type': ' image/PNG ; q=1' } }))).toMatchObject({ mimeType: 'image/png' });
		const { request } = scripted(() => ({ status: 200 }));
		const bare: HttpRequester = async (options) => {
			const response = (await request(options)) as { headers: Record<string, string> };
			delete response.headers['content-type'];
			return response;
		};
		expect((await run(['https://files.example.com/a'], { maxBytes: 10_000, timeoutMs: 1000 }, bare, PUBLIC)).downloads[0]).toMatchObject({ mimeType: 'application/octet-stream' });
	});

	it('an HTTP error says its status and reason', async () => {
		const { request } = scripted(() => ({ status: 403 }));
		const withReason: HttpRequester = async (options) => ({ ...((await request(options)) as object), statusMessage: 'Forbidden' });
		expect((await run(['https://files.example.com/a'], { maxBytes: 1000, timeoutMs: 1000 }, withReason, PUBLIC)).downloads[0].error).toBe('HTTP 403 Forbidden');
		expect((await fetchOne('https://files.example.com/a', () => ({ status: 500 }))).error).toBe('HTTP 500');
		expect((await fetchOne('https://files.example.com/a', () => ({ status: 300 }))).error).toBe('HTTP 300');
		expect((await fetchOne('https://files.example.com/a', () => ({ status: 299 }))).error).toBeNull();
	});

	it('a download that fails, before or while the body streams, is a per-file error saying why', async () => {
		const refusedConnection: HttpRequester = async () => {
			throw Object.assign(new Error('connect ECONNREFUSED 93.184.216.34:443'), { code: 'ECONNREFUSED' });
		};
		expect((await run(['https://files.example.com/a'], { maxBytes: 1000, timeoutMs: 1000 }, refusedConnection, PUBLIC)).downloads[0].error).toBe('download failed: connect ECONNREFUSED 93.184.216.34:443');
		const broken: HttpRequester = async () => ({
			statusCode: 200,
			headers: { 'content-type': 'image/png' },
			body: Object.assign(
				(async function* () {
					yield Buffer.alloc(10);
					throw new Error('socket hang up');
				})(),
				{ destroy: () => undefined },
			),
		});
		expect((await run(['https://files.example.com/a'], { maxBytes: 1000, timeoutMs: 1000 }, broken, PUBLIC)).downloads[0]).toMatchObject({ bytes: null, error: 'download failed: socket hang up' });
	});

	it('with no settings but the required ones, a file gets 25 MB and 30 s', async () => {
		const MB = 1024 * 1024;
		const body = Buffer.alloc(1);
		const declared = (bytes: number) => () => ({ status: 200, body, headers: { 'content-length': String(bytes) } });
		const { request } = scripted(declared(25 * MB));
		const unset = { maxBytes: undefined, timeoutMs: undefined } as unknown as DownloadSettings;
		expect((await run(['https://files.example.com/a'], unset, request, PUBLIC)).downloads[0].error).toBeNull();
		const over = scripted(declared(25 * MB + 1));
		expect((await run(['https://files.example.com/a'], unset, over.request, PUBLIC)).downloads[0].error).toBe('25 MB is over the 25 MB limit');
		const seen = scripted(() => ({ status: 200 }));
		await run(['https://files.example.com/a'], unset, seen.request, PUBLIC);
		expect(seen.calls[0].timeout).toBeGreaterThan(29_000);
		expect(seen.calls[0].timeout).toBeLessThanOrEqual(30_000);
	});
});

describe('a file whose answer starts but never ends', () => {
	it('is cut off by its own timeout, not by the message budget, and keeps no bytes', async () => {
		const started = Date.now();
		const { downloads, binary } = await run(['/trickle?every=50', '/photo.png'], { ...LOCAL, timeoutMs: 400, budgetMs: 3000 });
		expect(downloads[0]).toMatchObject({ binaryProperty: null, bytes: null, error: 'timed out after 0.4 s' });
		expect(downloads[1].error).toBeNull();
		expect(Object.keys(binary)).toEqual(['attachment_1']);
		expect(Date.now() - started).toBeLessThan(2500);
	});

	it('an HTTP helper that ends the body quietly when the time runs out: the cut-off file is a timeout, not a short file, and its bytes count for the next file again', async () => {
		const request: HttpRequester = async (options) => {
			const signal = options.abortSignal as AbortSignal;
			const cut = new URL(options.url).pathname === '/cut';
			const body = Object.assign(
				(async function* () {
					yield Buffer.alloc(600, 1);
					// Ends without an error once aborted, as a helper that closes the stream on its signal may.
					if (cut) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
				})(),
				{ destroy: () => undefined },
			);
			return { statusCode: 200, statusMessage: '', headers: { 'content-type': 'image/png' }, body };
		};
		const settings = { maxBytes: 1000, maxTotalBytes: 1000, timeoutMs: 300, budgetMs: 3000, concurrency: 1 };
		const { downloads, binary } = await run(['https://files.example.com/cut', 'https://files.example.com/whole'], settings, request, async () => ['93.184.216.34']);
		expect(downloads[0]).toMatchObject({ binaryProperty: null, error: 'timed out after 0.3 s' });
		expect(downloads[1]).toMatchObject({ binaryProperty: 'attachment_1', bytes: 600, error: null });
		expect(Object.keys(binary)).toEqual(['attachment_1']);
	});
});

describe('what HTTP helpers hand back, in its several shapes', () => {
	const PUBLIC = async () => ['93.184.216.34'];
	it('a body streamed as text is counted and kept as its UTF-8 bytes', async () => {
		const text: HttpRequester = async () => ({
			statusCode: 200,
			headers: { 'content-type': 'text/plain' },
			body: Object.assign(
				(async function* () {
					yield 'héllo ';
					yield 'wörld';
				})(),
				{ destroy: () => undefined },
			),
		});
		const { downloads, binary } = await downloadAll(['https://files.example.com/a.txt'], text, keep, { maxBytes: 1000, timeoutMs: 1000 }, PUBLIC);
		expect(downloads[0]).toMatchObject({ bytes: 13, mimeType: 'text/plain', error: null });
		expect((binary.attachment_0 as { data: Buffer }).data.toString('utf8')).toBe('héllo wörld');
		const capped = await downloadAll(['https://files.example.com/a.txt'], text, keep, { maxBytes: 12, timeoutMs: 1000 }, PUBLIC);
		expect(capped.downloads[0].error).toBe('more than the 0 MB limit');
	});
	it('repeated headers: the first value counts', async () => {
		const repeated: HttpRequester = async () => ({
			statusCode: 200,
			headers: { 'content-type': ['image/png', 'text/html'], 'content-length': ['4', '99999999'] },
			body: Object.assign((async function* () { yield Buffer.alloc(4); })(), { destroy: () => undefined }),
		});
		const { downloads } = await downloadAll(['https://files.example.com/a'], repeated, keep, { maxBytes: 1000, timeoutMs: 1000 }, PUBLIC);
		expect(downloads[0]).toMatchObject({ mimeType: 'image/png', bytes: 4, error: null });
	});
});

describe('node options given as text (expressions)', () => {
	it('numbers in text are read; empty text keeps the default', () => {
		const MB = 1024 * 1024;
		expect(downloadSettingsFrom({ downloadAttachments: true, attachmentMaxSizeMb: ' 2 ', attachmentTimeoutSeconds: '', attachmentMaxFiles: '   ', attachmentMaxTotalMb: '7', attachmentTimeBudgetSeconds: 'x' })).toMatchObject({
			maxBytes: 2 * MB,
			timeoutMs: 30_000,
			maxFiles: 10,
			maxTotalBytes: 7 * MB,
			budgetMs: 5000,
		});
		expect(downloadSettingsFrom({ downloadAttachments: true, attachmentMaxSizeMb: null, attachmentMaxFiles: true })).toMatchObject({ maxBytes: 25 * MB, maxFiles: 10 });
	});
});

describe('guarded fetch details', () => {
	it('a lookup that answers one address as text is read as that address', async () => {
		const resolve = hostResolverFrom({
			getSecureEgressFilter: () => ({
				createSecureLookup: () => (_host: string, _options: unknown, callback: (error: Error | null, address: string) => void) => callback(null, '93.184.216.34'),
			}),
		});
		expect(await resolve?.('files.example.com')).toEqual(['93.184.216.34']);
	});

	it('a name with a trailing dot is sent as SNI without it; Host keeps what the URL said', async () => {
		const { calls, request } = scripted(() => ({ status: 200 }));
		await run(['https://files.example.com./a.png'], { maxBytes: 10_000, timeoutMs: 1000 }, request, async () => ['93.184.216.34']);
		expect(calls[0]).toMatchObject({ url: 'https://93.184.216.34/a.png', headers: { host: 'files.example.com.' }, agentOptions: { servername: 'files.example.com' } });
	});

	it('a redirect whose Location header came as a list follows its first value', async () => {
		const { calls, request } = scripted((options) =>
			options.url.endsWith('/start') ? { status: 302, headers: { location: ['/second', '/wrong'] as unknown as string } } : { status: 200 },
		);
		const { downloads } = await run(['https://files.example.com/start'], { maxBytes: 10_000, timeoutMs: 1000 }, request, async () => ['93.184.216.34']);
		expect(downloads[0]).toMatchObject({ fileName: 'second', error: null });
		expect(calls.map((call) => call.url)).toEqual(['https://93.184.216.34/start', 'https://93.184.216.34/second']);
	});

	it('n8n\'s own timeout firing first reads as this file\'s timeout', async () => {
		const timesOut: HttpRequester = async () => {
			throw Object.assign(new Error('timeout of 300ms exceeded'), { code: 'ECONNABORTED' });
		};
		const wrapped: HttpRequester = async () => {
			throw Object.assign(new Error('Request failed'), { cause: { code: 'ECONNABORTED' } });
		};
		for (const request of [timesOut, wrapped]) {
			const { downloads } = await run(['https://files.example.com/a'], { maxBytes: 1000, timeoutMs: 300 }, request, async () => ['93.184.216.34']);
			expect(downloads[0].error).toBe('timed out after 0.3 s');
		}
	});

	it('a failure names its network code once', async () => {
		const coded: HttpRequester = async () => {
			throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		};
		const named: HttpRequester = async () => {
			throw Object.assign(new Error('connect ECONNREFUSED 93.184.216.34:443'), { code: 'ECONNREFUSED' });
		};
		expect((await run(['https://files.example.com/a'], { maxBytes: 1000, timeoutMs: 1000 }, coded, async () => ['93.184.216.34'])).downloads[0].error).toBe('download failed: ECONNRESET: socket hang up');
		expect((await run(['https://files.example.com/a'], { maxBytes: 1000, timeoutMs: 1000 }, named, async () => ['93.184.216.34'])).downloads[0].error).toBe('download failed: connect ECONNREFUSED 93.184.216.34:443');
	});
});

describe('guarded fetch: lookups, odd answers and errors', () => {
	const PUBLIC = async () => ['93.184.216.34'];

	it('a DNS lookup that never answers is cut off by the file\'s own timeout, and says so', async () => {
		const { calls, request } = scripted(() => ({ status: 200 }));
		const never = async () => await new Promise<string[]>(() => undefined);
		const { downloads } = await run(['https://files.example.com/a.png'], { maxBytes: 4096, timeoutMs: 300, budgetMs: 3000 }, request, never);
		expect(downloads[0]).toMatchObject({ binaryProperty: null, error: 'timed out after 0.3 s' });
		expect(calls).toHaveLength(0);
	});

	it('a lookup that answers a name instead of an address is refused, and nothing is sent', async () => {
		const { calls, request } = scripted(() => ({ status: 200 }));
		const { downloads } = await run(['https://files.example.com/a.png'], LOCAL, request, async () => ['files.example.net']);
		expect(downloads[0].error).toBe('refused: files.example.com resolves to files.example.net, not an IP address');
		expect(calls).toHaveLength(0);
	});

	it('a redirect status without a Location is the answer itself: an HTTP error, not a hop to "undefined"', async () => {
		const { calls, request } = scripted(() => ({ status: 302 }));
		const { downloads } = await run(['https://files.example.com/a.png'], { maxBytes: 4096, timeoutMs: 1000 }, request, PUBLIC);
		expect(downloads[0].error).toBe('HTTP 302');
		expect(calls).toHaveLength(1);
	});

	it('a failure without a network code is said as it is, and a long one is cut to 300 characters', async () => {
		const plain: HttpRequester = async () => {
			throw new Error('certificate rejected');
		};
		expect((await run(['https://files.example.com/a'], { maxBytes: 1000, timeoutMs: 1000 }, plain, PUBLIC)).downloads[0].error).toBe('download failed: certificate rejected');
		const long: HttpRequester = async () => {
			throw Object.assign(new Error('x'.repeat(400)), { code: 'EPROTO' });
		};
		const error = String((await run(['https://files.example.com/a'], { maxBytes: 1000, timeoutMs: 1000 }, long, PUBLIC)).downloads[0].error);
		expect(error).toBe(`download failed: EPROTO: ${'x'.repeat(300 - 'EPROTO: '.length)}`);
		const thrownNull: HttpRequester = async () => {
			throw null;
		};
		expect((await run(['https://files.example.com/a'], { maxBytes: 1000, timeoutMs: 1000 }, thrownNull, PUBLIC)).downloads[0].error).toBe('download failed: null');
	});

	it('waiting on work whose budget is already spent returns at once, even if the work never settles', async () => {
		const spent = AbortSignal.abort();
		const never = new Promise<string>(() => undefined);
		expect(await Promise.race([untilAborted(never, spent), nextTurn().then(() => 'still waiting')])).toBeUndefined();
	});
});

describe('storing a file within the time budget', () => {
	it('a file n8n is still storing when the budget runs out is recorded as not downloaded, and no empty binary is left', async () => {
		const { request } = scripted(() => ({ status: 200 }));
		const never = async () => await new Promise<never>(() => undefined);
		const { binary, downloads } = await downloadAll(['https://files.example.com/a.png'], request, never, { maxBytes: 10_000, timeoutMs: 1000, budgetMs: 200 }, async () => ['93.184.216.34']);
		expect(Object.keys(binary)).toEqual([]);
		expect(downloads[0]).toMatchObject({ binaryProperty: null, error: "not downloaded: the 0.2 s time budget for this message's attachments ran out" });
	});
});
