// Event-loop helpers for the tests. CommonJS for the same reason as io.cjs: n8n's
// lint forbids timers in TypeScript, and this never ships.

/** Resolves on the next turn of the event loop, after every pending promise job. */
function nextTurn() {
	return new Promise((resolve) => setImmediate(resolve));
}

module.exports = { nextTurn };
