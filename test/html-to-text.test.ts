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

/**
 * The tag and entity tables, row by row, from the HTML standard (which elements
 * are blocks, which never show text; each entity's code point), not from
 * html-to-text.ts: deleting or mistyping a row changes the text an email gives.
 */
describe('every named entity', () => {
	const ENTITIES: Array<[string, string]> = [
		['amp', '\u0026'], ['lt', '\u003c'], ['gt', '\u003e'], ['quot', '\u0022'], ['apos', '\u0027'],
		['copy', '\u00a9'], ['reg', '\u00ae'], ['trade', '\u2122'], ['hellip', '\u2026'], ['mdash', '\u2014'],
		['ndash', '\u2013'], ['lsquo', '\u2018'], ['rsquo', '\u2019'], ['ldquo', '\u201c'], ['rdquo', '\u201d'],
		['laquo', '\u00ab'], ['raquo', '\u00bb'], ['bull', '\u2022'], ['middot', '\u00b7'], ['euro', '\u20ac'],
		['pound', '\u00a3'], ['yen', '\u00a5'], ['cent', '\u00a2'], ['deg', '\u00b0'], ['times', '\u00d7'],
		['divide', '\u00f7'], ['sect', '\u00a7'], ['para', '\u00b6'], ['iexcl', '\u00a1'], ['iquest', '\u00bf'],
		// Spaces of every width read as one plain space; invisible ones disappear.
		['nbsp', ' '], ['ensp', ' '], ['emsp', ' '], ['thinsp', ' '], ['zwnj', ''], ['zwj', ''], ['shy', ''],
	];
	it.each(ENTITIES)('&%s; is %j', (name, text) => {
		expect(decodeEntities(`x&${name};y`)).toBe(`x${text}y`);
		expect(decodeEntities(`x&${name.toUpperCase()};y`)).toBe(`x${text}y`);
	});
	it('an unknown name, or a name too short or too long, stays as written', () => {
		for (const text of ['&eacute;', '&a;', '&abcdefghi;', '&amp', '& amp;']) expect(decodeEntities(text)).toBe(text);
	});
	it('numeric references: decimal and hex in either case; tab and newline but no other control character', () => {
		expect(decodeEntities('&#65;&#x42;&#X43;&#x1f600;')).toBe('ABC\u{1f600}');
		expect(decodeEntities('a&#9;b&#10;c')).toBe('a\tb\nc');
		for (const bad of ['&#0;', '&#8;', '&#11;', '&#31;', '&#xD800;', '&#xDFFF;', '&#x110000;', '&#1114112;']) expect(decodeEntities(bad)).toBe(bad);
		expect(decodeEntities('&#32;&#xD7FF;&#xE000;&#x10FFFF;')).toBe(' \ud7ff\ue000\u{10ffff}');
		expect(decodeEntities('&#12345678;&#x1234567;')).toBe('&#12345678;&#x1234567;');
	});
	it('text without an ampersand is returned as it is', () => {
		expect(decodeEntities('no entities here')).toBe('no entities here');
	});
});

describe('every block, paragraph, cell and hidden tag', () => {
	const LINE = ['address', 'article', 'aside', 'center', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'li', 'main', 'nav', 'section', 'tbody', 'thead', 'tfoot', 'tr', 'body', 'html'];
	const PARAGRAPH = ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'table', 'ul', 'ol', 'pre'];
	const HIDDEN = ['script', 'style', 'head', 'title', 'template', 'noscript', 'svg'];
	it.each(LINE)('<%s> starts and ends a line', (tag) => {
		expect(htmlToText(`before<${tag}>inside</${tag}>after`)).toBe('before\ninside\nafter');
		expect(htmlToText(`before<${tag.toUpperCase()} class="x">inside</${tag.toUpperCase()}>after`)).toBe('before\ninside\nafter');
	});
	it.each(PARAGRAPH)('<%s> stands apart as a paragraph', (tag) => {
		expect(htmlToText(`before<${tag}>inside</${tag}>after`)).toBe('before\n\ninside\n\nafter');
	});
	it('<hr> is a paragraph break on its own', () => {
		expect(htmlToText('above<hr>below')).toBe('above\n\nbelow');
		expect(htmlToText('above<hr/>below')).toBe('above\n\nbelow');
	});
	it.each(HIDDEN)('<%s> never shows its content', (tag) => {
		expect(htmlToText(`<b>seen</b><${tag}>hidden <p>also hidden</p></${tag}><b>too</b>`)).toBe('seentoo');
	});
	it.each(['td', 'th'])('<%s> cells on one row are separated by a space', (tag) => {
		expect(htmlToText(`<table><tr><${tag}>a</${tag}><${tag}>b</${tag}><${tag}>c</${tag}></tr></table>`)).toBe('a b c');
	});
	it('inline tags run into the text around them', () => {
		expect(htmlToText('<p>one<span>two</span><b>three</b><a href="x">four</a></p>')).toBe('onetwothreefour');
		expect(htmlToText('<p>one <span>two</span> <b>three</b></p>')).toBe('one two three');
	});
});

describe('the scanner, case by case', () => {
	it('a self-closed hidden tag hides nothing', () => {
		expect(htmlToText('<p>a<svg/>b</p>')).toBe('ab');
		expect(htmlToText('<p>a<script src="x" />b</p>')).toBe('ab');
	});
	it('the hidden part ends only at its own closing tag, in any case', () => {
		expect(htmlToText('<p>a<style>p{}</p><b>x</b></STYLE>b</p>')).toBe('ab');
		expect(htmlToText('<p>a<style>p{}')).toBe('a');
	});
	it('comments are dropped; an unterminated comment drops the rest', () => {
		expect(htmlToText('<p>a<!-- <p>not</p> -->b</p>')).toBe('ab');
		expect(htmlToText('<p>a</p><!-- never closed <p>b</p>')).toBe('a');
	});
	it('doctype and processing instructions are dropped, a lone < is text', () => {
		expect(htmlToText('<!DOCTYPE html><?xml version="1.0"?><p>a <3 b</p>')).toBe('a <3 b');
		expect(htmlToText('<p>1 < 2 and 3 <= 4</p>')).toBe('1 < 2 and 3 <= 4');
		expect(htmlToText('<p>x</p>a<')).toBe('x\n\na<');
	});
	it('a tag name ends at the first character that is not a letter or digit', () => {
		expect(htmlToText('<p>a<h1>b</h1>c<h2/>d</p>')).toBe('a\n\nb\n\nc\n\nd');
		expect(htmlToText('<div>x</div><div\n>y</div>')).toBe('x\ny');
		expect(htmlToText('a<brx>b')).toBe('ab');
		// Unknown tags (any letters, digits after the first) are inline: p0 is not p.
		expect(htmlToText('a<zoom>b</zoom>c<Zed>d')).toBe('abcd');
		expect(htmlToText('a<p0>b<p9>c<pz>d<pZ>e</pZ>')).toBe('abcde');
		expect(htmlToText('a<br>b<br/>c<BR />d')).toBe('a\nb\nc\nd');
	});
	it('<br> breaks lines, two in a row leave one empty line, and a leading <br> adds nothing', () => {
		expect(htmlToText('<div><br>a<br><br>b<br><br><br><br>c</div>')).toBe('a\n\nb\n\nc');
		expect(htmlToText('<p>a</p><br><p>b</p>')).toBe('a\n\nb');
		expect(htmlToText('<div>a<br></div><div>b</div>')).toBe('a\nb');
	});
	it('breaks are paid only before more text: no trailing or stacked empty lines', () => {
		expect(htmlToText('<div><div><div>a</div></div></div><div><p>b</p></div>')).toBe('a\n\nb');
		expect(htmlToText('<p>a</p><p></p><p> </p><p>b</p>')).toBe('a\n\nb');
		expect(htmlToText('<ul><li>a</li> <li>b</li></ul>')).toBe('a\nb');
	});
	it('whitespace between inline elements is one space; inside blocks it is collapsed', () => {
		expect(htmlToText('<b>a</b>\n\t <i>b</i>')).toBe('a b');
		expect(htmlToText('<p>a\u00a0\u00a0b\t\tc</p>')).toBe('a b c');
		expect(htmlToText('<p>  a  </p>')).toBe('a');
	});
	it('entities are decoded once, after the tags: &lt;p&gt; is text, not a tag', () => {
		expect(htmlToText('<p>&lt;p&gt;hi&lt;/p&gt; &amp;amp;</p>')).toBe('<p>hi</p> &amp;');
	});
	it('text is HTML only when it has a tag, a closing tag, <br> or a comment (then source newlines are spaces)', () => {
		expect(htmlToText('if a<5 and c>d then\n\n\n\nok')).toBe('if a<5 and c>d then\n\nok');
		expect(htmlToText('Dear <name>,\nhello')).toBe('Dear , hello');
		expect(htmlToText('line one<br>line two')).toBe('line one\nline two');
		expect(htmlToText('keep <!-- this -->?')).toBe('keep ?');
		expect(htmlToText('x </b> y')).toBe('x y');
		expect(htmlToText('a<p>b')).toBe('a\n\nb');
		expect(htmlToText('a<p class="x">b')).toBe('a\n\nb');
		expect(htmlToText('a<br/>b')).toBe('a\nb');
	});
	it('plain text: Windows and old Mac line ends become \\n; spaces and tabs collapse, lines are trimmed', () => {
		expect(htmlToText('a\r\nb\rc\n  d  \t e\f\v\n\n\n\nf')).toBe('a\nb\nc\nd e\n\nf');
	});
});

describe('more of the scanner', () => {
	it('blank lines before and after the text are dropped', () => {
		expect(htmlToText('\n\n  hello  \n\n')).toBe('hello');
		expect(htmlToText('<br><br><p>hello</p><br>')).toBe('hello');
	});
	it('a <br> after a paragraph keeps the paragraph break', () => {
		expect(htmlToText('<p>a</p><br>b')).toBe('a\n\nb');
	});
	it('a comment starts at its own <!--, not at an earlier -->', () => {
		expect(htmlToText('<p>a--><!--b-->c</p>')).toBe('a-->c');
	});
	it('a tag name is letters and digits: punctuation after it ends the name', () => {
		for (const tag of ['br:x', 'br{', 'br[', 'br@']) expect([tag, htmlToText(`a<${tag}>b`)]).toEqual([tag, 'a\nb']);
	});
	it('a tag starts with a letter: < before punctuation is text', () => {
		for (const text of ['a<{b>c', 'a<[b>c', 'a<`b>c', 'a<@b>c']) expect([text, htmlToText(`<p>${text}</p>`)]).toEqual([text, text]);
	});
	it('a cell outside a row still opens with a space, its closing tag adds none', () => {
		expect(htmlToText('<p>a<td>b</td>c</p>')).toBe('a bc');
	});
});
