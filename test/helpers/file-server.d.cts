export interface FileServer {
	base: string;
	hits: Array<{ url: string; at: number }>;
	close(): Promise<void>;
}
export function startFileServer(): Promise<FileServer>;
export const PNG: Buffer;
