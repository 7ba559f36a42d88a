/**
 * downloadAll (issue 11, point 4) against a local file host through n8n-core's
 * own httpRequest helper (n8n 1.x's), and against scripted requesters where a
 * real network cannot act out the case (public names, DNS answers, n8n 2.x's
 * resolver): refused hosts, redirects, limits, the time budget, parallelism.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { type FileServer, PNG, startFileServer } from './helpers/file-server.cjs';
import {
	type AttachmentDownload,
	DOWNLOAD_DEFAULTS,
	downloadAll,
	type DownloadSettings,
	downloadSettingsFrom,
	hostResolverFrom,
	type HttpRequester,
} from '../nodes/HighLevel/trigger/attachments';

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
