import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Connection } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { highLevelRequest } from '../../../api/request';
import { withReadableText } from '../../../api/message-text';
import { PAGE_SIZE, readPaging, requiredText } from '../parameters';

interface MessagePage {
	messages: IDataObject[];
	nextPage: boolean;
	lastMessageId: string | undefined;
}

/** `{ messages: { messages: [...], nextPage, lastMessageId } }`, as HighLevel pages a conversation. */
function pageOf(response: unknown): MessagePage {
	const outer = (response && typeof response === 'object' ? response : {}) as IDataObject;
	const inner = (outer.messages && !Array.isArray(outer.messages) ? outer.messages : outer) as IDataObject;
	const list = Array.isArray(inner.messages) ? inner.messages : Array.isArray(outer.messages) ? outer.messages : [];
	return {
		messages: list as IDataObject[],
		nextPage: inner.nextPage === true,
		lastMessageId: typeof inner.lastMessageId === 'string' ? inner.lastMessageId : undefined,
	};
}

export async function getMessages(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
): Promise<INodeExecutionData[]> {
	const conversationId = requiredText(this, 'conversationId', itemIndex, 'Conversation ID');
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const types = Array.isArray(filters.types) ? (filters.types as string[]) : [];
	const { returnAll, limit } = readPaging(this, itemIndex);

	const found: IDataObject[] = [];
	let lastMessageId: string | undefined;
	for (;;) {
		const wanted = returnAll ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - found.length);
		const page = pageOf(
			await highLevelRequest(this, connection, ENDPOINTS.getConversationMessages, {
				pathParams: { conversationId },
				qs: { limit: wanted, lastMessageId, type: types.join(',') },
				itemIndex,
			}),
		);
		found.push(...page.messages);
		if (!returnAll && found.length >= limit) break;
		if (!page.nextPage || page.messages.length === 0) break;
		if (page.lastMessageId === undefined || page.lastMessageId === lastMessageId) break;
		lastMessageId = page.lastMessageId;
	}
	return (returnAll ? found : found.slice(0, limit)).map((message) => ({ json: withReadableText(message) }));
}
