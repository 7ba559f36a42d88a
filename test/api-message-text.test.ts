/**
 * Messages read from HighLevel's API as the action node's items (Message > Get,
 * Conversation > Get Messages) and the trigger's Complete Missing Media show
 * them: `text` readable (email HTML as plain text, other channels as written),
 * and single records unwrapped from the live API's `{"message": {...}}`.
 */
import { unwrap, withReadableText } from '../nodes/HighLevel/api/message-text';

describe('readable text', () => {
	it('an SMS reads exactly as it was written, even where it looks like HTML', () => {
		// Only email is HTML: an SMS with "<VIP20>" or indented lines is not markup.
		const body = 'Use code <VIP20> at checkout.\n\n\n  Menu:\n    1) Pizza';
		expect(withReadableText({ id: 'm-1', messageType: 'TYPE_SMS', body, contentType: 'text/plain' })).toMatchObject({
			channel: 'SMS',
			text: body,
		});
	});

	it('an email is HTML even when HighLevel leaves out its content type', () => {
		expect(withReadableText({ id: 'm-2', messageType: 'TYPE_EMAIL', body: '<p>Hello&nbsp;Jane,</p><p>see <b>you</b></p>' })).toMatchObject({
			channel: 'Email',
			text: 'Hello Jane,\n\nsee you',
		});
	});

	it('another channel whose content type is HTML is made readable too', () => {
		expect(
			withReadableText({ id: 'm-3', messageType: 'TYPE_LIVE_CHAT', body: '<div>Hi<br>there</div>', contentType: 'text/html; charset=utf-8' }),
		).toMatchObject({ channel: 'Live Chat', text: 'Hi\nthere' });
	});

	it.each([
		['a call without a body', { id: 'c-1', messageType: 'TYPE_CALL', status: 'completed' }, 'Call'],
		['an email without a body', { id: 'e-1', messageType: 'TYPE_EMAIL', contentType: 'text/html' }, 'Email'],
		['an SMS whose body is null', { id: 's-1', messageType: 'TYPE_SMS', body: null }, 'SMS'],
	])('%s has empty text', (_, message, channel) => {
		expect(withReadableText(message)).toMatchObject({ channel, text: '' });
	});

	// REAL (minor) bug: the trigger's own items give an email whose body is only
	// whitespace the text '' (normalize.ts: htmlToText, or plainText), and the
	// README promises Message > Get / Get Messages read text "as the trigger's
	// items have them"; readableText keeps the whitespace, so a workflow's
	// "text is empty" check says no.
	it('an email whose body is only whitespace has empty text, as the trigger\'s items have', () => {
		expect(withReadableText({ id: 'e-2', messageType: 'TYPE_EMAIL', body: ' \n\t ', contentType: 'text/html' }).text).toBe('');
	});
});

describe('single records, wrapped as the live API sends them or bare as its document shows', () => {
	it('a bare record with a field of the same name is kept whole', () => {
		// It has an id: it is the record, and its own `message` field is data.
		const record = { id: 'm-2', messageType: 'TYPE_CUSTOM_SMS', message: { provider: 'twilio' } };
		expect(unwrap(record, 'message')).toEqual(record);
	});

	it('a record that is null is passed on as it came, not as nothing', () => {
		// Contact > Get / Message > Get then output `{"contact": null}` instead of failing on null.
		// An empty answer (none, or {}) is covered by the trigger's tests: enrichment.test.ts
		// (Include Contact, "no body at all"; a 404 in Complete Missing Media) and enrich.test.ts.
		expect(unwrap({ contact: null, traceId: 't-2' }, 'contact')).toEqual({ contact: null, traceId: 't-2' });
	});
});
