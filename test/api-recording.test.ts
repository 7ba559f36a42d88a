/**
 * The file a call or voicemail recording becomes (Message > Get Recording, and
 * the trigger's Download Recordings): HighLevel's file name when it gives one,
 * else one made from the message id and the audio type, and the MIME type n8n
 * stores it with.
 */
import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { readRecording } from '../nodes/HighLevel/api/recording';

const AUDIO = Buffer.from([0x52, 0x49, 0x46, 0x46, 0xff, 0x00, 0x80]);

/** HighLevel's answer as n8n's request helper returns it (header names in lower case, as Node gives them). */
function answer(headers: Record<string, string | string[]>): IN8nHttpFullResponse {
	return { body: AUDIO, headers, statusCode: 200 };
}

describe('a nameless recording gets a file name with the extension of its audio type', () => {
	// The extension a player or a storage node expects for each audio type HighLevel serves.
	it.each([
		['audio/x-wav', 'recording-call-7.wav'],
		['audio/wav', 'recording-call-7.wav'],
		['audio/wave', 'recording-call-7.wav'],
		['audio/mpeg', 'recording-call-7.mp3'],
		['audio/mp3', 'recording-call-7.mp3'],
		['audio/ogg', 'recording-call-7.ogg'],
		['audio/webm', 'recording-call-7.webm'],
		['audio/mp4', 'recording-call-7.m4a'],
	])('%s -> %s', (contentType, fileName) => {
		expect(readRecording(answer({ 'content-type': contentType }), 'call-7')).toEqual({ data: AUDIO, fileName, mimeType: contentType });
	});

	it('an audio type not in the list: .wav, HighLevel\'s usual format, and the type as HighLevel gave it', () => {
		expect(readRecording(answer({ 'content-type': 'application/octet-stream' }), 'vm-2')).toEqual({
			data: AUDIO,
			fileName: 'recording-vm-2.wav',
			mimeType: 'application/octet-stream',
		});
	});

	it('no Content-Type at all: stored as WAV (audio/x-wav), what HighLevel serves recordings as', () => {
		expect(readRecording(answer({}), 'vm-3')).toEqual({ data: AUDIO, fileName: 'recording-vm-3.wav', mimeType: 'audio/x-wav' });
	});

	it('the MIME type without its parameters, also with a space before the ";"', () => {
		expect(readRecording(answer({ 'content-type': 'audio/ogg ;codecs=opus' }), 'call-8')).toEqual({
			data: AUDIO,
			fileName: 'recording-call-8.ogg',
			mimeType: 'audio/ogg',
		});
	});
});

describe('HighLevel\'s file name', () => {
	it('is kept, without the spaces around it', () => {
		const recording = readRecording(
			answer({ 'content-type': 'audio/x-wav', 'content-disposition': 'attachment; filename=voicemail 12.wav ; size=7' }),
			'vm-1',
		);
		expect(recording.fileName).toBe('voicemail 12.wav');
	});

	it('cannot name a folder: slashes and backslashes become underscores', () => {
		// n8n and the nodes after it (Write Binary File, storage uploads) use the name as a path part.
		const named = (disposition: string) =>
			readRecording(answer({ 'content-type': 'audio/x-wav', 'content-disposition': disposition }), 'vm-1').fileName;
		expect(named('attachment; filename="../calls/2026\\audio.wav"')).toBe('.._calls_2026_audio.wav');
	});
});
