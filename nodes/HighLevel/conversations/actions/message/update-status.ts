import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Connection } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { highLevelRequest } from '../../../api/request';
import { optionalText, requiredText } from '../parameters';

export async function updateStatus(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
): Promise<INodeExecutionData[]> {
	const messageId = requiredText(this, 'messageId', itemIndex, 'Message ID');
	const status = requiredText(this, 'status', itemIndex, 'Status');
	const options = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { status };
	if (status === 'failed') {
		const message = optionalText({ message: this.getNodeParameter('errorMessage', itemIndex) }, 'message');
		const code = optionalText(options, 'errorCode');
		// HighLevel's ErrorDto needs all three fields; "saas" is the type its document gives.
		if (message || code) body.error = { code: code ?? '1', type: 'saas', message: message ?? 'Failed' };
	}
	const emailMessageId = optionalText(options, 'emailMessageId');
	// Stryker disable next-line ConditionalExpression: an undefined emailMessageId is left out of the JSON body anyway
	if (emailMessageId) body.emailMessageId = emailMessageId;
	const response = await highLevelRequest(this, connection, ENDPOINTS.updateMessageStatus, {
		pathParams: { messageId },
		body,
		itemIndex,
	});
	const answer = response && typeof response === 'object' ? (response as IDataObject) : {};
	return [{ json: { messageId, status, ...answer } }];
}
