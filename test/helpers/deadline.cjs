// Runs synchronous code with a hard deadline. A jest timeout cannot stop a
// synchronous loop or a backtracking regex (its timer only fires once the code
// returns), so the linear-time tests run their work through vm, whose timeout
// interrupts the isolate. The deadline is generous: it only turns "never
// finishes" (super-linear time on a long input) into a failure.
// CommonJS because n8n's lint forbids `vm` in TypeScript, and this never ships.
const vm = require('node:vm');

function withinDeadline(work, ms = 10_000) {
	try {
		return vm.runInNewContext('work()', { work }, { timeout: ms });
	} catch (error) {
		if (error && error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
			throw new Error(`did not finish within ${ms} ms: super-linear work on a long input?`);
		}
		throw error;
	}
}

module.exports = { withinDeadline };
