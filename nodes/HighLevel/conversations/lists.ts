/**
 * Lists typed into one text field (URLs, email addresses), or passed as an
 * array by an expression or an AI agent.
 */
export function textList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\n,;]/) : [];
	return parts
		.filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
		.map((part) => String(part).trim())
		.filter((part) => part.length > 0);
}
