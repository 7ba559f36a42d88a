import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { acceptEvent, type AcceptSettings, parseIdList, routeToOutputs } from './trigger/accept';
import { downloadAll, type DownloadSettings } from './trigger/attachments';
import { duplicateCheckFor, type DuplicateScope } from './trigger/shared-dedupe';
import { outputsExpression, ROUTING_SINGLE } from './trigger/description/outputs';
import { AUTH_HEADER_SECRET, AUTH_SIGNATURE, EVENT_INBOUND, properties } from './trigger/description/properties';
import { readJsonBody } from './trigger/request-body';
import { authenticate, testHeaderSecret, testSignatureKeys } from './trigger/authenticate';

export class HighLevelMessageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighLevel Message Trigger',
		name: 'highLevelMessageTrigger',
		icon: { light: 'file:highLevel.svg', dark: 'file:highLevel.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["routing"] === "single" ? "Single output" : "By channel" }}',
		description:
			'Starts the workflow when a HighLevel (GoHighLevel / LeadConnector) conversation message arrives, verified and routed by channel',
		defaults: { name: 'HighLevel Message Trigger' },
		inputs: [],
		outputs: outputsExpression,
		credentials: [
			{
				name: 'highLevelSignatureKeysApi',
				required: false,
				testedBy: 'testSignatureKeys',
				displayOptions: { show: { authentication: [AUTH_SIGNATURE] } },
			},
			{
				name: 'highLevelHeaderSecretApi',
				required: true,
				testedBy: 'testHeaderSecret',
				displayOptions: { show: { authentication: [AUTH_HEADER_SECRET] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The node answers itself, before the workflow runs (see webhook()).
				responseMode: 'onReceived',
				path: 'highlevel',
			},
		],
		properties,
	};

	methods = {
		credentialTest: {
			async testSignatureKeys(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return testSignatureKeys(credential.data ?? {});
			},
			async testHeaderSecret(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return testHeaderSecret(credential.data ?? {});
			},
		},
	};

	// HighLevel has no API to register or remove webhook URLs: the user pastes the
	// production URL into the app settings or a workflow action once. So there is
	// nothing to check, create or delete when the workflow is (de)activated.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		// The node sends every answer itself: HighLevel only needs a fast 2xx, and
		// n8n's own "onReceived" answer would be the text "firstEntryJson".
		const reply = (status: number, body: IDataObject): IWebhookResponseData => {
			response.status(status).json(body);
			return { noWebhookResponse: true };
		};

		try {
			// 1. Authenticity, on the raw bytes, before the body is trusted for anything.
			const verdict = await authenticate(this, request);
			if (!verdict.ok) return reply(401, { error: 'unauthorized', message: verdict.message });

			// 2. A JSON object, or a 400 that says what is wrong.
			const parsed = readJsonBody(request.headers['content-type'], request.rawBody, request.body);
			if (!parsed.ok) return reply(400, { error: 'bad request', message: parsed.message });

			// 3. Filter, normalise and route.
			const decision = await acceptEvent(parsed.body, await readAcceptSettings(this));
			if (!decision.emit) {
				return reply(200, { received: true, started: false, reason: decision.reason });
			}

			// 4. Acknowledge first, then fetch files (if asked) and hand the item to n8n.
			reply(200, { received: true, started: true, channel: decision.item.channel });
			const item: INodeExecutionData = { json: decision.item as unknown as IDataObject };
			const downloads = readDownloadSettings(this);
			if (downloads !== undefined && decision.item.attachments.length > 0) {
				const files = await downloadAll(
					decision.item.attachments,
					async (options) => await this.helpers.httpRequest(options),
					async (data, fileName, mimeType) => await this.helpers.prepareBinaryData(data, fileName, mimeType),
					downloads,
				);
				item.json.attachmentDownloads = files.downloads as unknown as IDataObject[];
				item.binary = files.binary;
			}
			const singleOutput = this.getNodeParameter('routing', 'perChannel') === ROUTING_SINGLE;
			return { noWebhookResponse: true, workflowData: routeToOutputs(item, decision.output, singleOutput) };
		} catch (error) {
			// Nothing the sender does may produce a 500; a failure here is ours (or the
			// node's configuration), so say so and keep n8n running.
			this.logger.error(`HighLevel Message Trigger could not handle a request: ${(error as Error).message}`);
			if (response.headersSent) return { noWebhookResponse: true };
			return reply(400, { error: 'bad request', message: 'The request could not be processed.' });
		}
	}
}

async function readAcceptSettings(context: IWebhookFunctions): Promise<AcceptSettings> {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const node = context.getNode();
	const duplicates =
		options.ignoreDuplicates === false
			? undefined
			: await duplicateCheckFor(
					(options.duplicateScope as DuplicateScope | undefined) ?? 'auto',
					String(context.getWorkflow().id ?? ''),
					node.id ?? node.name,
					(message) => context.logger.warn(`HighLevel Message Trigger: ${message}`),
				);
	return {
		events: new Set(context.getNodeParameter('events', [EVENT_INBOUND]) as string[]),
		locationIds: parseIdList(typeof options.locationIds === 'string' ? options.locationIds : ''),
		maxEventAgeMs: Math.max(0, Number(options.maxEventAgeMinutes) || 0) * 60_000,
		includeRaw: options.includeRaw !== false,
		duplicates,
	};
}


function readDownloadSettings(context: IWebhookFunctions): DownloadSettings | undefined {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	if (options.downloadAttachments !== true) return undefined;
	return {
		maxBytes: Math.max(1, Number(options.attachmentMaxSizeMb) || 25) * 1024 * 1024,
		timeoutMs: Math.max(1, Number(options.attachmentTimeoutSeconds) || 30) * 1000,
	};
}
