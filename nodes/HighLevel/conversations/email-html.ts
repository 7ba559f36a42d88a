/**
 * The body of an email HighLevel sends, from what a user (or an AI agent)
 * typed: HTML stays as it is; plain text is escaped and keeps its line breaks,
 * which an HTML email would otherwise collapse into one paragraph.
 */
const LOOKS_LIKE_HTML = /<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>/i;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function emailHtml(text: string): string {
	if (LOOKS_LIKE_HTML.test(text)) return text;
	const escaped = text.replace(/[&<>"]/g, (character) => ESCAPES[character]);
	return escaped
		.replace(/\r\n?/g, '\n')
		.split(/\n{2,}/)
		.map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>')}</p>`)
		.join('');
}
