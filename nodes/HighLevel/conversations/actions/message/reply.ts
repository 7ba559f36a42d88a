import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import type { Connection } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { highLevelRequest } from '../../../api/request';
import { textList } from '../../lists';
import { planReply } from '../../reply-mapping';
import { optionalText } from '../parameters';

function readTriggerItem(context: IExecuteFunctions, itemIndex: number): unknown {
	const value = context.getNodeParameter('triggerItem', itemIndex, undefined) as unknown;
	if (typeof value !== 'string') return value ?? context.getInputData()[itemIndex].json;
	try {
		return jsonParse(value);
	} catch {
		throw new NodeOperationError(context.getNode(), "'Message to Reply To' is not valid JSON", {
			itemIndex,
			description: "Leave it at {{ $json }}, or use {{ $('HighLevel Message Trigger').item.json }}.",
		});
	}
}

export async function reply(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
): Promise<INodeExecutionData[]> {
	const text = String(this.getNodeParameter('message', itemIndex) ?? '');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const attachments = textList(options.attachmentUrls);
	if (text.trim() === '' && attachments.length === 0) {
		throw new NodeOperationError(this.getNode(), 'The reply is empty', {
			itemIndex,
			description: 'Type the reply (or map it, for example {{ $json.output }} after an AI Agent), or add attachment URLs.',
		});
	}
	const plan = planReply(readTriggerItem(this, itemIndex), {
		text,
		attachments,
		replyChannel: optionalText(options, 'replyChannel'),
		subject: optionalText(options, 'subject'),
		emailReplyMode: options.emailReplyMode === 'reply_all' ? 'reply_all' : 'reply',
		conversationProviderId: optionalText(options, 'conversationProviderId'),
	});
	if (!plan.ok) {
		throw new NodeOperationError(this.getNode(), plan.reason, { itemIndex, description: plan.hint });
	}
	const response = (await highLevelRequest(this, connection, ENDPOINTS.sendMessage, {
		body: plan.body as unknown as IDataObject,
		itemIndex,
	})) as IDataObject;
	return [{ json: { ...response, type: plan.body.type, contactId: plan.body.contactId } }];
}
