export interface StubRequest {
	method: string;
	url: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	at: number;
}
export interface StubAnswer {
	status?: number;
	headers?: Record<string, string>;
	body?: unknown;
	/** Never answer. */
	hang?: boolean;
	/** Close the connection after the request arrived. */
	drop?: boolean;
	/** Answer, but only after this many milliseconds. */
	delayMs?: number;
}
export interface ApiStub {
	base: string;
	requests: StubRequest[];
	respond(...answers: StubAnswer[]): void;
	/** Answers for the next requests whose path matches `pattern`, in order. */
	respondTo(pattern: RegExp, ...answers: StubAnswer[]): void;
	reset(): void;
	close(): Promise<void>;
}
export function startApiStub(): Promise<ApiStub>;
export function closedPortUrl(): Promise<string>;
export const WAV: Buffer;

export function jsonAnswer(status: number, body: unknown, headers?: Record<string, string>): StubAnswer;
