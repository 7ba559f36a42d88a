import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { type Connection, requireLocationId } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { highLevelRequest } from '../../../api/request';
import { optionalText, PAGE_SIZE, readPaging } from '../parameters';

/**
 * The next page starts after the last conversation's sort value, which
 * HighLevel returns as `sort` (else its last message date).
 */
function cursorOf(conversation: IDataObject | undefined): number | undefined {
	const sort = conversation?.sort;
	const candidates = [Array.isArray(sort) ? sort[0] : sort, conversation?.lastMessageDate];
	return candidates.find((value): value is number => Number.isFinite(value));
}

export async function search(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
): Promise<INodeExecutionData[]> {
	const locationId = requireLocationId(this.getNode(), connection, ENDPOINTS.searchConversations.action);
	// Search always shows Contact ID, so n8n always gives it (its default is '').
	const contactId = optionalText({ contactId: this.getNodeParameter('contactId', itemIndex) }, 'contactId');
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const { returnAll, limit } = readPaging(this, itemIndex);

	const found: IDataObject[] = [];
	let startAfterDate: number | undefined;
	for (;;) {
		const wanted = returnAll ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - found.length);
		const response = (await highLevelRequest(this, connection, ENDPOINTS.searchConversations, {
			qs: {
				locationId,
				contactId,
				query: optionalText(filters, 'query'),
				status: optionalText(filters, 'status'),
				assignedTo: optionalText(filters, 'assignedTo'),
				lastMessageDirection: optionalText(filters, 'lastMessageDirection'),
				sort: 'desc',
				sortBy: 'last_message_date',
				limit: wanted,
				startAfterDate,
			},
			itemIndex,
		})) as IDataObject;
		const page = Array.isArray(response?.conversations) ? (response.conversations as IDataObject[]) : [];
		found.push(...page);
		const total = typeof response?.total === 'number' ? response.total : Infinity;
		if (!returnAll && found.length >= limit) break;
		if (page.length < wanted || found.length >= total) break;
		const next = cursorOf(page[page.length - 1]);
		if (next === undefined || next === startAfterDate) break;
		startAfterDate = next;
	}
	return (returnAll ? found : found.slice(0, limit)).map((conversation) => ({ json: conversation }));
}
