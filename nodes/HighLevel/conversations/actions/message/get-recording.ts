import type { IExecuteFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import { type Connection, requireLocationId } from '../../../api/connection';
import { ENDPOINTS } from '../../../api/endpoints';
import { highLevelRequest } from '../../../api/request';
import { requiredText } from '../parameters';

const EXTENSIONS: Record<string, string> = {
	'audio/x-wav': 'wav',
	'audio/wav': 'wav',
	'audio/wave': 'wav',
	'audio/mpeg': 'mp3',
	'audio/mp3': 'mp3',
	'audio/ogg': 'ogg',
	'audio/webm': 'webm',
	'audio/mp4': 'm4a',
};

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

/** HighLevel's file name (Content-Disposition), else one made from the message id and the audio type. */
export function recordingFileName(disposition: string | undefined, mimeType: string, messageId: string): string {
	const named = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
	const name = named ? named[1].trim().replace(/[/\\]/g, '_') : '';
	return name || `recording-${messageId}.${EXTENSIONS[mimeType] ?? 'wav'}`;
}

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
	const data = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body as ArrayBuffer);
	const headers = response.headers as Record<string, unknown>;
	const mimeType = (header(headers, 'content-type') ?? 'audio/x-wav').split(';')[0].trim();
	const fileName = recordingFileName(header(headers, 'content-disposition'), mimeType, messageId);
	const binary = await this.helpers.prepareBinaryData(data, fileName, mimeType);
	return [
		{
			json: { messageId, locationId, fileName, mimeType, fileSize: data.length },
			binary: { [property]: binary },
		},
	];
}
