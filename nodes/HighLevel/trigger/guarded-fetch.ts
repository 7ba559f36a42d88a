/**
 * One attachment URL fetched through n8n's HTTP helper, reaching only hosts the
 * address guard allows, on the first request and on every redirect.
 *
 * A community node may not open sockets or do DNS itself (n8n's lint forbids
 * `http`, `net` and `dns`), and `helpers.httpRequest` takes no `lookup`. So the
 * check happens where each n8n version lets it happen:
 *
 * - n8n 2.x gives nodes a DNS lookup (`helpers.getSecureEgressFilter`). The
 *   name is resolved once, every address it returns is checked, and the request
 *   goes to that checked address (the URL carries the IP; `Host` and TLS SNI
 *   carry the name, so certificates are still verified against the name). DNS
 *   rebinding between check and connect cannot happen: there is no second lookup.
 * - n8n 1.x has no such lookup. The name is connected to as it is and the
 *   socket's peer address is checked before one byte of the answer is read; an
 *   answer whose peer cannot be seen is refused. The request itself has then
 *   reached the host (its answer is thrown away).
 *
 * Redirects are never followed by n8n: each Location is checked like the first URL.
 */
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { classifyHost, refusal, refusedKind } from './address-guard';

export type HttpRequester = (options: IHttpRequestOptions) => Promise<unknown>;

/** Every address a hostname resolves to. */
export type HostResolver = (hostname: string) => Promise<string[]>;

export interface FetchPolicy {
	allowPrivateNetwork: boolean;
	maxRedirects: number;
	/** Present on n8n versions that offer a DNS lookup to nodes (see hostResolverFrom). */
	resolve?: HostResolver;
}

/** Abort handling and the remaining time of one file, shared by all its hops. */
export interface FetchClock {
	signal: AbortSignal;
	remainingMs(): number;
}

export type FetchResult =
	| { ok: true; response: IN8nHttpFullResponse; url: URL }
	| { ok: false; error: string };

interface Target {
	requestUrl: string;
	headers: Record<string, string>;
	/** TLS server name when the URL carries the resolved IP instead of the name. */
	servername?: string;
	/** Whether the socket's peer address must still be checked (nothing was resolved). */
	checkPeer: boolean;
}

interface Destroyable {
	destroy?: (error?: Error) => void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type LookupCallback = (error: Error | null, addresses: Array<{ address: string }> | string) => void;
interface EgressFilter {
	createSecureLookup(): (hostname: string, options: { all: true }, callback: LookupCallback) => void;
}

/**
 * The host n8n's DNS lookup as a HostResolver, when this n8n offers one
 * (`getSecureEgressFilter`, n8n 2.x). Under n8n's default policy it is the
 * system resolver; with n8n's own SSRF protection on it also applies n8n's rules.
 */
export function hostResolverFrom(helpers: unknown): HostResolver | undefined {
	const get = (helpers as { getSecureEgressFilter?: unknown } | undefined)?.getSecureEgressFilter;
	if (typeof get !== 'function') return undefined;
	return async (hostname) =>
		await new Promise<string[]>((resolve, reject) => {
			const filter = get.call(helpers) as EgressFilter;
			filter.createSecureLookup()(hostname, { all: true }, (error, addresses) => {
				if (error) reject(error);
				else resolve(typeof addresses === 'string' ? [addresses] : addresses.map((entry) => entry.address));
			});
		});
}

/** Settles with the work, or with undefined as soon as the signal aborts, whichever is first. */
export async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
	if (signal.aborted) {
		work.catch(() => undefined);
		return undefined;
	}
	return await new Promise<T | undefined>((resolve, reject) => {
		const onAbort = () => resolve(undefined);
		// Stryker disable next-line ObjectLiteral,BooleanLiteral: resolving a settled promise again does nothing
		signal.addEventListener('abort', onAbort, { once: true });
		work.then(
			(value) => {
				// Stryker disable next-line StringLiteral: a listener left behind only resolves a settled promise again
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				// Stryker disable next-line StringLiteral: a listener left behind only resolves a settled promise again
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

function peerAddress(body: unknown): string | undefined {
	const socket = (body as { socket?: { remoteAddress?: unknown } } | null | undefined)?.socket;
	return typeof socket?.remoteAddress === 'string' ? socket.remoteAddress : undefined;
}

function errorText(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	const message = error instanceof Error ? error.message : String(error);
	return (typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message).slice(0, 300);
}

/** Where to send the request for one hop, or why not to. */
async function targetFor(url: URL, policy: FetchPolicy, clock: FetchClock): Promise<Target | string> {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return `not an http(s) URL (${url.protocol})`;
	const headers = { 'accept-encoding': 'identity' };
	const host = classifyHost(url.hostname);
	const refused = refusal(url.hostname, host.kind, policy.allowPrivateNetwork);
	if (refused !== null) return `refused: ${refused}`;
	if (host.literal !== null) return { requestUrl: url.href, headers, checkPeer: false };
	if (policy.resolve === undefined) return { requestUrl: url.href, headers, checkPeer: true };

	let addresses: string[] | undefined;
	try {
		addresses = await untilAborted(policy.resolve(url.hostname), clock.signal);
	} catch (error) {
		return `could not resolve ${url.hostname}: ${errorText(error)}`;
	}
	// Stryker disable next-line StringLiteral: guardedFetch then reads the aborted signal itself, whatever this says
	if (addresses === undefined) return 'aborted';
	if (addresses.length === 0) return `could not resolve ${url.hostname}`;
	for (const address of addresses) {
		const resolved = classifyHost(address);
		const why = resolved.literal === null ? 'not an IP address' : refusedKind(resolved.kind, policy.allowPrivateNetwork);
		if (why !== null) return `refused: ${url.hostname} resolves to ${address}, ${why}`;
	}
	// Every address passed; the first (the system's preferred order) is the one connected to.
	const chosen = classifyHost(addresses[0]).literal as string;
	const pinned = new URL(url.href);
	pinned.hostname = chosen.includes(':') ? `[${chosen}]` : chosen;
	let end = url.hostname.length;
	// Stryker disable next-line ConditionalExpression,EqualityOperator: a host of dots only is refused before this, and hostname[-1] is undefined anyway
	while (end > 0 && url.hostname[end - 1] === '.') end--;
	const name = url.hostname.slice(0, end);
	return {
		requestUrl: pinned.href,
		headers: { ...headers, host: url.host },
		servername: url.protocol === 'https:' ? name : undefined,
		checkPeer: false,
	};
}

/**
 * GETs `start`, following at most `policy.maxRedirects` redirects, each hop
 * checked. The body of a successful result is an unread stream.
 */
export async function guardedFetch(
	request: HttpRequester,
	start: URL,
	policy: FetchPolicy,
	clock: FetchClock,
): Promise<FetchResult | 'aborted'> {
	let url = start;
	for (let hop = 0; ; hop++) {
		const target = await targetFor(url, policy, clock);
		// targetFor answers 'aborted' only once the signal has aborted.
		if (clock.signal.aborted) return 'aborted';
		if (typeof target === 'string') return { ok: false, error: target };

		const options: IHttpRequestOptions & { agentOptions?: { servername: string } } = {
			url: target.requestUrl,
			method: 'GET',
			headers: target.headers,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: Math.max(1, Math.min(clock.remainingMs(), 600_000)),
			abortSignal: clock.signal,
		};
		if (target.servername !== undefined) options.agentOptions = { servername: target.servername };

		let response: IN8nHttpFullResponse | undefined;
		try {
			response = (await untilAborted(request(options), clock.signal)) as IN8nHttpFullResponse | undefined;
		} catch (error) {
			// n8n's own timeout (set to the time left) can fire a moment before ours does.
			if (clock.signal.aborted || timedOut(error)) return 'aborted';
			return { ok: false, error: `download failed: ${errorText(error)}` };
		}
		// Stryker disable next-line ConditionalExpression,LogicalOperator: untilAborted yields undefined only after the signal aborted; n8n's helpers never resolve undefined
		if (response === undefined || clock.signal.aborted) {
			// Stryker disable next-line OptionalChaining: n8n's helpers stream Node streams, which have destroy()
			(response?.body as Destroyable | undefined)?.destroy?.();
			return 'aborted';
		}
		const body = response.body as Destroyable | undefined;
		const drop = (error: string): FetchResult => {
			// Stryker disable next-line OptionalChaining: n8n's helpers stream Node streams, which have destroy()
			body?.destroy?.();
			return { ok: false, error };
		};

		if (target.checkPeer) {
			const peer = peerAddress(response.body);
			if (peer === undefined) {
				if (!policy.allowPrivateNetwork) {
					return drop(`refused: the address ${url.hostname} answered from could not be checked`);
				}
			} else {
				const why = refusedKind(classifyHost(peer).kind, policy.allowPrivateNetwork);
				if (why !== null) return drop(`refused: ${url.hostname} connected to ${peer}, ${why}`);
			}
		}

		// Stryker disable next-line OptionalChaining: n8n's full response always has headers
		const location = response.headers?.location;
		if (!REDIRECTS.has(response.statusCode) || location === undefined) return { ok: true, response, url };
		if (hop >= policy.maxRedirects) return drop(`more than ${policy.maxRedirects} redirects`);
		try {
			url = new URL(String(Array.isArray(location) ? location[0] : location), url);
		} catch {
			return drop('redirected to something that is not a URL');
		}
		// Stryker disable next-line OptionalChaining: n8n's helpers stream Node streams, which have destroy()
		body?.destroy?.();
	}
}

function timedOut(error: unknown): boolean {
	const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
	return code === 'ECONNABORTED' || cause?.code === 'ECONNABORTED';
}
