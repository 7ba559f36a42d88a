/**
 * Which hosts and addresses an attachment download may reach.
 *
 * Attachment URLs come from the request body, so they are the sender's choice:
 * without this check a delivery could make n8n fetch its own loopback services,
 * the cloud metadata endpoint or anything on the private network, and put the
 * answer in the item. Pure functions: no DNS here (the caller resolves), so
 * every spelling of an address can be tested without a network.
 */

/** Kinds a user may open up with the Allow Private Network Hosts option. */
const PRIVATE_KINDS = ['loopback', 'private', 'carrier-grade NAT', 'unique-local', 'site-local', 'local name'] as const;

/** Kinds that are never a file host: metadata services, multicast, addresses that mean "this host". */
type NeverKind = 'unspecified' | 'link-local' | 'multicast' | 'broadcast' | 'reserved' | 'documentation' | 'benchmarking';

export type AddressKind = 'public' | (typeof PRIVATE_KINDS)[number] | NeverKind;

const privateKinds: ReadonlySet<AddressKind> = new Set(PRIVATE_KINDS);

/** One host or address as the guard sees it: `literal` is the IP text when the host is an IP. */
export interface HostClass {
	kind: AddressKind;
	literal: string | null;
}

/** WHATWG URL's IPv4 number syntax: decimal, 0x hex or 0-prefixed octal. */
function parseIPv4Part(part: string): number | null {
	// An empty part fails the decimal test below.
	if (part.length > 32) return null;
	let digits = part;
	let radix = 10;
	if (part.toLowerCase().startsWith('0x')) {
		digits = part.slice(2);
		radix = 16;
		if (digits.length === 0) return 0;
		if (!/^[0-9a-fA-F]+$/.test(digits)) return null;
	} else if (part[0] === '0') {
		// The leading 0 is an octal digit too (and a lone 0 is 0 in either base).
		radix = 8;
		if (!/^[0-7]+$/.test(digits)) return null;
	} else if (!/^[0-9]+$/.test(digits)) {
		return null;
	}
	return parseInt(digits, radix);
}

/**
 * An IPv4 address in any spelling a URL parser or `inet_aton` accepts
 * (`127.1`, `2130706433`, `0x7f.1`, `0177.0.0.1`, a trailing dot) as a 32-bit
 * number, or null when the text is not one.
 */
export function parseIPv4(text: string): number | null {
	const parts = text.split('.');
	if (parts[parts.length - 1] === '') parts.pop();
	if (parts.length === 0 || parts.length > 4) return null;
	const numbers: number[] = [];
	for (const part of parts) {
		const value = parseIPv4Part(part);
		if (value === null) return null;
		numbers.push(value);
	}
	const last = numbers.pop() as number;
	if (last >= 256 ** (4 - numbers.length)) return null;
	let address = 0;
	for (const [index, value] of numbers.entries()) {
		if (value > 255) return null;
		address += value * 256 ** (3 - index);
	}
	return address + last;
}

export function formatIPv4(address: number): string {
	return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

/**
 * An IPv6 address (brackets and a `%zone` allowed, an embedded dotted IPv4
 * tail too) as eight 16-bit groups, or null.
 */
export function parseIPv6(text: string): number[] | null {
	let value = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
	const zone = value.indexOf('%');
	if (zone !== -1) value = value.slice(0, zone);
	// Stryker disable next-line ConditionalExpression: only bounds the work on hostile text; no address text is longer than 45, and longer text fails the group checks
	if (value.length > 45) return null;

	const halves = value.split('::');
	if (halves.length > 2) return null;
	// A dotted IPv4 tail may only end the whole text (RFC 4291): `1.2.3.4::` is no address.
	const groupsOf = (half: string, endsText: boolean): number[] | null => {
		if (half === '') return [];
		const groups: number[] = [];
		const pieces = half.split(':');
		for (const [index, piece] of pieces.entries()) {
			if (endsText && index === pieces.length - 1 && piece.includes('.')) {
				// Dotted decimal only, without zero padding, as inet_pton and URL read it: a
				// padded byte would make the literal pinned to differ from the text judged.
				if (!/^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/.test(piece)) return null;
				const bytes = piece.split('.').map(Number);
				if (bytes.some((byte) => byte > 255)) return null;
				groups.push(bytes[0] * 256 + bytes[1], bytes[2] * 256 + bytes[3]);
			} else {
				if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return null;
				groups.push(parseInt(piece, 16));
			}
		}
		return groups;
	};
	const head = groupsOf(halves[0], halves.length === 1);
	if (head === null) return null;
	if (halves.length === 1) return head.length === 8 ? head : null;
	const tail = groupsOf(halves[1], true);
	if (tail === null) return null;
	const missing = 8 - head.length - tail.length;
	if (missing < 1) return null;
	return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** IPv4 blocks that are not the public internet, most specific first where they overlap. */
const IPV4_BLOCKS: ReadonlyArray<[base: string, bits: number, kind: AddressKind]> = [
	['255.255.255.255', 32, 'broadcast'],
	['0.0.0.0', 8, 'unspecified'],
	['10.0.0.0', 8, 'private'],
	['100.64.0.0', 10, 'carrier-grade NAT'],
	['127.0.0.0', 8, 'loopback'],
	['169.254.0.0', 16, 'link-local'],
	['172.16.0.0', 12, 'private'],
	['192.0.0.0', 24, 'reserved'],
	['192.0.2.0', 24, 'documentation'],
	['192.88.99.0', 24, 'reserved'],
	['192.168.0.0', 16, 'private'],
	['198.18.0.0', 15, 'benchmarking'],
	['198.51.100.0', 24, 'documentation'],
	['203.0.113.0', 24, 'documentation'],
	['224.0.0.0', 4, 'multicast'],
	['240.0.0.0', 4, 'reserved'],
];

// Every row has 1 to 32 bits and its base is the block's first address (the row-by-row test checks both ends).
const ipv4Blocks = IPV4_BLOCKS.map(([base, bits, kind]) => ({
	network: parseIPv4(base) as number,
	mask: (~0 << (32 - bits)) >>> 0,
	kind,
}));

export function classifyIPv4(address: number): AddressKind {
	for (const block of ipv4Blocks) {
		if (((address & block.mask) >>> 0) === block.network) return block.kind;
	}
	return 'public';
}

const v4Tail = (groups: number[]) => groups[6] * 65536 + groups[7];
const allZero = (groups: number[], from: number, to: number) => groups.slice(from, to).every((group) => group === 0);

/**
 * IPv6 ranges. Forms that carry an IPv4 address (mapped, compatible, NAT64,
 * 6to4) are judged by that address: `::ffff:127.0.0.1` is loopback.
 * Only 2000::/3 is global unicast; anything else not listed is reserved.
 */
export function classifyIPv6(groups: number[]): AddressKind {
	const [first, second] = groups;
	if (allZero(groups, 0, 6)) {
		if (groups[6] === 0 && groups[7] === 1) return 'loopback';
		return classifyIPv4(v4Tail(groups)); // ::a.b.c.d (IPv4-compatible); :: is 0.0.0.0, unspecified
	}
	if (allZero(groups, 0, 5) && groups[5] === 0xffff) return classifyIPv4(v4Tail(groups)); // ::ffff:a.b.c.d
	if (allZero(groups, 0, 4) && groups[4] === 0xffff && groups[5] === 0) return classifyIPv4(v4Tail(groups)); // ::ffff:0:a.b.c.d
	if (first === 0x64 && second === 0xff9b) {
		if (allZero(groups, 2, 6)) return classifyIPv4(v4Tail(groups)); // NAT64 well-known prefix
		if (groups[2] === 1) return 'private'; // 64:ff9b:1::/48, local-use NAT64
		return 'reserved';
	}
	if (first === 0x2002) return classifyIPv4(second * 65536 + groups[2]); // 6to4
	if (first === 0x2001 && second < 0x200) return 'reserved'; // 2001::/23: Teredo, ORCHID, AS112, ...
	if (first === 0x2001 && second === 0xdb8) return 'documentation';
	if (first === 0x3fff && second < 0x1000) return 'documentation'; // 3fff::/20
	if ((first & 0xfe00) === 0xfc00) return 'unique-local';
	if ((first & 0xffc0) === 0xfe80) return 'link-local';
	if ((first & 0xffc0) === 0xfec0) return 'site-local';
	if ((first & 0xff00) === 0xff00) return 'multicast';
	if ((first & 0xe000) !== 0x2000) return 'reserved';
	return 'public';
}

/**
 * Names that never leave the local network (RFC 6761, 6762 appendix G, ICANN's
 * `.internal`): refused by name, before any lookup, so that no request is sent.
 */
const LOCAL_SUFFIXES = [
	'localhost', 'localdomain', 'local', 'internal', 'intranet', 'private', 'corp', 'home', 'lan', 'home.arpa',
	'test', 'invalid', 'onion',
];

function classifyName(hostname: string): AddressKind {
	let end = hostname.length;
	while (hostname.endsWith('.', end)) end--;
	const name = hostname.slice(0, end).toLowerCase();
	if (name.length === 0) return 'reserved';
	// One label is resolved through the search domains: always an inside name.
	if (!name.includes('.')) return 'local name';
	for (const suffix of LOCAL_SUFFIXES) {
		if (name === suffix || name.endsWith(`.${suffix}`)) return 'local name';
	}
	// A name whose last label is a number is an IPv4 spelling that did not parse.
	const last = name.slice(name.lastIndexOf('.') + 1);
	if (/^(?:\d+|0x[0-9a-f]*)$/.test(last)) return 'reserved';
	return 'public';
}

/**
 * A URL host (`example.com`, `127.0.0.1`, `[::1]`) or a bare address as the
 * socket reports it (`::ffff:10.0.0.1`, `fe80::1%eth0`).
 */
export function classifyHost(host: string): HostClass {
	const v4 = host.includes(':') ? null : parseIPv4(host);
	if (v4 !== null) return { kind: classifyIPv4(v4), literal: formatIPv4(v4) };
	const v6 = parseIPv6(host);
	if (v6 !== null) {
		const literal = (host.startsWith('[') ? host.slice(1, -1) : host).split('%')[0].toLowerCase();
		return { kind: classifyIPv6(v6), literal };
	}
	if (host.includes(':') || host.includes('[')) return { kind: 'reserved', literal: null };
	return { kind: classifyName(host), literal: null };
}

/** Whether a kind may be contacted, given the Allow Private Network Hosts option. */
export function isAllowed(kind: AddressKind, allowPrivateNetwork: boolean): boolean {
	return kind === 'public' || (allowPrivateNetwork && privateKinds.has(kind));
}

/**
 * Why a kind may not be contacted ("a loopback address (allowed only with ...)"),
 * or null when it may.
 */
export function refusedKind(kind: AddressKind, allowPrivateNetwork: boolean): string | null {
	if (isAllowed(kind, allowPrivateNetwork)) return null;
	const what = kind === 'local name' ? 'a local network name' : `a ${kind} address`;
	const hint = privateKinds.has(kind) ? ' (allowed only with the Allow Private Network Hosts option)' : '';
	return `${what}${hint}`;
}

/** The refusal for a host or address ("127.0.0.1 is a loopback address ..."), or null when it may be contacted. */
export function refusal(host: string, kind: AddressKind, allowPrivateNetwork: boolean): string | null {
	const why = refusedKind(kind, allowPrivateNetwork);
	return why === null ? null : `${host} is ${why}`;
}
