import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Connection } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { highLevelRequest } from '../../../api/request';
import { unwrap, withReadableText } from '../../../api/message-text';
import { requiredText } from '../parameters';

export async function get(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
): Promise<INodeExecutionData[]> {
	const id = requiredText(this, 'messageId', itemIndex, 'Message ID');
	const response = await highLevelRequest(this, connection, ENDPOINTS.getMessage, { pathParams: { id }, itemIndex });
	return [{ json: withReadableText(unwrap(response, 'message')) }];
}
