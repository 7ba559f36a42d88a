/**
 * The node's parameters, resource by resource (the layout of n8n's own
 * versioned nodes: description apart from the actions that read it).
 */
import type { INodeProperties } from 'n8n-workflow';

import { authentication, resource } from './common';
import { contactFields, contactOperations } from './contact';
import { conversationFields, conversationOperations } from './conversation';
import { messageFields, messageOperations } from './message';

export { AUTH_OAUTH2, AUTH_PRIVATE_INTEGRATION_TOKEN } from './common';

export const properties: INodeProperties[] = [
	authentication,
	resource,
	messageOperations,
	...messageFields,
	conversationOperations,
	...conversationFields,
	contactOperations,
	...contactFields,
];
