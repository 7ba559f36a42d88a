export interface FileServer {
	base: string;
	port: number;
	hits: Array<{ url: string; at: number; host?: string; acceptEncoding?: string }>;
	/** Requests being answered now, and the most at any one time. */
	load: { inFlight: number; maxInFlight: number };
	close(): Promise<void>;
}
export function startFileServer(): Promise<FileServer>;
export const PNG: Buffer;
