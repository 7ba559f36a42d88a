// Evaluates a node's subtitle expression (`={{ ... }}` over $parameter) as plain
// JavaScript, the way the editor shows it. CommonJS for the same reason as io.cjs:
// n8n's lint forbids the Function constructor in TypeScript, and this never ships.
function evaluateSubtitle(subtitle, parameters) {
	const match = /^=\{\{(.*)\}\}$/s.exec(subtitle ?? '');
	if (match === null) throw new Error(`not an expression: ${subtitle}`);
	return new Function('$parameter', `return (${match[1]});`)(parameters);
}

module.exports = { evaluateSubtitle };
