/** How many 'abort' listeners `signal` still holds. */
export function abortListenerCount(signal: AbortSignal): number;
