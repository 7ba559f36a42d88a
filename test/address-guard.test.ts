/**
 * The address guard (issue 11, point 4): every spelling of a non-public address
 * is recognised, as a URL parser leaves it and as written, and public addresses
 * stay allowed.
 */
import fc from 'fast-check';

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
