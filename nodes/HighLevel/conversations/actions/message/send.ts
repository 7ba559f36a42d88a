import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Connection } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { highLevelRequest } from '../../../api/request';
import { textList } from '../../lists';
import { toUtcSeconds } from '../../schedule';
import { buildSendBody, type SendFields, toSendType } from '../../send-body';
import { optionalText, requiredText } from '../parameters';

export function scheduledTimestamp(context: IExecuteFunctions, value: unknown, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const seconds = toUtcSeconds(value, context.getTimezone());
	if (seconds === null) {
		throw new NodeOperationError(context.getNode(), `Send At "${String(value)}" is not a date and time`, {
			itemIndex,
			description: 'Use an ISO date such as 2026-12-01T09:00:00 (read in the workflow time zone) or pick one.',
		});
	}
	return seconds;
}

export async function send(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
): Promise<INodeExecutionData[]> {
	const channel = this.getNodeParameter('channel', itemIndex) as unknown;
	const type = toSendType(channel);
	if (type === null) {
		throw new NodeOperationError(this.getNode(), `HighLevel cannot send on channel "${String(channel)}"`, {
			itemIndex,
			description: 'Choose SMS, Email, WhatsApp, Facebook, Instagram, Live Chat or Custom Provider.',
		});
	}
	const contactId = requiredText(this, 'contactId', itemIndex, 'Contact ID');
	const text = String(this.getNodeParameter('message', itemIndex) ?? '');
	const options = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const attachments = textList(options.attachmentUrls);
	if (text.trim() === '' && attachments.length === 0) {
		throw new NodeOperationError(this.getNode(), 'The message is empty', {
			itemIndex,
			description: 'Type the text to send (or map it, for example from an AI Agent), or add attachment URLs.',
		});
	}

	const fields: SendFields = {
		text,
		attachments,
		scheduledTimestamp: scheduledTimestamp(this, options.scheduledAt, itemIndex),
	};
	if (type === 'SMS') {
		fields.fromNumber = optionalText(options, 'fromNumber');
		fields.toNumber = optionalText(options, 'toNumber');
	}
	if (type === 'Email') {
		fields.subject = optionalText({ subject: this.getNodeParameter('subject', itemIndex, '') }, 'subject');
		fields.emailFrom = optionalText(options, 'emailFrom');
		fields.emailTo = optionalText(options, 'emailTo');
		fields.emailCc = textList(options.emailCc);
		fields.emailBcc = textList(options.emailBcc);
		fields.threadId = optionalText(options, 'threadId');
		fields.replyMessageId = optionalText(options, 'replyMessageId');
		if (fields.threadId || fields.replyMessageId) {
			fields.emailReplyMode = options.emailReplyMode === 'reply_all' ? 'reply_all' : 'reply';
		}
	}
	if (type === 'Custom') {
		fields.conversationProviderId = requiredText(this, 'conversationProviderId', itemIndex, 'Conversation Provider ID');
	}

	const body = buildSendBody(type, contactId, fields);
	const response = (await highLevelRequest(this, connection, ENDPOINTS.sendMessage, {
		body: body as unknown as IDataObject,
		itemIndex,
	})) as IDataObject;
	return [{ json: { ...response, type, contactId } }];
}
