/**
 * The address guard (issue 11, point 4): every spelling of a non-public address
 * is recognised, as a URL parser leaves it and as written, and public addresses
 * stay allowed.
 */
import fc from 'fast-check';

import { BlockList, isIPv4, isIPv6 } from './helpers/node-net.cjs';

import {
	type AddressKind,
	classifyHost,
	formatIPv4,
	isAllowed,
	parseIPv4,
	parseIPv6,
	refusal,
} from '../nodes/HighLevel/trigger/address-guard';

/** What the guard sees for a URL: the host as WHATWG URL (and so axios) leaves it. */
const hostOf = (url: string) => classifyHost(new URL(url).hostname);

describe('hosts in URLs, every spelling', () => {
	it.each<[string, AddressKind]>([
		['http://127.0.0.1/', 'loopback'],
		['http://127.1/', 'loopback'],
		['http://127.0.1/', 'loopback'],
		['http://2130706433/', 'loopback'],
		['http://0x7f000001/', 'loopback'],
		['http://0x7f.1/', 'loopback'],
		['http://0177.0.0.1/', 'loopback'],
		['http://0177.1/', 'loopback'],
		['http://127.0.0.1./', 'loopback'],
		['http://127.000.000.001/', 'loopback'],
		['http://[::1]/', 'loopback'],
		['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
		['http://[::ffff:127.0.0.1]/', 'loopback'],
		['http://[::ffff:7f00:1]/', 'loopback'],
		['http://[::127.0.0.1]/', 'loopback'],
		['http://[::ffff:0:127.0.0.1]/', 'loopback'],
		['http://[64:ff9b::127.0.0.1]/', 'loopback'],
		['http://[64:ff9b::a00:1]/', 'private'],
		['http://[2002:7f00:1::]/', 'loopback'],
		['http://[2002:c0a8:101::1]/', 'private'],
		['http://localhost/', 'local name'],
		['http://LOCALHOST./', 'local name'],
		['http://localhost../', 'local name'],
		['http://%6c%6fcalhost/', 'local name'],
		['http://ｌｏｃａｌｈｏｓｔ/', 'local name'],
		['http://api.localhost/', 'local name'],
		['http://metadata.google.internal/', 'local name'],
		['http://printer.local/', 'local name'],
		['http://nas.home.arpa/', 'local name'],
		['http://intranet/', 'local name'],
		['http://10.0.0.1/', 'private'],
		['http://10.255.255.255/', 'private'],
		['http://012.1/', 'private'],
		['http://167772161/', 'private'],
		['http://172.16.0.1/', 'private'],
		['http://172.31.255.255/', 'private'],
		['http://192.168.1.1/', 'private'],
		['http://0xc0.0xa8.1.1/', 'private'],
		['http://100.64.0.1/', 'carrier-grade NAT'],
		['http://100.127.255.254/', 'carrier-grade NAT'],
		['http://[fd00::1]/', 'unique-local'],
		['http://[fc00::1]/', 'unique-local'],
		['http://[fec0::1]/', 'site-local'],
		['http://169.254.169.254/', 'link-local'],
		['http://0xa9fea9fe/', 'link-local'],
		['http://[::ffff:169.254.169.254]/', 'link-local'],
		['http://[fe80::1]/', 'link-local'],
		['http://[febf::1]/', 'link-local'],
		['http://0.0.0.0/', 'unspecified'],
		['http://0/', 'unspecified'],
		['http://0.1.2.3/', 'unspecified'],
		['http://[::]/', 'unspecified'],
		['http://224.0.0.1/', 'multicast'],
		['http://239.255.255.250/', 'multicast'],
		['http://[ff02::1]/', 'multicast'],
		['http://255.255.255.255/', 'broadcast'],
		['http://240.0.0.1/', 'reserved'],
		['http://192.0.0.170/', 'reserved'],
		['http://[2001::1]/', 'reserved'],
		['http://[100::1]/', 'reserved'],
		['http://192.0.2.10/', 'documentation'],
		['http://[2001:db8::1]/', 'documentation'],
		['http://198.18.0.1/', 'benchmarking'],
		['http://8.8.8.8/', 'public'],
		['http://134744072/', 'public'],
		['http://172.32.0.1/', 'public'],
		['http://100.128.0.1/', 'public'],
		['http://[2606:4700:4700::1111]/', 'public'],
		['http://[::ffff:8.8.8.8]/', 'public'],
		['http://[64:ff9b::8.8.8.8]/', 'public'],
		['https://storage.googleapis.com/msgsndr/x.png', 'public'],
		['https://files.example.com./a', 'public'],
	])('%s is %s', (url, kind) => {
		expect(hostOf(url).kind).toBe(kind);
	});

	it('gives the canonical IP text for literals, and none for names', () => {
		expect(hostOf('http://0x7f.1/').literal).toBe('127.0.0.1');
		expect(hostOf('http://[::FFFF:127.0.0.1]/').literal).toBe('::ffff:7f00:1');
		expect(hostOf('http://example.com/').literal).toBeNull();
	});
});

describe('addresses as written (not through a URL parser), as a socket or resolver reports them', () => {
	it.each<[string, AddressKind]>([
		['127.1', 'loopback'],
		['0x7f.1', 'loopback'],
		['0177.0.0.1', 'loopback'],
		['2130706433', 'loopback'],
		['::ffff:127.0.0.1', 'loopback'],
		['::ffff:10.0.0.1', 'private'],
		['fe80::1%eth0', 'link-local'],
		['[::1]', 'loopback'],
		['1.2.3.4.5', 'reserved'],
		['08.1.1.1', 'reserved'],
		['example.0x1', 'reserved'],
		['[::1', 'reserved'],
		[':::1', 'reserved'],
		['1:2:3:4:5:6:7:8:9', 'reserved'],
		['', 'reserved'],
		['...', 'reserved'],
	])('%p is %s', (text, kind) => {
		expect(classifyHost(text).kind).toBe(kind);
	});

	it('parses IPv4 and IPv6 forms', () => {
		expect(parseIPv4('256')).toBe(256);
		expect(parseIPv4('1.256')).toBe(16777472);
		expect(parseIPv4('1.2.3.256')).toBeNull();
		expect(parseIPv4('4294967296')).toBeNull();
		expect(parseIPv4('0x')).toBe(0);
		expect(parseIPv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
		expect(parseIPv6('::1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0, 0x102, 0x304]);
		expect(parseIPv6('1:2:3:4:5:6:7::8')).toBeNull();
		expect(parseIPv6('::1.2.3.999')).toBeNull();
	});
});

describe('policy', () => {
	it('private kinds open up with the option; metadata, multicast and unspecified never do', () => {
		for (const kind of ['loopback', 'private', 'carrier-grade NAT', 'unique-local', 'site-local', 'local name'] as const) {
			expect([isAllowed(kind, false), isAllowed(kind, true)]).toEqual([false, true]);
		}
		for (const kind of ['unspecified', 'link-local', 'multicast', 'broadcast', 'reserved', 'documentation', 'benchmarking'] as const) {
			expect([isAllowed(kind, false), isAllowed(kind, true)]).toEqual([false, false]);
		}
		expect([isAllowed('public', false), isAllowed('public', true)]).toEqual([true, true]);
	});
	it('says why, and how to allow what can be allowed', () => {
		expect(refusal('127.0.0.1', 'loopback', false)).toBe(
			'127.0.0.1 is a loopback address (allowed only with the Allow Private Network Hosts option)',
		);
		expect(refusal('169.254.169.254', 'link-local', true)).toBe('169.254.169.254 is a link-local address');
		expect(refusal('8.8.8.8', 'public', false)).toBeNull();
	});
});

/** Every spelling WHATWG URL and inet_aton accept for one IPv4 address. */
function spellings(address: number): string[] {
	const bytes = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255];
	const low16 = address & 0xffff;
	const low24 = address & 0xffffff;
	const hex = (n: number) => `0x${n.toString(16)}`;
	const oct = (n: number) => `0${n.toString(8)}`;
	return [
		bytes.join('.'),
		String(address),
		hex(address),
		oct(address),
		bytes.map(hex).join('.'),
		bytes.map(oct).join('.'),
		`${bytes[0]}.${low24}`,
		`${hex(bytes[0])}.${oct(low24)}`,
		`${bytes[0]}.${bytes[1]}.${low16}`,
		`${oct(bytes[0])}.${hex(bytes[1])}.${hex(low16)}`,
		`${bytes.join('.')}.`,
	];
}

/** IPv6 forms that carry an IPv4 address. */
function v6Forms(address: number): string[] {
	const v4 = formatIPv4(address);
	const high = ((address >>> 16) & 0xffff).toString(16);
	const low = (address & 0xffff).toString(16);
	// ::0.0.0.0 and ::0.0.0.1 are :: and ::1, IPv6 addresses of their own.
	const compatible = address > 1 ? [`[::${v4}]`] : [];
	return [`[::ffff:${v4}]`, `[::ffff:${high}:${low}]`, ...compatible, `[64:ff9b::${v4}]`, `[2002:${high}:${low}::1]`, `[::ffff:0:${v4}]`];
}

const inBlock = (base: string, bits: number) =>
	fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((offset) => (parseIPv4(base) as number) + offset);

const nonPublicV4 = fc.oneof(
	inBlock('127.0.0.0', 8),
	inBlock('10.0.0.0', 8),
	inBlock('172.16.0.0', 12),
	inBlock('192.168.0.0', 16),
	inBlock('169.254.0.0', 16),
	inBlock('100.64.0.0', 10),
	inBlock('0.0.0.0', 8),
	inBlock('224.0.0.0', 4),
	inBlock('240.0.0.0', 4),
);

describe('property: no spelling of a non-public IPv4 address gets through', () => {
	it('in a URL, whichever spelling and IPv6 wrapping', () => {
		fc.assert(
			fc.property(nonPublicV4, fc.boolean(), (address, allowPrivate) => {
				const kind = classifyHost(formatIPv4(address)).kind;
				expect(kind).not.toBe('public');
				for (const host of [...spellings(address), ...v6Forms(address)]) {
					const seen = hostOf(`http://${host}:8080/file`);
					expect([host, seen.kind]).toEqual([host, kind]);
					expect(isAllowed(seen.kind, allowPrivate)).toBe(isAllowed(kind, allowPrivate));
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('as written, whichever spelling', () => {
		fc.assert(
			fc.property(nonPublicV4, (address) => {
				const kind = classifyHost(formatIPv4(address)).kind;
				for (const text of spellings(address)) expect([text, classifyHost(text).kind]).toEqual([text, kind]);
			}),
			{ numRuns: 300 },
		);
	});

	it('public addresses stay public in every spelling', () => {
		const publicV4 = fc.integer({ min: 0, max: 2 ** 32 - 1 }).filter((address) => classifyHost(formatIPv4(address)).kind === 'public');
		fc.assert(
			fc.property(publicV4, (address) => {
				for (const host of [...spellings(address), `[::ffff:${formatIPv4(address)}]`, `[64:ff9b::${formatIPv4(address)}]`]) {
					expect([host, hostOf(`https://${host}/`).kind]).toEqual([host, 'public']);
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('any IPv6 text in a URL is judged the same as the address it parses to', () => {
		const group = fc.integer({ min: 0, max: 0xffff });
		fc.assert(
			fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
				const full = groups.map((g) => g.toString(16)).join(':');
				const fromUrl = hostOf(`http://[${full}]/`);
				expect(fromUrl.kind).toBe(classifyHost(full).kind);
				expect(parseIPv6(fromUrl.literal as string)).toEqual(groups);
			}),
			{ numRuns: 500 },
		);
	});
});

/*
 * The special-purpose registries, written out here from IANA (and the RFCs the
 * guard follows) rather than read from the module, so that a wrong or missing
 * row in the module's tables shows up as a wrongly classified address.
 */

/** Dotted-quad text of a 32-bit number, without the module's formatIPv4. */
const dottedQuad = (address: number) =>
	[Math.floor(address / 2 ** 24), Math.floor(address / 2 ** 16) % 256, Math.floor(address / 256) % 256, address % 256].join('.');
const quadValue = (text: string) => text.split('.').reduce((sum, byte) => sum * 256 + Number(byte), 0);

/** IANA IPv4 special-purpose address registry, the rows that are not the public internet. */
const IPV4_REGISTRY: ReadonlyArray<[cidr: string, kind: AddressKind]> = [
	['0.0.0.0/8', 'unspecified'], // "this network"
	['10.0.0.0/8', 'private'],
	['100.64.0.0/10', 'carrier-grade NAT'],
	['127.0.0.0/8', 'loopback'],
	['169.254.0.0/16', 'link-local'], // cloud metadata lives here
	['172.16.0.0/12', 'private'],
	['192.0.0.0/24', 'reserved'], // IETF protocol assignments
	['192.0.2.0/24', 'documentation'], // TEST-NET-1
	['192.88.99.0/24', 'reserved'], // deprecated 6to4 relay anycast
	['192.168.0.0/16', 'private'],
	['198.18.0.0/15', 'benchmarking'],
	['198.51.100.0/24', 'documentation'], // TEST-NET-2
	['203.0.113.0/24', 'documentation'], // TEST-NET-3
	['224.0.0.0/4', 'multicast'],
	['240.0.0.0/4', 'reserved'],
	['255.255.255.255/32', 'broadcast'],
];

const v4Rows = IPV4_REGISTRY.map(([cidr, kind]) => {
	const [base, bits] = cidr.split('/');
	const list = new BlockList();
	list.addSubnet(base, Number(bits), 'ipv4');
	const first = quadValue(base);
	return { cidr, kind, bits: Number(bits), list, first, last: first + 2 ** (32 - Number(bits)) - 1 };
});

/** The registry's kind for an IPv4 address: its most specific row (Node judges membership), else public. */
function expectedV4(address: number): AddressKind {
	let best: (typeof v4Rows)[number] | undefined;
	for (const row of v4Rows) {
		if (row.list.check(dottedQuad(address), 'ipv4') && (best === undefined || row.bits > best.bits)) best = row;
	}
	return best === undefined ? 'public' : best.kind;
}

describe('IPv4 special-purpose registry, row by row', () => {
	it.each(v4Rows.map((row) => [row.cidr, row.kind, row] as const))(
		'%s: first and last address are %s, the addresses just outside are not',
		(_cidr, kind, row) => {
			const judged = (address: number) => {
				const asWritten = classifyHost(dottedQuad(address));
				const inUrl = hostOf(`http://${address}/`);
				expect([dottedQuad(address), inUrl.kind, inUrl.literal]).toEqual([dottedQuad(address), asWritten.kind, dottedQuad(address)]);
				return asWritten.kind;
			};
			expect(judged(row.first)).toBe(kind);
			// 255.255.255.255 ends 240.0.0.0/4 but is the broadcast row's, the more specific one.
			expect(judged(row.last)).toBe(expectedV4(row.last));
			expect(expectedV4(row.last)).toBe(row.last === 0xffffffff && row.bits < 32 ? 'broadcast' : kind);
			for (const outside of [row.first - 1, row.last + 1].filter((address) => address >= 0 && address <= 0xffffffff)) {
				const seen = [dottedQuad(outside), judged(outside)];
				expect(seen).toEqual([dottedQuad(outside), expectedV4(outside)]);
				expect(seen).not.toEqual([dottedQuad(outside), kind]);
			}
		},
	);
});

/** What an IPv6 row means: a kind of its own, or "judge the IPv4 address it carries". */
type V6Meaning = AddressKind | 'IPv4 in the low 32 bits' | 'IPv4 in bits 16-47';

/**
 * IANA IPv6 special-purpose registry (plus the deprecated site-local block and
 * the RFC 2765 translated prefix, which the guard also reads), and the rule
 * that only 2000::/3 is global unicast: an address in no row is reserved.
 */
const IPV6_REGISTRY: ReadonlyArray<[cidr: string, meaning: V6Meaning]> = [
	['::/128', 'unspecified'],
	['::1/128', 'loopback'],
	['::/96', 'IPv4 in the low 32 bits'], // IPv4-compatible (deprecated)
	['::ffff:0:0/96', 'IPv4 in the low 32 bits'], // IPv4-mapped
	['::ffff:0:0:0/96', 'IPv4 in the low 32 bits'], // IPv4-translated (RFC 2765)
	['64:ff9b::/96', 'IPv4 in the low 32 bits'], // NAT64 well-known prefix
	['64:ff9b:1::/48', 'private'], // local-use NAT64 (RFC 8215)
	['2002::/16', 'IPv4 in bits 16-47'], // 6to4
	['2001::/23', 'reserved'], // IETF protocol assignments: Teredo, ORCHID, AS112, ...
	['2001:db8::/32', 'documentation'],
	['3fff::/20', 'documentation'], // RFC 9637
	['fc00::/7', 'unique-local'],
	['fe80::/10', 'link-local'],
	['fec0::/10', 'site-local'],
	['ff00::/8', 'multicast'],
	['2000::/3', 'public'],
];

const ALL_ONES_128 = (1n << 128n) - 1n;
/** Eight full hex groups, the one spelling every IPv6 parser agrees on. */
const fullV6 = (address: bigint) =>
	Array.from({ length: 8 }, (_, index) => ((address >> BigInt(16 * (7 - index))) & 0xffffn).toString(16)).join(':');
/** Expands the well-formed constants of this file (no dotted tails), checked against Node below. */
function v6Value(text: string): bigint {
	const [head, tail] = text.split('::');
	const groupsIn = (half: string | undefined) => (half ? half.split(':') : []);
	const before = groupsIn(head);
	const after = groupsIn(tail);
	const groups = [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
	return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const v6Rows = IPV6_REGISTRY.map(([cidr, meaning]) => {
	const [base, bits] = cidr.split('/');
	const list = new BlockList();
	list.addSubnet(base, Number(bits), 'ipv6');
	const first = v6Value(base);
	const last = first | (ALL_ONES_128 >> BigInt(bits));
	return { cidr, meaning, bits: Number(bits), list, first, last };
});

const rowOf = (address: bigint) => {
	let best: (typeof v6Rows)[number] | undefined;
	for (const row of v6Rows) {
		if (row.list.check(fullV6(address), 'ipv6') && (best === undefined || row.bits > best.bits)) best = row;
	}
	return best;
};
/** The IPv4 address an IPv6 address carries by its row, if it carries one. */
function carriedV4(address: bigint, meaning: V6Meaning | undefined): number | null {
	if (meaning === 'IPv4 in the low 32 bits') return Number(address & 0xffffffffn);
	if (meaning === 'IPv4 in bits 16-47') return Number((address >> 80n) & 0xffffffffn);
	return null;
}
function expectedV6(address: bigint): AddressKind {
	const row = rowOf(address);
	if (row === undefined) return 'reserved';
	const v4 = carriedV4(address, row.meaning);
	return v4 === null ? (row.meaning as AddressKind) : expectedV4(v4);
}

/** The guard's kind for an IPv6 address, as written and as a URL leaves it (which must agree). */
function judgedV6(address: bigint): AddressKind {
	const asWritten = classifyHost(fullV6(address));
	const inUrl = hostOf(`http://[${fullV6(address)}]/`);
	expect([fullV6(address), inUrl.kind]).toEqual([fullV6(address), asWritten.kind]);
	return asWritten.kind;
}

/** One IPv4 address from every IPv4 row, and public ones, to put inside the IPv6 forms that carry one. */
const carriedSamples = [...v4Rows.map((row) => row.first), ...v4Rows.map((row) => row.last), quadValue('8.8.8.8'), quadValue('1.2.3.4')];

describe('IPv6 special-purpose registry, row by row', () => {
	it('the rows of this test are what Node reads them as', () => {
		for (const row of v6Rows) {
			expect([row.cidr, row.list.check(fullV6(row.first), 'ipv6'), row.list.check(fullV6(row.last), 'ipv6')]).toEqual([row.cidr, true, true]);
			if (row.first > 0n) expect([row.cidr, row.list.check(fullV6(row.first - 1n), 'ipv6')]).toEqual([row.cidr, false]);
			if (row.last < ALL_ONES_128) expect([row.cidr, row.list.check(fullV6(row.last + 1n), 'ipv6')]).toEqual([row.cidr, false]);
		}
	});

	it.each(v6Rows.map((row) => [row.cidr, row.meaning, row] as const))(
		'%s (%s): first and last address, and the addresses just outside',
		(cidr, meaning, row) => {
			for (const address of [row.first, row.last]) expect([fullV6(address), judgedV6(address)]).toEqual([fullV6(address), expectedV6(address)]);
			if (carriedV4(row.first, meaning) === null) {
				expect([cidr, judgedV6(row.first), judgedV6(row.last)]).toEqual([cidr, meaning, meaning]);
			}
			for (const outside of [row.first - 1n, row.last + 1n].filter((address) => address >= 0n && address <= ALL_ONES_128)) {
				const kind = judgedV6(outside);
				expect([fullV6(outside), kind]).toEqual([fullV6(outside), expectedV6(outside)]);
				// Just outside, the row's kind (or the kind of the IPv4 address it would carry) must not stick.
				const wouldBe = carriedV4(outside, meaning) === null ? meaning : expectedV4(carriedV4(outside, meaning) as number);
				expect([fullV6(outside), kind]).not.toEqual([fullV6(outside), wouldBe]);
			}
		},
	);

	it.each(v6Rows.filter((row) => carriedV4(row.first, row.meaning) !== null).map((row) => [row.cidr, row] as const))(
		'%s is judged by the IPv4 address it carries, whichever that is',
		(_cidr, row) => {
			for (const v4 of carriedSamples) {
				const address = row.meaning === 'IPv4 in the low 32 bits' ? row.first | BigInt(v4) : row.first | (BigInt(v4) << 80n);
				expect([fullV6(address), judgedV6(address)]).toEqual([fullV6(address), expectedV6(address)]);
			}
		},
	);

	// Flipping the lowest prefix bit of any one group leaves the row: the guard must then
	// stop reading an IPv4 address there, or stop giving the row's kind.
	it.each(v6Rows.map((row) => [row.cidr, row] as const))('%s: an address that differs in any one prefix group is outside it', (_cidr, row) => {
		const insides =
			carriedV4(row.first, row.meaning) === null
				? [row.first, row.last]
				: carriedSamples.map((v4) => (row.meaning === 'IPv4 in the low 32 bits' ? row.first | BigInt(v4) : row.first | (BigInt(v4) << 80n)));
		for (const inside of insides) {
			for (let group = 0; group < 8 && row.bits - 16 * group > 0; group++) {
				const prefixBitsInGroup = Math.min(16, row.bits - 16 * group);
				const neighbour = inside ^ (1n << BigInt(16 * (7 - group) + 16 - prefixBitsInGroup));
				expect([fullV6(neighbour), row.list.check(fullV6(neighbour), 'ipv6')]).toEqual([fullV6(neighbour), false]);
				expect([fullV6(neighbour), judgedV6(neighbour)]).toEqual([fullV6(neighbour), expectedV6(neighbour)]);
			}
		}
	});
});

/** RFC 6761 / 6762 appendix G names, ICANN's .internal, and the home-network names routers hand out. */
const LOCAL_NAME_SUFFIXES = [
	'localhost', 'localdomain', 'local', 'internal', 'intranet', 'private', 'corp', 'home', 'lan', 'home.arpa',
	'test', 'invalid', 'onion',
];

describe('local network names', () => {
	it.each(LOCAL_NAME_SUFFIXES)('%s, and any name under it, is refused as a local network name', (suffix) => {
		for (const host of [suffix, `files.${suffix}`, `a.b.${suffix}.`, `CDN.${suffix.toUpperCase()}`]) {
			expect([host, classifyHost(host)]).toEqual([host, { kind: 'local name', literal: null }]);
			expect([host, hostOf(`https://${host}/a.png`).kind]).toEqual([host, 'local name']);
		}
	});

	it.each(LOCAL_NAME_SUFFIXES)('a public name that merely contains or ends in the letters %s is public', (suffix) => {
		for (const host of [`files.my${suffix}`, `${suffix}.example.com`, `my${suffix}.example`]) {
			expect([host, classifyHost(host).kind]).toEqual([host, 'public']);
		}
	});

	it('a one-label name is resolved through the search domains, so it is a local name whatever it says', () => {
		for (const host of ['fileserver', 'notlocal', 'nas', 'cdn']) {
			expect([host, classifyHost(host).kind, hostOf(`http://${host}/`).kind]).toEqual([host, 'local name', 'local name']);
		}
	});

	it('the refusal names a local network name as such, and how to allow it', () => {
		expect(refusal('nas.lan', classifyHost('nas.lan').kind, false)).toBe(
			'nas.lan is a local network name (allowed only with the Allow Private Network Hosts option)',
		);
		expect(refusal('nas.lan', classifyHost('nas.lan').kind, true)).toBeNull();
	});
});

/** What WHATWG URL (Node's, as axios uses) makes of a host: a dotted quad, another name, or a refusal to parse. */
function urlView(text: string): { ipv4: string } | { name: string } | 'invalid' {
	let hostname: string;
	try {
		hostname = new URL(`http://${text}/`).hostname;
	} catch {
		return 'invalid';
	}
	return isIPv4(hostname) ? { ipv4: hostname } : { name: hostname };
}

/**
 * An IPv4 spelling is read exactly as URL reads it. Deliberate differences, for
 * text that does not come through URL (resolver answers, a socket's peer):
 * - a number part longer than 32 characters (only leading zeros can make one
 *   valid) is not read as a number, so such text is never taken for an address;
 * - any number of trailing dots is ignored in a name (URL ignores one), so
 *   `1.2.3.4..` is judged like `1.2.3.4`, a spelling that did not parse.
 */
function expectReadAsUrlDoes(text: string) {
	const seen = urlView(text);
	const host = classifyHost(text);
	const overLong = text.split('.').some((part) => part.length > 32);
	if (typeof seen === 'object' && 'ipv4' in seen && !overLong) {
		expect([text, parseIPv4(text)]).toEqual([text, quadValue(seen.ipv4)]);
		expect([text, host]).toEqual([text, { kind: expectedV4(quadValue(seen.ipv4)), literal: seen.ipv4 }]);
		return;
	}
	expect([text, parseIPv4(text), host.literal]).toEqual([text, null, null]);
	if (overLong) return;
	if (seen === 'invalid') {
		// URL would not fetch it; as written it must not pass either.
		expect([text, host.kind]).not.toEqual([text, 'public']);
		return;
	}
	const name = text.replace(/\.+$/, '');
	const nameSeen = urlView(name);
	if (name === '') expect([text, host.kind]).toEqual([text, 'reserved']);
	else if (!name.includes('.')) expect([text, host.kind]).toEqual([text, 'local name']);
	else if (typeof nameSeen === 'object' && 'name' in nameSeen) expect([text, host.kind]).toEqual([text, 'public']);
	else expect([text, host.kind]).not.toEqual([text, 'public']);
}

describe('IPv4 spellings are read as WHATWG URL reads them', () => {
	it.each([
		// hex parts: only hex digits after 0x
		'0x1g', '0xg1', '1.0x1g', '127.0.0.0x1g', '0x7f.0xg', '0x', '0X1.0xA', '0xffffffff', '0x100000000',
		// octal parts: only 0-7 after the leading 0
		'0a7', '078', '087', '0177.1', '0400.1', '00',
		// decimal parts: only digits
		'a1', '1a', '127.0.0.1a', '127.a1',
		// at most four parts, bytes before the last at most 255
		'1.2.3.4.0', '127.0.0.1.0', '127.0.0.1.0.', '256.1', '1.256.0.1', '0.0.0.256', '1.2.3.4.5',
		// empty parts and trailing dots
		'1.', '1..2', '.1', '1.2.3.4..', '.', '127.0.0.1.',
		// names whose last label looks like a number are spellings that did not parse
		'f.12', 'f.a1', 'f.1a', 'g.0x12', 'g.0x', 'g.0xg', 'a.08', 'example.1.2',
		// the 32-character cap on a part: 32 characters are read, 33 are not
		`${'0'.repeat(31)}1`, `127.0.0.${'0'.repeat(31)}1`, `0x${'0'.repeat(29)}7f.1`,
		`${'0'.repeat(32)}1`, `127.0.0.${'0'.repeat(32)}1`, `0x${'0'.repeat(30)}7f.1`,
	])('%p', (text) => {
		expectReadAsUrlDoes(text);
	});

	it('zero-padded parts up to 32 characters are numbers; longer ones make the text a name, never an address', () => {
		expect(parseIPv4(`127.0.0.${'0'.repeat(31)}1`)).toBe(quadValue('127.0.0.1'));
		expect(parseIPv4(`127.0.0.${'0'.repeat(32)}1`)).toBeNull();
		expect(classifyHost(`127.0.0.${'0'.repeat(32)}1`)).toEqual({ kind: 'reserved', literal: null });
	});

	it('property: any text made of IPv4 number pieces', () => {
		const piece = fc.oneof(
			fc.constantFrom(
				'0', '1', '7', '8', '9', '10', '127', '255', '256', '65535', '65536', '16777215', '16777216', '4294967295', '4294967296',
				'0x', '0X', '0x7f', '0XFF', '0x100', '0xg', '0x1g', '0xg1', '00', '07', '08', '0177', '0377', '0400', '078', '087', '0a7',
				'a', 'f', 'g', 'x', 'a1', '1a', 'ff', '',
			),
			fc.integer({ min: 0, max: 2 ** 32 }).map(String),
			fc.integer({ min: 0, max: 2 ** 32 }).map((n) => `0x${n.toString(16)}`),
			fc.integer({ min: 0, max: 2 ** 32 }).map((n) => `0${n.toString(8)}`),
			fc.tuple(fc.integer({ min: 0, max: 36 }), fc.constantFrom('1', '7f', 'x7f', '9')).map(([zeros, rest]) => '0'.repeat(zeros) + rest),
		);
		const text = fc
			.tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '', '.', '..'))
			.map(([pieces, end]) => pieces.join('.') + end);
		fc.assert(fc.property(text, expectReadAsUrlDoes), { numRuns: 600 });
	});
});

/** Brackets around the whole text and a `%zone` are allowed: a socket reports `fe80::1%eth0`. */
function addressPart(text: string): string {
	const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
	return inner.includes('%') ? inner.slice(0, inner.indexOf('%')) : inner;
}
/** The address IPv6 text is, as Node judges it (brackets and a zone aside), or null. */
function nodeView(text: string): string | null {
	const inner = addressPart(text);
	return isIPv6(inner) ? inner : null;
}

function expectIPv6AsNodeReads(text: string) {
	const address = nodeView(text);
	const groups = parseIPv6(text);
	const host = classifyHost(text);
	if (address === null) {
		expect([text, groups]).toEqual([text, null]);
		if (text.includes(':')) expect([text, host]).toEqual([text, { kind: 'reserved', literal: null }]);
		return;
	}
	expect([text, groups?.length, groups?.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff)]).toEqual([text, 8, true]);
	const value = (groups as number[]).reduce((sum, group) => (sum << 16n) | BigInt(group), 0n);
	const same = new BlockList();
	same.addAddress(fullV6(value), 'ipv6');
	expect([text, same.check(address, 'ipv6')]).toEqual([text, true]);
	// The literal is what the download is pinned to: it must be the address that was judged.
	const pinned = host.literal === null ? null : nodeView(host.literal);
	expect([text, host.kind, pinned !== null && same.check(pinned, 'ipv6')]).toEqual([text, expectedV6(value), true]);
}

describe('IPv6 text is read as Node reads it', () => {
	it.each([
		// the longest address text there is (45 characters), and the byte limit of a dotted tail
		'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255', '0000:0000:0000:0000:0000:ffff:192.168.100.200', '::ffff:1.2.3.255', '::ffff:1.2.3.256',
		// a dotted tail has four decimal bytes of one to three digits, and is the last group only
		'::1.2.3', '::1.2.3.4.5', '::a1.2.3.4', '::1.2.3.4a', '::ffff:192.168.1.10', '::ffff:1000.1.1.1', '1.2.3.4:5::', '1.2.3.4:5:6:7:8:9:a', '::1.2.3.4:5',
		'::ffff:010.0.0.1', '::ffff:10.0.0.01',
		// groups are one to four hex digits
		'::12345', '::g1', '::1g', '12345::', '1:2:3:4:5:6:7:00000', '::ABCD',
		// eight groups, or "::" standing for at least one
		'1:2:3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1:2:3:4::5:6:7:8', '1::2::3', ':::1', '::',
		// brackets around the whole text, and a zone
		'[::1]', '[::1', '::1]', '1::1]', '[1::1', 'x::1]', '[fe80::1%eth0]', 'fe80::1%eth0', 'fe80::1%', '[]', '%eth0',
	])('%p', (text) => {
		expectIPv6AsNodeReads(text);
	});

	it('property: any text made of IPv6 pieces', () => {
		const group = fc.oneof(
			{ weight: 8, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)) },
			{ weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).toUpperCase().padStart(4, '0')) },
			{ weight: 2, arbitrary: fc.constantFrom('0', '1', 'ffff', '12345', '00000', 'g', 'g1', '1g', '') },
		);
		const byte = fc.integer({ min: 0, max: 255 });
		const dotted = fc.oneof(
			{ weight: 3, arbitrary: fc.tuple(byte, byte, byte, byte).map((bytes) => bytes.join('.')) },
			{ weight: 1, arbitrary: fc.constantFrom('1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.256', 'a1.2.3.4', '1.2.3.4a', '01.2.3.4', '1000.1.1.1', '1..3.4') },
		);
		const structured = fc
			.record({
				groups: fc.array(group, { minLength: 0, maxLength: 9 }),
				gap: fc.option(fc.tuple(fc.nat(9), fc.nat(9)), { freq: 2 }),
				tail: fc.option(dotted, { freq: 2 }),
				wrap: fc.constantFrom('', '', '', '[]', '[', ']', 'x]', '%eth0', '[%eth0]', '%'),
			})
			.map(({ groups, gap, tail, wrap }) => {
				const pieces = tail === null ? groups : [...groups, tail];
				let text = pieces.join(':');
				if (gap !== null) {
					const from = Math.min(gap[0], gap[1], pieces.length);
					const to = Math.min(Math.max(gap[0], gap[1]), pieces.length);
					text = `${pieces.slice(0, from).join(':')}::${pieces.slice(to).join(':')}`;
				}
				if (wrap === '[]') return `[${text}]`;
				if (wrap === '[%eth0]') return `[${text}%eth0]`;
				if (wrap === '[') return `[${text}`;
				return text + wrap;
			});
		const soup = fc
			.array(fc.constantFrom('0', '1', 'a', 'F', 'ffff', '12345', 'g', '1.2.3.4', '255.255.255.255', '1.2.3', ':', '::', ':::', '%eth0', '[', ']', '.'), {
				minLength: 1,
				maxLength: 10,
			})
			.map((tokens) => tokens.join(''));
		fc.assert(fc.property(fc.oneof({ weight: 3, arbitrary: structured }, { weight: 1, arbitrary: soup }), expectIPv6AsNodeReads), { numRuns: 800 });
	});

	it.each([
		['fe80::1%eth0', 'fe80::1'],
		['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
		['2606:4700:4700::1111', '2606:4700:4700::1111'],
		['2606:4700:4700::AbCd', '2606:4700:4700::abcd'],
		['[2606:4700:4700::1111]', '2606:4700:4700::1111'],
	])('a resolver answer %p pins the download to %p', (answer, pinned) => {
		expect(classifyHost(answer).literal).toBe(pinned);
	});
});

describe('text that only looks like IPv6 with an IPv4 tail', () => {
	// Found by comparing with Node: a dotted quad before "::" was read as two groups, so
	// `32.1.2.3::` passed as 2001:203:: (public), and the zero-padded `::ffff:010.0.0.1`
	// was read as 10.0.0.1 while URL refuses that text, so the pinned literal differed.
	it('is refused: a dotted quad anywhere but at the very end, or with a zero-padded byte', () => {
		expect([parseIPv6('1.2.3.4::'), parseIPv6('[32.1.2.3::5]'), parseIPv6('::ffff:010.0.0.1'), parseIPv6('::ffff:10.0.0.01')]).toEqual([null, null, null, null]);
		expect(classifyHost('32.1.2.3::')).toEqual({ kind: 'reserved', literal: null });
		expect(classifyHost('::ffff:010.0.0.1')).toEqual({ kind: 'reserved', literal: null });
		expect(classifyHost('::ffff:10.0.0.1')).toEqual({ kind: 'private', literal: '::ffff:10.0.0.1' });
		expect(classifyHost('::ffff:0.0.0.0').literal).toBe('::ffff:0.0.0.0');
	});
});
