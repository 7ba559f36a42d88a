/** The value `work` returns; throws when it runs longer than `ms` (default 10 s). */
export function withinDeadline<T>(work: () => T, ms?: number): T;
