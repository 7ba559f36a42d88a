import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Connection } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { highLevelRequest } from '../../../api/request';
import { unwrap } from '../../../api/message-text';
import { requiredText } from '../parameters';

export async function get(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
): Promise<INodeExecutionData[]> {
	const conversationId = requiredText(this, 'conversationId', itemIndex, 'Conversation ID');
	const response = await highLevelRequest(this, connection, ENDPOINTS.getConversation, {
		pathParams: { conversationId },
		itemIndex,
	});
	return [{ json: unwrap(response, 'conversation') }];
}
