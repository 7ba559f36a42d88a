/**
 * A failed HighLevel request -> an n8n error that says what happened in
 * HighLevel's words and what the user can do about it.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { CREDENTIAL_TYPE, type Connection } from './connection';
import type { Endpoint } from './endpoints';
import { type Failure, highLevelMessage, neverReachedHighLevel, retryAfterSeconds } from './failure';

/** HighLevel's burst window: 100 requests per 10 seconds per sub-account. */
export const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 10;

export interface ErrorContext {
	node: INode;
	endpoint: Endpoint;
	connection: Connection;
	itemIndex?: number;
	/** How often a 429 was already waited out and repeated. */
	retries?: number;
}

interface Explained {
	message: string;
	description: string;
}

function quote(text: string | null): string {
	return text === null ? '' : `: ${text}`;
}

function unauthorized(context: ErrorContext, said: string | null): Explained {
	const fix =
		context.connection.credentialType === CREDENTIAL_TYPE.marketplaceApp
			? 'The OAuth2 connection is no longer valid and n8n could not refresh it. Open the credential and reconnect it.'
			: 'The Private Integration Token is wrong, expired or was rotated. In HighLevel, open Settings > Private Integrations, copy the current token (or create a new one) and paste it into the credential.';
	return { message: `HighLevel did not accept the credential (401)${quote(said)}`, description: fix };
}

function forbidden(context: ErrorContext, said: string | null): Explained {
	const { action, scope } = context.endpoint;
	const grant =
		context.connection.credentialType === CREDENTIAL_TYPE.marketplaceApp
			? `add "${scope}" to the credential's Scope (and to your HighLevel app's scopes), then reconnect the credential`
			: `in HighLevel, open Settings > Private Integrations, edit the integration, tick the scope "${scope}" and use its token`;
	// Stryker disable next-line StringLiteral: no placeholder text names a location or sub-account
	const aboutLocation = /location|sub-?account/i.test(said ?? '')
		? ' HighLevel mentions the location: the record belongs to another sub-account than the credential, or the Location ID is wrong.'
		: '';
	return {
		message: `HighLevel refused access (403): ${action} needs the scope "${scope}"${said ? ` (HighLevel says: ${said})` : ''}`,
		description: `To grant it, ${grant}.${aboutLocation}`,
	};
}

function rateLimited(context: ErrorContext, failure: Failure): Explained {
	const wait = retryAfterSeconds(failure.headers) ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS;
	const retried = context.retries
		? ` The node already waited and tried ${context.retries} more time${context.retries === 1 ? '' : 's'}.`
		: '';
	const notSent = context.endpoint.sends
		? ' Nothing was sent, and the node did not try again by itself so that a message can never go out twice.'
		: '';
	return {
		message: `HighLevel's rate limit was reached (429): try again in ${Math.ceil(wait)} seconds`,
		description: `HighLevel allows about 100 requests per 10 seconds and a daily maximum per sub-account.${retried}${notSent} Spread the work out (for example with a Wait node or smaller batches).`,
	};
}

function serverError(context: ErrorContext, failure: Failure, said: string | null): Explained {
	const status = failure.status ?? 500;
	return {
		message: `HighLevel failed to process the request (${status})${quote(said)}`,
		description: context.endpoint.sends
			? 'The message may or may not have gone out. The node did not send it again so that it cannot arrive twice: check the contact\'s conversation in HighLevel before running this again.'
			: 'The problem is on HighLevel\'s side. Try again in a few minutes; HighLevel\'s status page says whether there is an outage.',
	};
}

/** The base URL as it may be shown: a proxy's user and password stay out of messages. */
function shown(baseUrl: string): string {
	try {
		const url = new URL(baseUrl);
		url.username = '';
		url.password = '';
		return url.toString().replace(/\/$/, '');
	} catch {
		return 'the API Base URL';
	}
}

function noAnswer(context: ErrorContext, failure: Failure): Explained {
	const detail = [failure.code, failure.message].filter(Boolean).join(', ');
	if (neverReachedHighLevel(failure)) {
		return {
			message: `Could not reach HighLevel at ${shown(context.connection.baseUrl)}`,
			description: `Nothing was sent (${detail}). Check the API Base URL in the credential and this machine's network access.`,
		};
	}
	if (context.endpoint.sends) {
		return {
			message: 'No answer from HighLevel after the message was sent: it may have gone out',
			description: `The connection dropped or timed out after the request left (${detail}). The node did not send it again so that it cannot arrive twice: check the contact's conversation in HighLevel before running this again.`,
		};
	}
	return {
		message: 'No answer from HighLevel',
		description: `The connection dropped or timed out (${detail}). Try again; if it keeps happening, check the network and HighLevel's status page.`,
	};
}

export function explain(context: ErrorContext, failure: Failure): Explained {
	const said = highLevelMessage(failure.body);
	const { status } = failure;
	if (status === null) return noAnswer(context, failure);
	// Stryker disable next-line StringLiteral: no placeholder text says invalid_grant
	if (status === 401 || /invalid_grant/.test(said ?? '')) return unauthorized(context, said);
	if (status === 403) return forbidden(context, said);
	if (status === 404) {
		return {
			message: `Not found in HighLevel (404): ${context.endpoint.notFound}`,
			description: `${said ? `HighLevel says: ${said}. ` : ''}Check the ID, and that the credential belongs to the same sub-account as the record.`,
		};
	}
	if (status === 429) return rateLimited(context, failure);
	if (status >= 500) return serverError(context, failure, said);
	if (status === 400 || status === 422) {
		return {
			message: `HighLevel rejected the request (${status})${quote(said)}`,
			description: `${context.endpoint.action}: HighLevel found a field missing or invalid. Correct the field it names and run again.`,
		};
	}
	return {
		message: `HighLevel answered ${status}${quote(said)}`,
		description: `${context.endpoint.action} did not succeed.`,
	};
}

export function toNodeApiError(context: ErrorContext, failure: Failure): NodeApiError {
	const { message, description } = explain(context, failure);
	// A plain object rather than the axios error: NodeApiError would otherwise
	// replace this message and description with its generic ones.
	// Stryker disable next-line ObjectLiteral: n8n shows the message, description and httpCode passed explicitly; this copy is only kept on the error
	const response: JsonObject = { message, highLevel: (highLevelMessage(failure.body) ?? null) as string | null };
	return new NodeApiError(context.node, response, {
		message,
		description,
		httpCode: failure.status === null ? undefined : String(failure.status),
		itemIndex: context.itemIndex,
	});
}
