export interface SavedNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
}
export function readPackageJson(): { name: string; n8n: { nodes: string[] } };
export function readExampleWorkflows(): Array<{ file: string; workflow: { nodes: SavedNode[] } }>;
