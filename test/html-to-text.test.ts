import { decodeEntities, htmlToText } from '../nodes/HighLevel/html-to-text';

describe('htmlToText', () => {
	it('turns the HighLevel example email into its words', () => {
		expect(
			htmlToText('<div style="font-family: verdana, geneva; font-size: 11pt;">Testing Email Notification</div>'),
		).toBe('Testing Email Notification');
	});
	it('makes block tags and <br> into line breaks', () => {
		expect(htmlToText('<p>Hello Jane,</p><p>Your order<br>is ready.</p><div>Thanks</div><div>Team</div>')).toBe(
			'Hello Jane,\n\nYour order\nis ready.\n\nThanks\nTeam',
		);
	});
	it('drops scripts, styles, head and comments', () => {
		expect(
			htmlToText(
				'<html><head><title>t</title><style>p{color:red}</style></head><body><!-- hidden --><script>alert(1)</script><p>Visible</p></body></html>',
			),
		).toBe('Visible');
	});
	it('decodes named and numeric entities', () => {
		expect(htmlToText('<p>Tom &amp; Jerry &lt;3 &quot;cheese&quot; &#39;ok&#39; &#x1F600; caf&eacute;&nbsp;x</p>')).toBe(
			'Tom & Jerry <3 "cheese" \'ok\' 😀 caf&eacute; x',
		);
		expect(decodeEntities('&#0; &#xD800; &#99999999;')).toBe('&#0; &#xD800; &#99999999;');
	});
	it('tidies whitespace from source formatting', () => {
		expect(htmlToText('<div>\n   Hello\n\n   world   </div>\n\n\n<div>  next </div>')).toBe('Hello world\nnext');
	});
	it('keeps table cells apart and list items on their own lines', () => {
		expect(htmlToText('<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table><ul><li>one</li><li>two</li></ul>')).toBe(
			'a b\nc\n\none\ntwo',
		);
	});
	it('leaves plain text as it is, newlines included', () => {
		expect(htmlToText('Hi,\r\nsee you at 5 < 6 o\'clock\r\n\r\nBye')).toBe("Hi,\nsee you at 5 < 6 o'clock\n\nBye");
	});
	it('survives broken markup in linear time', () => {
		expect(htmlToText('<p>a < b and <b>bold</b> <unclosed')).toBe('a < b and bold <unclosed');
		const hostile = '<script>'.repeat(20_000) + '<div>' + 'x'.repeat(10);
		expect(htmlToText(hostile)).toBe('');
		const many = '<p>x</p>'.repeat(20_000);
		expect(htmlToText(many).split('\n\n')).toHaveLength(20_000);
	});
	it('returns "" for empty markup', () => {
		expect(htmlToText('<div><br></div>')).toBe('');
		expect(htmlToText('')).toBe('');
	});
});
