export interface Example {
	name: string;
	raw: string;
	json: Record<string, unknown>;
}
export function readExamples(): Example[];
export function readExample(name: string): Example;
export function readSharedKey(file: string): string;
export function repoPath(...parts: string[]): string;
export function fileExists(file: string): boolean;
export const examplesDir: string;
export function builtSources(): Array<{ file: string; text: string }>;
