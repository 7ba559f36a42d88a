/**
 * The wait before a 429 is tried again (action node) and between reads of a
 * message whose media is not there yet (trigger): it lasts as long as asked,
 * and ends at once when the execution is cancelled or the trigger's API time
 * budget runs out. Fake timers: the waits are seconds long in use.
 */
import { sleepUnlessAborted } from '../nodes/HighLevel/api/wait';
import { abortListenerCount } from './helpers/listeners.cjs';

/** Whether the promise has settled yet, and how. */
function watch(promise: Promise<unknown>) {
	const state: { settled: boolean; error?: unknown } = { settled: false };
	promise.then(
		() => (state.settled = true),
		(error: unknown) => {
			state.settled = true;
			state.error = error;
		},
	);
	return state;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('waiting', () => {
	it('without a signal (nothing can cancel it), it ends after the time asked, not before', async () => {
		const wait = watch(sleepUnlessAborted(10_000));
		await jest.advanceTimersByTimeAsync(9_999);
		expect(wait.settled).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		expect(wait).toEqual({ settled: true });
	});

	it('with a signal that never aborts, it ends after the time asked and leaves nothing listening on the signal', async () => {
		// The execution's signal lives as long as the execution: a listener left
		// behind by every wait would pile up (and Node warns past ten).
		const execution = new AbortController();
		const wait = watch(sleepUnlessAborted(2_000, execution.signal));
		await jest.advanceTimersByTimeAsync(1_999);
		expect(wait.settled).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		expect(wait).toEqual({ settled: true });
		expect(abortListenerCount(execution.signal)).toBe(0);
	});
});

describe('cancelled', () => {
	it('already cancelled: fails at once, without waiting', async () => {
		const execution = new AbortController();
		execution.abort();
		const wait = watch(sleepUnlessAborted(60_000, execution.signal));
		await jest.advanceTimersByTimeAsync(0);
		expect(wait.settled).toBe(true);
		expect(wait.error).toEqual(new Error('aborted'));
	});

	it('cancelled during the wait: fails at that moment, not when the time is up, and stops listening', async () => {
		const execution = new AbortController();
		const wait = watch(sleepUnlessAborted(60_000, execution.signal));
		await jest.advanceTimersByTimeAsync(1_000);
		expect(wait.settled).toBe(false);
		execution.abort();
		await jest.advanceTimersByTimeAsync(0);
		expect(wait.settled).toBe(true);
		expect(wait.error).toEqual(new Error('aborted'));
		expect(abortListenerCount(execution.signal)).toBe(0);
	});
});
