/**
 * One HighLevel API call through n8n's authenticated request helper: base URL
 * and sub-account from the credential, the `Version` header of the endpoint, a
 * 429 waited out and repeated for reads (never for a send), and any failure
 * turned into an error the user can act on (errors.ts).
 */
import type {
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type Connection, CREDENTIAL_TYPE, type CredentialReader } from './connection';
import type { Endpoint } from './endpoints';
import { DEFAULT_RATE_LIMIT_WAIT_SECONDS, toNodeApiError } from './errors';
import { type Failure, failureOfResponse, readFailure, retryAfterSeconds } from './failure';
import { sleepUnlessAborted } from './wait';

/** Reads wait out at most this many 429s in a row... */
export const MAX_RATE_LIMIT_RETRIES = 3;
/** ...and none longer than this: a longer wait is reported instead of blocking the execution. */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 60;
/** HighLevel answers in well under a second; a minute means the answer is lost. */
export const REQUEST_TIMEOUT_MS = 60_000;

export interface ApiContext extends CredentialReader {
	helpers: {
		httpRequestWithAuthentication(
			this: unknown,
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
			additionalCredentialOptions?: IDataObject,
		): Promise<unknown>;
	};
	getExecutionCancelSignal?(): AbortSignal | undefined;
}

export interface ApiCall {
	pathParams?: Record<string, string>;
	qs?: IDataObject;
	body?: IDataObject;
	/** Download: the full response with the body as a Buffer. */
	binary?: boolean;
	itemIndex?: number;
	timeoutMs?: number;
	/**
	 * How many 429s to wait out (reads only; default MAX_RATE_LIMIT_RETRIES). The
	 * trigger asks for none: HighLevel is waiting for its answer meanwhile.
	 */
	rateLimitRetries?: number;
}

export function fillPath(node: INode, template: string, params: Record<string, string> = {}): string {
	return template.replace(/\{(\w+)\}/g, (_, name: string) => {
		const value = params[name];
		if (typeof value !== 'string' || value.trim() === '') {
			throw new NodeOperationError(node, `The ${name} is empty`, {
				description: 'HighLevel needs it to find the record: map it from a previous node or type it in.',
			});
		}
		return encodeURIComponent(value.trim());
	});
}

function dropEmpty(values: IDataObject | undefined): IDataObject | undefined {
	if (values === undefined) return undefined;
	// axios leaves undefined values (and an empty object) out of the URL by itself.
	return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== ''));
}

export function buildRequest(node: INode, connection: Connection, endpoint: Endpoint, call: ApiCall): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: endpoint.method,
		url: `${connection.baseUrl}${fillPath(node, endpoint.path, call.pathParams)}`,
		headers: { Version: endpoint.version, Accept: call.binary ? '*/*' : 'application/json' },
		qs: dropEmpty(call.qs),
		timeout: call.timeoutMs ?? REQUEST_TIMEOUT_MS,
		// Errors are read here, with their headers (Retry-After), not thrown by n8n.
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Stryker disable next-line BooleanLiteral: n8n only adds an Accept header for json, and this request always sets one
		json: !call.binary,
	};
	if (call.binary) options.encoding = 'arraybuffer';
	// Stryker disable next-line ConditionalExpression: n8n sends no undefined body
	if (call.body !== undefined) options.body = call.body;
	return options;
}

async function send(context: ApiContext, connection: Connection, options: IHttpRequestOptions): Promise<IN8nHttpFullResponse> {
	// A fresh copy each time: n8n's helpers add the token to the options they get.
	const response = await context.helpers.httpRequestWithAuthentication.call(context, connection.credentialType, {
		...options,
		headers: { ...options.headers },
	});
	const full = (response ?? {}) as Partial<IN8nHttpFullResponse>;
	return { body: full.body, headers: full.headers ?? {}, statusCode: full.statusCode ?? 200 } as IN8nHttpFullResponse;
}

/**
 * The body of HighLevel's 2xx answer (the whole response for downloads), or a
 * NodeApiError that says what went wrong and what to do.
 */
export async function highLevelRequest(
	context: ApiContext,
	connection: Connection,
	endpoint: Endpoint,
	call: ApiCall = {},
): Promise<unknown> {
	const node = context.getNode();
	const options = buildRequest(node, connection, endpoint, call);
	const retriesAllowed = endpoint.method === 'GET' ? (call.rateLimitRetries ?? MAX_RATE_LIMIT_RETRIES) : 0;
	const fail = (failure: Failure, retries: number) =>
		toNodeApiError({ node, endpoint, connection, itemIndex: call.itemIndex, retries }, failure);
	const result = (response: IN8nHttpFullResponse) => (call.binary ? response : response.body);

	for (let retries = 0; ; retries++) {
		let response: IN8nHttpFullResponse;
		try {
			response = await send(context, connection, options);
		} catch (error) {
			throw fail(readFailure(error), retries);
		}
		const status = response.statusCode;
		// A final answer is never 1xx (Node handles those itself).
		if (status < 300) return result(response);

		if (status === 401 && connection.credentialType === CREDENTIAL_TYPE.marketplaceApp) {
			// n8n refreshes an OAuth2 token only when the request throws a 401, and
			// then repeats it. HighLevel refused this one, so nothing goes out twice.
			try {
				const renewed = await send(context, connection, { ...options, ignoreHttpStatusErrors: false });
				return result(renewed);
			} catch (error) {
				throw fail(readFailure(error), retries);
			}
		}

		const failure = failureOfResponse(response);
		if (status === 429 && retries < retriesAllowed) {
			const waitSeconds = retryAfterSeconds(failure.headers) ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS;
			if (waitSeconds <= MAX_RATE_LIMIT_WAIT_SECONDS) {
				await sleepUnlessAborted(waitSeconds * 1000, context.getExecutionCancelSignal?.());
				continue;
			}
		}
		throw fail(failure, retries);
	}
}
