import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A text parameter the request cannot do without, trimmed; empty is an error naming the field. */
export function requiredText(context: IExecuteFunctions, name: string, itemIndex: number, label: string): string {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw new NodeOperationError(context.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Fill in ${label}, or map it from a previous node.`,
		});
	}
	return text;
}

export function optionalText(values: IDataObject, name: string): string | undefined {
	const value = values[name];
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Return All / Limit as the user set them. */
export function readPaging(context: IExecuteFunctions, itemIndex: number): { returnAll: boolean; limit: number } {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = Math.max(1, Math.floor(Number(context.getNodeParameter('limit', itemIndex, 50)) || 50));
	return { returnAll, limit };
}

/** HighLevel's largest page; more is asked for page by page. */
export const PAGE_SIZE = 100;
