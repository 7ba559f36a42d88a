// What is still listening on an AbortSignal. CommonJS for the same reason as
// io.cjs: n8n's lint allows no Node module but crypto in TypeScript, and this
// never ships.
const { getEventListeners } = require('node:events');

/** How many 'abort' listeners `signal` still holds. */
function abortListenerCount(signal) {
	return getEventListeners(signal, 'abort').length;
}

module.exports = { abortListenerCount };
