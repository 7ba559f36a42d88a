import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { type Connection, requireLocationId } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { highLevelRequest } from '../../../api/request';
import { requiredText } from '../parameters';

/** HighLevel returns one object per sentence (its document shows a single one). */
function sentencesOf(response: unknown): IDataObject[] {
	const list: unknown[] = Array.isArray(response) ? response : [response];
	return (list as IDataObject[])
		.filter((sentence) => typeof sentence?.transcript === 'string')
		.sort((a, b) => Number(a.sentenceIndex ?? 0) - Number(b.sentenceIndex ?? 0));
}

export async function getTranscription(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
): Promise<INodeExecutionData[]> {
	const messageId = requiredText(this, 'messageId', itemIndex, 'Message ID');
	const locationId = requireLocationId(this.getNode(), connection, ENDPOINTS.getTranscription.action);
	const response = await highLevelRequest(this, connection, ENDPOINTS.getTranscription, {
		pathParams: { locationId, messageId },
		itemIndex,
	});
	const sentences = sentencesOf(response);
	const text = sentences.map((sentence) => String(sentence.transcript).trim()).filter(Boolean).join('\n');
	return [{ json: { messageId, text, sentences } }];
}
