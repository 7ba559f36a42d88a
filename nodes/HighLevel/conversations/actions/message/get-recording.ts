import type { IExecuteFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import { type Connection, requireLocationId } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { readRecording } from '../../../api/recording';
import { highLevelRequest } from '../../../api/request';
import { requiredText } from '../parameters';

export async function getRecording(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
): Promise<INodeExecutionData[]> {
	const messageId = requiredText(this, 'messageId', itemIndex, 'Message ID');
	const property = requiredText(this, 'binaryPropertyName', itemIndex, 'Put Output File in Field');
	const locationId = requireLocationId(this.getNode(), connection, ENDPOINTS.getRecording.action);
	const response = (await highLevelRequest(this, connection, ENDPOINTS.getRecording, {
		pathParams: { messageId, locationId },
		binary: true,
		itemIndex,
	})) as IN8nHttpFullResponse;
	const { data, fileName, mimeType } = readRecording(response, messageId);
	const binary = await this.helpers.prepareBinaryData(data, fileName, mimeType);
	return [
		{
			json: { messageId, locationId, fileName, mimeType, fileSize: data.length },
			binary: { [property]: binary },
		},
	];
}
