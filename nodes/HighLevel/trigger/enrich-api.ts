/**
 * The trigger's enrichment, wired to n8n: HighLevel's API through the
 * package's own credential and n8n's authenticated request helper, and the
 * recording stored the way n8n stores binary data.
 */
import type { IN8nHttpFullResponse, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { connect, credentialTypeFor } from '../api/connection';
import { ENDPOINTS, type Endpoint } from '../api/endpoints';
import { readRecording } from '../api/recording';
import { type ApiContext, highLevelRequest } from '../api/request';
import type { MessageItem } from '../normalize';
import {
	applyEnrichment,
	enrich,
	type EnrichmentApi,
	type EnrichSettings,
	RECORDING_PROPERTY,
} from './enrich';

/** Errors name the option the user turned on, not an action node operation. */
const TRIGGER_ENDPOINTS: Record<'contact' | 'message' | 'recording', Endpoint> = {
	contact: { ...ENDPOINTS.getContact, action: 'Include Contact' },
	message: { ...ENDPOINTS.getMessage, action: 'Complete Missing Media' },
	recording: { ...ENDPOINTS.getRecording, action: 'Download Recordings' },
};

async function connectApi(context: IWebhookFunctions, authentication: unknown): Promise<EnrichmentApi> {
	const api = context as unknown as ApiContext;
	const connection = await connect(api, credentialTypeFor(authentication));
	// No 429 is waited out: HighLevel is waiting for the answer meanwhile.
	const call = async (endpoint: Endpoint, pathParams: Record<string, string>, timeoutMs: number, binary = false) =>
		await highLevelRequest(api, connection, endpoint, { pathParams, timeoutMs: Math.ceil(timeoutMs), rateLimitRetries: 0, binary });
	return {
		locationId: connection.locationId,
		getContact: async (contactId, timeoutMs) => await call(TRIGGER_ENDPOINTS.contact, { contactId }, timeoutMs),
		getMessage: async (id, timeoutMs) => await call(TRIGGER_ENDPOINTS.message, { id }, timeoutMs),
		getRecording: async (messageId, locationId, timeoutMs) =>
			readRecording(
				(await call(TRIGGER_ENDPOINTS.recording, { messageId, locationId }, timeoutMs, true)) as IN8nHttpFullResponse,
				messageId,
			),
	};
}

/** Fills in the item (json and binary) from HighLevel's API; never throws for an API problem. */
export async function fillInFromApi(
	context: IWebhookFunctions,
	item: INodeExecutionData,
	settings: EnrichSettings,
	authentication: unknown,
): Promise<void> {
	const json = item.json as unknown as MessageItem;
	const found = await enrich(json, async () => await connectApi(context, authentication), settings);
	if (found.recording !== undefined) {
		const { data, fileName, mimeType } = found.recording;
		try {
			item.binary = { ...(item.binary ?? {}), [RECORDING_PROPERTY]: await context.helpers.prepareBinaryData(data, fileName, mimeType) };
		} catch (error) {
			found.report.recordings = { ok: false, error: `could not store the recording: ${(error as Error).message}` };
		}
	}
	applyEnrichment(json, found);
}
