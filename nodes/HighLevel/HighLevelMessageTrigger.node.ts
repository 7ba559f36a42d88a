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

import { createHash } from 'crypto';

import { acceptEvent, type AcceptSettings, NOT_BOUND, parseIdList, routeToOutputs } from './trigger/accept';
import { downloadAll, downloadSettingsFrom, hostResolverFrom } from './trigger/attachments';
import type { DeliveryLedger } from './trigger/ledger';
import { type DuplicateScope, ledgerFor } from './trigger/ledgers';
import { outputsExpression, ROUTING_SINGLE } from './trigger/description/outputs';
import { AUTH_OAUTH2, AUTH_PRIVATE_INTEGRATION_TOKEN } from './api/connection';
import {
	AUTH_HEADER_SECRET,
	AUTH_SIGNATURE,
	EVENT_INBOUND,
	properties,
	WHEN_ENRICHING,
} from './trigger/description/properties';
import { enrichSettingsFrom } from './trigger/enrich';
import { fillInFromApi } from './trigger/enrich-api';
import { readJsonBody } from './trigger/request-body';
import { authenticate, testHeaderSecret, testSignatureKeys } from './trigger/authenticate';

export class HighLevelMessageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HighLevel Message Trigger',
		name: 'highLevelMessageTrigger',
		icon: { light: 'file:highLevel.svg', dark: 'file:highLevel.dark.svg' },
		group: ['trigger'],
		// 1.1: Ignore Messages Sent by Automations is on by default (off in 1, as it behaved before).
		version: [1, 1.1],
		defaultVersion: 1.1,
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
			// Only for Fill In From HighLevel API: the same credentials as the HighLevel
			// Conversations node. The choice first: n8n stops reading `show` at an expression.
			{
				name: 'highLevelConversationsOAuth2Api',
				required: true,
				displayOptions: { show: { apiAuthentication: [AUTH_OAUTH2], ...WHEN_ENRICHING } },
			},
			{
				name: 'highLevelPrivateIntegrationTokenApi',
				required: true,
				displayOptions: { show: { apiAuthentication: [AUTH_PRIVATE_INTEGRATION_TOKEN], ...WHEN_ENRICHING } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// An accepted event is answered by n8n with the node's webhookResponse
				// (responseData '' selects it), and n8n 2.x sends it only once the
				// execution exists: HighLevel stops retrying at the first 2xx.
				responseMode: 'onReceived',
				responseData: '',
				path: 'highlevel',
			},
		],
		triggerPanel: {
			header: 'Listen for a HighLevel message',
			executionsHelp: {
				inactive:
					"<b>While building your workflow</b>, click 'Execute step' ('Listen for test event' in n8n 1.x), then send a message to the Test URL: point HighLevel at it (Marketplace app > Advanced Settings > Webhooks, or a HighLevel workflow's Webhook action) and text your HighLevel number, or press Resend on a delivery in the app's webhook logs. The message appears here. <br /><br /><b>Once you're happy with your workflow</b>, paste the Production URL into HighLevel instead and publish the workflow. Every message then starts it; those executions show up in the <a data-key='executions'>executions list</a>, not here.",
				active:
					"<b>While building your workflow</b>, click 'Execute step' ('Listen for test event' in n8n 1.x) and send a message to the Test URL; it appears here. <br /><br /><b>Your workflow is published</b>: every HighLevel message sent to the Production URL starts it. Those executions show up in the <a data-key='executions'>executions list</a>, not here.",
			},
			activationHint:
				"Once you've finished building your workflow, paste the Production URL into HighLevel and publish the workflow.",
		},
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
		// Refusals and acknowledgements are answered here, at once; only an
		// accepted event's answer is left to n8n (see the webhook description).
		const reply = (status: number, body: IDataObject): IWebhookResponseData => {
			response.status(status).json(body);
			return { noWebhookResponse: true };
		};
		let claimed: { ledger: DeliveryLedger; key: string } | undefined;

		try {
			// 1. Authenticity, on the raw bytes, before the body is trusted for anything.
			const verdict = await authenticate(this, request);
			if (!verdict.ok) {
				// The details (header names, key problems) are for the n8n admin, not the sender.
				this.logger[verdict.misconfigured ? 'warn' : 'debug'](`HighLevel Message Trigger: ${verdict.log}`);
				return reply(401, { error: 'unauthorized', message: verdict.message });
			}

			// 2. A JSON object, or a 400 that says what is wrong.
			const parsed = readJsonBody(request.headers['content-type'], request.rawBody, request.body);
			if (!parsed.ok) {
				this.logger.debug(`HighLevel Message Trigger: ${parsed.log}`);
				return reply(400, { error: 'bad request', message: parsed.message });
			}

			// 3. Is it this user's, wanted, and fresh? Ignored events are acknowledged.
			const decision = acceptEvent(parsed.body, readAcceptSettings(this));
			if (!decision.emit) {
				if (decision.reason === NOT_BOUND) {
					// A workflow published before App IDs existed, or never finished: keep
					// HighLevel retrying (for hours) rather than acknowledge and drop.
					warnOnce(this, NOT_BOUND, 'a signed HighLevel event arrived but App IDs (or Location IDs) is empty, so it is not accepted; HighLevel retries it');
					response.setHeader('retry-after', '300');
					return reply(503, { error: 'unavailable', message: 'This trigger is not set up to accept HighLevel events yet; retry later.' });
				}
				if (decision.reason === 'app not allowed' || decision.reason === 'location not allowed') {
					warnOnce(this, decision.reason, `acknowledged and ignored an event: ${decision.reason} (${decision.detail ?? 'none'}); check App IDs / Location IDs if this is yours`);
				}
				return reply(200, { received: true, started: false, reason: decision.reason });
			}

			// 4. Run each delivery once. Test events in the editor neither use nor
			// fill production's memory: a re-sent sample shows up while listening.
			const ledger = this.getMode() === 'manual' ? undefined : await readLedger(this);
			if (ledger !== undefined && decision.deliveryKey !== null) {
				const key = ledgerKey(decision.deliveryKey);
				const claim = await ledger.claim(key, Date.now());
				if (claim === 'duplicate') return reply(200, { received: true, started: false, reason: 'duplicate' });
				if (claim === 'in-flight') {
					response.setHeader('retry-after', '30');
					return reply(409, { error: 'conflict', message: 'This delivery is being processed; retry later.' });
				}
				claimed = { ledger, key };
				settleWhenAnswered(response, ledger, key);
			}

			// 5. What the webhook left out, then files (each if asked, within its
			// time budget), then hand the item to n8n.
			const item: INodeExecutionData = { json: decision.item as unknown as IDataObject };
			const options = this.getNodeParameter('options', {}) as IDataObject;
			const enrichment = enrichSettingsFrom(this.getNodeParameter('enrich'), options);
			if (enrichment !== undefined) {
				await fillInFromApi(this, item, enrichment, this.getNodeParameter('apiAuthentication', AUTH_PRIVATE_INTEGRATION_TOKEN));
			}
			const downloads = downloadSettingsFrom(options);
			if (downloads !== undefined && decision.item.attachments.length > 0) {
				const files = await downloadAll(
					decision.item.attachments,
					async (options) => await this.helpers.httpRequest(options),
					async (data, fileName, mimeType) => await this.helpers.prepareBinaryData(data, fileName, mimeType),
					downloads,
					hostResolverFrom(this.helpers),
				);
				item.json.attachmentDownloads = files.downloads as unknown as IDataObject[];
				item.binary = { ...(item.binary ?? {}), ...files.binary };
			}
			const singleOutput = this.getNodeParameter('routing') === ROUTING_SINGLE;
			return {
				workflowData: routeToOutputs(item, decision.output, singleOutput),
				webhookResponse: { received: true, started: true, channel: decision.item.channel },
			};
		} catch (error) {
			// Nothing the sender does may produce a 500, and nothing may be
			// acknowledged that did not start: answer so that HighLevel retries.
			this.logger.error(`HighLevel Message Trigger could not handle a request: ${(error as Error).message}`);
			if (claimed !== undefined) await claimed.ledger.release(claimed.key);
			if (response.headersSent) return { noWebhookResponse: true };
			return reply(503, { error: 'unavailable', message: 'The message could not be accepted right now; retry later.' });
		}
	}
}

/**
 * n8n answers an accepted event once the execution exists: a 2xx confirms the
 * delivery in the ledger, anything else releases it so HighLevel's retry runs.
 * The answer is taken when n8n ends the response, not when it reaches the
 * sender: n8n creates the execution (and answers) even when HighLevel has
 * already given up waiting. A response n8n never ends leaves the claim to expire.
 */
function settleWhenAnswered(response: IWebhookResponse, ledger: DeliveryLedger, key: string): void {
	const end = response.end as (...args: unknown[]) => IWebhookResponse;
	let settled = false;
	response.end = ((...args: unknown[]) => {
		if (!settled) {
			settled = true;
			const ok = response.statusCode >= 200 && response.statusCode < 300;
			void (ok ? ledger.confirm(key, Date.now()) : ledger.release(key)).catch(() => undefined);
		}
		return end.apply(response, args);
	}) as IWebhookResponse['end'];
}

type IWebhookResponse = ReturnType<IWebhookFunctions['getResponseObject']>;

/** Ids are the sender's text: long ones are remembered by their hash, never as given. */
function ledgerKey(key: string): string {
	// Stryker disable next-line EqualityOperator: the bound is the package's own choice (n8n stores each deduplication value as an md5 hash, with no length limit): a key of exactly 200 characters matches its copies whether kept or hashed
	return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

const warned = new Map<string, number>();
/** A warning in n8n's log at most once a minute per workflow node and reason. */
function warnOnce(context: IWebhookFunctions, reason: string, message: string): void {
	const node = context.getNode();
	// Stryker disable next-line StringLiteral: the fallback only names a workflow without an id, and any constant names it as well
	const workflowId = context.getWorkflow().id ?? '';
	const key = `${workflowId}:${node.id ?? node.name}:${reason}`;
	const now = Date.now();
	if ((warned.get(key) ?? 0) > now) return;
	// Stryker disable next-line EqualityOperator: the bound is the package's own choice; forgetting at 1000 or 1001 remembered warnings is the same bound
	if (warned.size > 1000) warned.clear();
	warned.set(key, now + 60_000);
	context.logger.warn(`HighLevel Message Trigger (${node.name}): ${message}`);
}

function readAcceptSettings(context: IWebhookFunctions): AcceptSettings {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const authentication = context.getNodeParameter('authentication', AUTH_SIGNATURE) as string;
	const warn = (message: string) => context.logger.warn(`HighLevel Message Trigger: ${message}`);
	return {
		events: new Set(context.getNodeParameter('events', [EVENT_INBOUND]) as string[]),
		locationIds: idList(options.locationIds, 'Location IDs', warn),
		appIds: authentication === AUTH_SIGNATURE ? idList(context.getNodeParameter('appIds'), 'App IDs', warn) : null,
		requireBinding: authentication === AUTH_SIGNATURE,
		maxEventAgeMs: maxEventAgeMs(options),
		includeRaw: options.includeRaw !== false,
		// Hidden (and so at its version's default) unless Outbound Message is selected.
		// Stryker disable next-line BooleanLiteral: the fallback is read only while the option is hidden, i.e. Outbound Message is not selected, and then every outbound message is refused as not selected before this applies
		ignoreAutomated: context.getNodeParameter('ignoreAutomatedMessages', false) === true,
	};
}

/** An allow-list; a value that is not a list of ids matches nothing (fails closed). */
function idList(value: unknown, name: string, warn: (message: string) => void): ReadonlySet<string> | null {
	const parsed = parseIdList(value);
	if (parsed.ok) return parsed.ids;
	warn(`${name} is not a list of IDs, so no event is accepted until it is corrected`);
	return new Set();
}

const DEFAULT_MAX_EVENT_AGE_MINUTES = 1440;
/** A year: past that the ledger's expiry would be absurd (and Redis refuses huge expiries). */
const MAX_EVENT_AGE_MINUTES = 365 * 1440;

/** 0 turns the check off; anything that is not a number (an empty expression) keeps the default. */
function maxEventAgeMs(options: IDataObject): number {
	const value = options.maxEventAgeMinutes;
	const minutes = typeof value === 'number' || (typeof value === 'string' && value.trim() !== '') ? Number(value) : Number.NaN;
	if (!Number.isFinite(minutes) || minutes < 0) return DEFAULT_MAX_EVENT_AGE_MINUTES * 60_000;
	return Math.min(minutes, MAX_EVENT_AGE_MINUTES) * 60_000;
}

async function readLedger(context: IWebhookFunctions): Promise<DeliveryLedger | undefined> {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	if (options.ignoreDuplicates === false) return undefined;
	const node = context.getNode();
	return await ledgerFor(
		(options.duplicateScope as DuplicateScope | undefined) ?? 'auto',
		// Stryker disable next-line StringLiteral: the fallback only names a workflow without an id (never a production one: ledgers are not used for test events), and any constant names it as well
		String(context.getWorkflow().id ?? ''),
		node.id ?? node.name,
		maxEventAgeMs(options),
		(message) => context.logger.warn(`HighLevel Message Trigger: ${message}`),
	);
}
