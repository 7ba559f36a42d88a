/**
 * Download Attachments: against a local file host, through webhook() with
 * n8n-core's own httpRequest helper. The host is on loopback, so these tests
 * turn on Allow Private Network Hosts; without it the host is refused.
 */
import { callWebhook } from './helpers/harness';
import { type FileServer, PNG, startFileServer } from './helpers/file-server.cjs';
import { itemSpec } from './helpers/item-spec';
import { readExample } from './helpers/io.cjs';

let server: FileServer;
beforeAll(async () => {
	server = await startFileServer();
});
afterAll(async () => {
	await server.close();
});

const DOWNLOAD = {
	authentication: 'none',
	options: { downloadAttachments: true, attachmentTimeoutSeconds: 1, attachmentMaxSizeMb: 1, attachmentAllowPrivateNetwork: true },
};

function withAttachments(...paths: string[]) {
	return { ...readExample('inbound-call-answered').json, timestamp: new Date().toISOString(), attachments: paths.map((path) => (path.includes(':') ? path : `${server.base}${path}`)) };
}

describe('Download Attachments', () => {
	it('is off by default: URLs only, no binary, no download', async () => {
		const before = server.hits.length;
		const answer = await callWebhook({ body: withAttachments('/photo.png'), parameters: { authentication: 'none' } });
		expect(answer.started).toBe(true);
		expect(answer.binary).toBeUndefined();
		expect(answer.item && 'attachmentDownloads' in answer.item).toBe(false);
		expect(server.hits.length).toBe(before);
	});

	it('refuses the loopback file host by default: recorded on the item, never contacted, the message still runs', async () => {
		const before = server.hits.length;
		const parameters = { authentication: 'none', options: { downloadAttachments: true } };
		const answer = await callWebhook({ body: withAttachments('/photo.png'), parameters });
		expect(answer.started).toBe(true);
		expect(answer.item?.attachmentDownloads).toEqual([
			{
				url: `${server.base}/photo.png`,
				binaryProperty: null,
				fileName: null,
				mimeType: null,
				bytes: null,
				error: 'refused: 127.0.0.1 is a loopback address (allowed only with the Allow Private Network Hosts option)',
			},
		]);
		expect(server.hits.length).toBe(before);
	});

	it('downloads each file into attachment_N with its name and MIME type, before the 200 (which waits for the execution)', async () => {
		const answer = await callWebhook({ body: withAttachments('/recording', '/photo.png'), parameters: DOWNLOAD });
		expect(answer.status).toBe(200);
		expect(answer.repliedBeforeDownload).toBe(false);
		expect(answer.binary?.attachment_0).toMatchObject({ fileName: 'call-123.mp3', mimeType: 'audio/mpeg', fileSize: '2048' });
		expect(answer.binary?.attachment_1).toMatchObject({ fileName: 'photo.png', mimeType: 'image/png' });
		expect(Buffer.from(String(answer.binary?.attachment_1.data), 'base64').equals(PNG)).toBe(true);
		expect(answer.item?.attachmentDownloads).toEqual([
			{ url: `${server.base}/recording`, binaryProperty: 'attachment_0', fileName: 'call-123.mp3', mimeType: 'audio/mpeg', bytes: 2048, error: null },
			{ url: `${server.base}/photo.png`, binaryProperty: 'attachment_1', fileName: 'photo.png', mimeType: 'image/png', bytes: PNG.length, error: null },
		]);
		// The call block still points at the recording URL.
		expect(answer.item?.call).toMatchObject({ recordingUrl: `${server.base}/recording` });
		const json = { ...answer.item };
		delete json.attachmentDownloads;
		expect(itemSpec.safeParse(json).success).toBe(true);
	});

	it.each([
		['404', '/missing', /^HTTP 404/],
		['slow', '/slow?ms=3000', /^timed out after 1 s$/],
		['redirected to the metadata address', '/redirect?to=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F', /^refused: 169\.254\.169\.254 is a link-local address$/],
		['oversized (declared)', '/big?bytes=3145728', /3 MB is over the 1 MB limit/],
		['oversized (streamed, no length)', '/big-chunked', /more than the 1 MB limit/],
		['web page instead of a file', '/page', /web page \(text\/html\)/],
		['not http', 'ftp://example.com/file.mp3', /not an http\(s\) URL/],
		['not a URL', 'call recording url', /not a URL/],
	])('%s: the item is still emitted, with a clear per-file error', async (_name, path, message) => {
		const answer = await callWebhook({ body: withAttachments(path, '/photo.png'), parameters: DOWNLOAD });
		expect([answer.status, answer.started]).toEqual([200, true]);
		const [failed, ok] = answer.item?.attachmentDownloads as Array<Record<string, unknown>>;
		expect(failed).toMatchObject({ binaryProperty: null, bytes: null });
		expect(String(failed.error)).toMatch(message);
		expect(ok).toMatchObject({ binaryProperty: 'attachment_1', error: null });
		expect(Object.keys(answer.binary ?? {})).toEqual(['attachment_1']);
	});

	it('a message without attachments downloads nothing and has no attachmentDownloads', async () => {
		const answer = await callWebhook({ body: { ...readExample('inbound-sms').json, timestamp: new Date().toISOString() }, parameters: DOWNLOAD });
		expect(answer.started).toBe(true);
		expect(answer.item && 'attachmentDownloads' in answer.item).toBe(false);
	});
});
