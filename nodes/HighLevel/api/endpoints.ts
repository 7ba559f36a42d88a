/**
 * The HighLevel API endpoints the package calls, with what an error message
 * needs to know about each: the scope it requires, what a 404 means, and whether
 * repeating it is safe.
 *
 * Paths, methods, versions and scopes are those of HighLevel's OpenAPI documents
 * (pinned in shared/highlevel/openapi); tests check every request against them.
 */
import type { IHttpRequestMethods } from 'n8n-workflow';

export const DEFAULT_BASE_URL = 'https://services.leadconnectorhq.com';

/** The `Version` header each API family requires. */
export const API_VERSION = {
	conversations: '2021-04-15',
	contacts: '2021-07-28',
} as const;

export interface Endpoint {
	/** How the user calls it in the node, for error messages: "Message > Send". */
	action: string;
	method: IHttpRequestMethods;
	/** Path template; `{name}` is filled from the call's path parameters. */
	path: string;
	version: string;
	/** The OAuth / Private Integration scope HighLevel checks. */
	scope: string;
	/**
	 * Creates something HighLevel acts on (a message goes out). Such a request is
	 * never repeated, and a lost answer is reported as "may have been sent".
	 */
	sends: boolean;
	/** What a 404 means for this endpoint, in the user's words. */
	notFound: string;
}

const message = 'conversations/message';

export const ENDPOINTS = {
	sendMessage: {
		action: 'Message > Send',
		method: 'POST',
		path: '/conversations/messages',
		version: API_VERSION.conversations,
		scope: `${message}.write`,
		sends: true,
		notFound: 'HighLevel knows no contact with this Contact ID in the credential\'s sub-account',
	},
	getMessage: {
		action: 'Message > Get',
		method: 'GET',
		path: '/conversations/messages/{id}',
		version: API_VERSION.conversations,
		scope: `${message}.readonly`,
		sends: false,
		notFound: 'HighLevel knows no message with this Message ID in the credential\'s sub-account',
	},
	getRecording: {
		action: 'Message > Get Recording',
		method: 'GET',
		path: '/conversations/messages/{messageId}/locations/{locationId}/recording',
		version: API_VERSION.conversations,
		scope: `${message}.readonly`,
		sends: false,
		notFound:
			'HighLevel has no recording for this message: only calls and voicemails have one, and it can take a minute after the call ends',
	},
	getTranscription: {
		action: 'Message > Get Transcription',
		method: 'GET',
		path: '/conversations/locations/{locationId}/messages/{messageId}/transcription',
		version: API_VERSION.conversations,
		scope: `${message}.readonly`,
		sends: false,
		notFound:
			'HighLevel has no transcription for this message: only recorded calls and voicemails have one, when transcription is on for the sub-account',
	},
	updateMessageStatus: {
		action: 'Message > Update Status',
		method: 'PUT',
		path: '/conversations/messages/{messageId}/status',
		version: API_VERSION.conversations,
		scope: `${message}.write`,
		sends: false,
		notFound: 'HighLevel knows no message with this Message ID in the credential\'s sub-account',
	},
	searchConversations: {
		action: 'Conversation > Search',
		method: 'GET',
		path: '/conversations/search',
		version: API_VERSION.conversations,
		scope: 'conversations.readonly',
		sends: false,
		notFound: 'HighLevel knows no such sub-account (check the Location ID of the credential)',
	},
	getConversation: {
		action: 'Conversation > Get',
		method: 'GET',
		path: '/conversations/{conversationId}',
		version: API_VERSION.conversations,
		scope: 'conversations.readonly',
		sends: false,
		notFound: 'HighLevel knows no conversation with this Conversation ID in the credential\'s sub-account',
	},
	getConversationMessages: {
		action: 'Conversation > Get Messages',
		method: 'GET',
		path: '/conversations/{conversationId}/messages',
		version: API_VERSION.conversations,
		scope: `${message}.readonly`,
		sends: false,
		notFound: 'HighLevel knows no conversation with this Conversation ID in the credential\'s sub-account',
	},
	getContact: {
		action: 'Contact > Get',
		method: 'GET',
		path: '/contacts/{contactId}',
		version: API_VERSION.contacts,
		scope: 'contacts.readonly',
		sends: false,
		notFound: 'HighLevel knows no contact with this Contact ID in the credential\'s sub-account',
	},
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

/** Every scope the operations need, for the OAuth2 credential's default and hint. */
export const REQUIRED_SCOPES: readonly string[] = [
	...new Set(Object.values(ENDPOINTS).map((endpoint) => endpoint.scope)),
].sort();
