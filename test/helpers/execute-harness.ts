/**
 * Runs the HighLevel Conversations node the way n8n does: n8n-core's own
 * ExecuteContext (parameters with defaults and expressions, Continue On Fail,
 * credentials checked against the node description, the authenticated request
 * helper, binary data), with a credentials helper that applies the package's
 * credential types the way n8n's does. Requests really go over HTTP, to the
 * local stand-in in api-stub.cjs.
 */
import { ExecuteContext, InstanceSettings } from 'n8n-core';
import {
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeTypes,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { actionNode } from './action-node';
import { registerTestServices } from './n8n-core-container.cjs';
import { HighLevelOAuth2Api } from '../../credentials/HighLevelOAuth2Api.credentials';
import { HighLevelPrivateIntegrationTokenApi } from '../../credentials/HighLevelPrivateIntegrationTokenApi.credentials';
import { HighLevelConversations } from '../../nodes/HighLevel/HighLevelConversations.node';

// n8n-core reads (and would create) ~/.n8n/config when it builds a context; tests
// need none of what it holds.
registerTestServices(InstanceSettings);

export const node = new HighLevelConversations();

export const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	highLevelConversationsOAuth2Api: new HighLevelOAuth2Api(),
	highLevelPrivateIntegrationTokenApi: new HighLevelPrivateIntegrationTokenApi(),
};

export const PIT_TOKEN = 'pit-example-token';
export const OAUTH_ACCESS = 'oauth-example-access';
export const LOCATION_ID = 'loc-example-1';

export function pitCredentials(baseUrl: string, overrides: IDataObject = {}): Record<string, IDataObject> {
	return { highLevelPrivateIntegrationTokenApi: { token: PIT_TOKEN, locationId: LOCATION_ID, baseUrl, ...overrides } };
}

export function oauthCredentials(baseUrl: string, token: IDataObject = {}): Record<string, IDataObject> {
	return {
		highLevelConversationsOAuth2Api: {
			grantType: 'authorizationCode',
			clientId: 'client-example',
			clientSecret: 'client-secret-example',
			// n8n keeps the token URL in the credential; here it points at the stand-in.
			accessTokenUrl: `${baseUrl}/oauth/token`,
			authUrl: 'https://marketplace.gohighlevel.com/oauth/chooselocation',
			scope: 'conversations/message.write',
			authentication: 'body',
			baseUrl,
			oauthTokenData: {
				access_token: OAUTH_ACCESS,
				refresh_token: 'oauth-example-refresh',
				token_type: 'Bearer',
				locationId: 'loc-oauth-example',
				...token,
			},
		},
	};
}

/** n8n's CredentialsHelper, reduced to what these credential types use. */
export class TestCredentialsHelper {
	/** Token data n8n would save after refreshing an OAuth2 token. */
	readonly savedTokens: IDataObject[] = [];

	constructor(private readonly store: Record<string, IDataObject>) {}

	getParentTypes(type: string): string[] {
		return CREDENTIAL_TYPES[type]?.extends ?? [];
	}

	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const data = this.store[type];
		if (data === undefined) throw new Error(`no test credential of type ${type}`);
		return structuredClone(data) as ICredentialDataDecryptedObject;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	/** As n8n applies a credential's generic `authenticate`: expressions resolved with $credentials. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		type: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = CREDENTIAL_TYPES[type]?.authenticate;
		if (typeof authenticate !== 'object' || authenticate.type !== 'generic') return requestOptions;
		for (const [target, entries] of Object.entries(authenticate.properties)) {
			const bag = ((requestOptions as unknown as Record<string, IDataObject>)[target] ??= {});
			for (const [key, value] of Object.entries(entries as IDataObject)) {
				bag[resolve(workflow, node, key, credentials) as string] = resolve(workflow, node, value, credentials) as IDataObject;
			}
		}
		return requestOptions;
	}

	async updateCredentialsOauthTokenData(_nodeCredentials: unknown, type: string, data: IDataObject): Promise<void> {
		this.store[type] = data;
		this.savedTokens.push(data.oauthTokenData as IDataObject);
	}
}

function resolve(workflow: Workflow, node: INode, value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
}

export interface Run {
	parameters: INodeParameters;
	/** Input items' json; one empty item by default. */
	items?: IDataObject[];
	credentials: Record<string, IDataObject>;
	continueOnFail?: boolean;
	timezone?: string;
}

export interface RunResult {
	output: INodeExecutionData[];
	credentialsHelper: TestCredentialsHelper;
}

function workflowFor(nodeData: INode, timezone: string): Workflow {
	const nodeTypes = {
		getByName: () => node,
		getByNameAndVersion: () => node,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	// Like n8n, the Workflow fills in every parameter's default.
	return new Workflow({ id: 'wf-test', nodes: [nodeData], connections: {}, active: false, nodeTypes, settings: { timezone } });
}

/** The context n8n would hand the node's execute() for this run. */
export function executeContext(run: Run): { context: ExecuteContext; credentialsHelper: TestCredentialsHelper } {
	const n8nNode: INode = {
		...actionNode(run.parameters, Object.fromEntries(Object.keys(run.credentials).map((type) => [type, { id: `${type}-1`, name: type }]))),
		...(run.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow = workflowFor(n8nNode, run.timezone ?? 'UTC');
	const nodeInWorkflow = workflow.getNode(n8nNode.name)!;
	const credentialsHelper = new TestCredentialsHelper(structuredClone(run.credentials));
	const additionalData = {
		credentialsHelper,
		executionId: 'exec-test',
		restApiUrl: '',
		instanceBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		formWaitingBaseUrl: '',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const items: INodeExecutionData[] = (run.items ?? [{}]).map((json) => ({ json }));
	const inputData = { main: [items] };
	const runExecutionData = {
		resultData: { runData: {} },
		executionData: { contextData: {}, nodeExecutionStack: [], waitingExecution: {}, waitingExecutionSource: {}, metadata: {} },
	} as unknown as IRunExecutionData;
	const context = new ExecuteContext(
		workflow,
		nodeInWorkflow,
		additionalData,
		'manual',
		runExecutionData,
		0,
		items,
		inputData,
		{ node: nodeInWorkflow, data: inputData, source: null },
		[],
		new AbortController().signal,
	);
	return { context, credentialsHelper };
}

/** Executes the node once over the items; throws what n8n would show as the node's error. */
export async function runNode(run: Run): Promise<RunResult> {
	const { context, credentialsHelper } = executeContext(run);
	const output = await node.execute.call(context);
	return { output: output[0], credentialsHelper };
}

/** The PIT credential's `test` request, resolved and authenticated as n8n's credential test does, then sent. */
export async function runCredentialTest(credentials: IDataObject): Promise<unknown> {
	const type = 'highLevelPrivateIntegrationTokenApi';
	const credentialType = CREDENTIAL_TYPES[type];
	const request = credentialType.test!.request;
	const n8nNode: INode = { id: 't', name: 'Credential Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = workflowFor(n8nNode, 'UTC');
	const data = credentials as ICredentialDataDecryptedObject;
	const options: IHttpRequestOptions = {
		method: request.method ?? 'GET',
		url: `${resolve(workflow, n8nNode, request.baseURL, data) as string}${resolve(workflow, n8nNode, request.url, data) as string}`,
		headers: Object.fromEntries(
			Object.entries(request.headers ?? {}).map(([key, value]) => [key, resolve(workflow, n8nNode, value, data)]),
		) as IDataObject,
		json: true,
	};
	const authenticated = await new TestCredentialsHelper({}).authenticate(data, type, options, workflow, n8nNode);
	return await httpRequest(authenticated);
}
