/**
 * Email HTML -> readable plain text, for the item's `text`.
 *
 * A single left-to-right scan (indexOf, no backtracking regex over the whole
 * body) so that a hostile or huge email costs linear time: HighLevel email bodies
 * are whole HTML documents, and an unterminated `<script` must not make us rescan.
 */

/** Tags that end a line of text. */
const BLOCK_TAGS = new Set([
	'address', 'article', 'aside', 'center', 'dd', 'div', 'dl', 'dt',
	'fieldset', 'figcaption', 'figure', 'footer', 'form',
	'header', 'li', 'main', 'nav', 'section',
	'tbody', 'thead', 'tfoot', 'tr', 'body', 'html',
	// Stryker disable next-line StringLiteral: these are also PARAGRAPH_TAGS, which are checked first
	'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'ol', 'p', 'pre', 'table', 'ul',
]);

/** Tags whose content is never text a reader sees. */
const HIDDEN_TAGS = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg']);

/** Cells sit on one line, separated by a space. */
const CELL_TAGS = new Set(['td', 'th']);

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
	amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ',
	thinsp: ' ', zwnj: '', zwj: '', shy: '', copy: '©', reg: '®', trade: '™', hellip: '…',
	mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«',
	raquo: '»', bull: '•', middot: '·', euro: '€', pound: '£', yen: '¥', cent: '¢',
	deg: '°', times: '×', divide: '÷', sect: '§', para: '¶', iexcl: '¡', iquest: '¿',
};

const ENTITY = /&(#\d{1,7}|#[xX][\da-fA-F]{1,6}|[a-zA-Z]{2,8});/g;
const LOOKS_LIKE_HTML = /<(?:[a-zA-Z][a-zA-Z0-9]*[\s/>]|\/[a-zA-Z]|!--|br\b)/i;

export function decodeEntities(text: string): string {
	// Stryker disable next-line ConditionalExpression,StringLiteral: a fast path; without '&' the pattern replaces nothing
	if (!text.includes('&')) return text;
	return text.replace(ENTITY, (whole, name: string) => {
		if (name[0] !== '#') return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
		const code =
			name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
		// Lone surrogates, out-of-range and control code points would make invalid
		// or misleading text (text never holds raw control characters).
		if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (code < 32 && code !== 9 && code !== 10)) return whole;
		return String.fromCodePoint(code);
	});
}

/** Collapse whitespace, trim each line, allow at most one blank line in a row. */
function tidy(text: string): string {
	return text
		.replace(/[ \t\f\v\u00a0\u2002\u2003\u2009]+/g, ' ')
		.split('\n')
		.map((line) => line.trim())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** Tags that stand apart as paragraphs: a blank line before and after. */
const PARAGRAPH_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'table', 'ul', 'ol', 'pre', 'hr']);

/** Stands for a line break until whitespace is collapsed (it is not whitespace). */
const BREAK = '\ue000';
const BREAKS = /\ue000/g;

function isNameChar(code: number): boolean {
	return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
}

function isLetter(code: number): boolean {
	return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** Plain text stays as it is (newlines kept); HTML becomes readable text. */
export function htmlToText(input: string): string {
	if (!LOOKS_LIKE_HTML.test(input)) return tidy(input.replace(/\r\n?/g, '\n'));

	// Text is copied as raw slices; whitespace is collapsed and entities decoded
	// once over the result, which is several times faster than per segment.
	let out = '';
	const length = input.length;
	let hiddenUntil: string | undefined;
	let index = 0;
	// Line breaks owed by block tags, paid only when more text follows, so that
	// nested and adjacent blocks do not stack up empty lines.
	let pendingBreaks = 0;
	let trailingBreaks = 0;
	// Position of the first '>' after the current tag's '<'; 0 until searched, -1 when there is none.
	let nextClose = 0;

	const pushText = (start: number, end: number) => {
		if (hiddenUntil !== undefined || end <= start) return;
		let visible = false;
		for (let at = start; at < end; at++) {
			const code = input.charCodeAt(at);
			// Stryker disable next-line ConditionalExpression: a no-break space pushed as text becomes the same single space in tidy()
			if (code > 32 && code !== 160) {
				visible = true;
				break;
			}
		}
		if (!visible) {
			// Source whitespace between inline elements is one space.
			// Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: tidy() trims every line and keeps at most one blank line, which hides the difference
			if (pendingBreaks === 0 && out.length > 0) out += ' ';
			return;
		}
		// Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator: tidy() trims every line and keeps at most one blank line, which hides the difference
		if (pendingBreaks > trailingBreaks && out.length > 0) out += BREAK.repeat(pendingBreaks - trailingBreaks);
		pendingBreaks = 0;
		trailingBreaks = 0;
		out += input.slice(start, end);
	};

	// Stryker disable next-line EqualityOperator: at index === length there is no '<' left, and the loop ends the same way
	while (index < length) {
		const open = input.indexOf('<', index);
		if (open === -1) {
			pushText(index, length);
			break;
		}
		pushText(index, open);

		if (input.startsWith('<!--', open)) {
			const close = input.indexOf('-->', open + 4);
			index = close === -1 ? length : close + 3;
			continue;
		}
		// The next '>' is searched for once and reused while it lies ahead: a run
		// of lone '<' (as in "<1<1<1...>") would otherwise rescan to the same
		// far '>' from every '<', in quadratic time.
		if (nextClose !== -1 && nextClose <= open) nextClose = input.indexOf('>', open + 1);
		const close = nextClose;
		if (close === -1) {
			pushText(open, length);
			break;
		}
		const closing = input.charCodeAt(open + 1) === 47; // '/'
		const nameStart = closing ? open + 2 : open + 1;
		if (!isLetter(input.charCodeAt(nameStart))) {
			// `<!DOCTYPE>`, `<?xml?>` are dropped; a lone `<` as in "a < b" is text.
			const marker = input.charCodeAt(open + 1);
			if (marker === 33 || marker === 63) index = close + 1;
			else {
				pushText(open, open + 1);
				index = open + 1;
			}
			continue;
		}
		let nameEnd = nameStart + 1;
		// Stryker disable next-line ConditionalExpression,EqualityOperator: the '>' at close is never a name character, so the scan stops there anyway
		while (nameEnd < close && isNameChar(input.charCodeAt(nameEnd))) nameEnd++;
		const name = input.slice(nameStart, nameEnd).toLowerCase();
		index = close + 1;

		if (hiddenUntil !== undefined) {
			if (closing && name === hiddenUntil) hiddenUntil = undefined;
			continue;
		}
		if (HIDDEN_TAGS.has(name)) {
			if (!closing && input.charCodeAt(close - 1) !== 47) hiddenUntil = name;
		} else if (name === 'br') {
			// Stryker disable next-line ConditionalExpression,EqualityOperator: tidy() trims every line and keeps at most one blank line, which hides the difference
			if (out.length > 0) {
				out += BREAK;
				trailingBreaks += 1;
				pendingBreaks = Math.max(pendingBreaks, trailingBreaks);
			}
		} else if (PARAGRAPH_TAGS.has(name)) {
			pendingBreaks = Math.max(pendingBreaks, 2);
		} else if (BLOCK_TAGS.has(name)) {
			pendingBreaks = Math.max(pendingBreaks, 1);
		} else if (
			// Stryker disable next-line ConditionalExpression,EqualityOperator: tidy() trims every line and keeps at most one blank line, which hides the difference
			CELL_TAGS.has(name) && !closing && pendingBreaks === 0 && out.length > 0
		) {
			out += ' ';
		}
	}
	// Stryker disable next-line Regex: tidy() collapses the runs of spaces either way
	return tidy(decodeEntities(out.replace(/\s+/g, ' ')).replace(BREAKS, '\n'));
}
