/**
 * Messages read from HighLevel's API, made readable the way the trigger's items
 * are: the channel by the same table, and email HTML as plain text.
 */
import type { IDataObject } from 'n8n-workflow';

import { type Channel, detectChannel } from '../channel';
import { htmlToText } from '../html-to-text';

export function messageChannel(message: IDataObject): Channel {
	// The API's numeric `type` is not the webhook's messageTypeId, so only the names count.
	return detectChannel({ messageType: message.messageType, status: message.status });
}

export function readableText(message: IDataObject, channel: Channel = messageChannel(message)): string {
	const body = typeof message.body === 'string' ? message.body : '';
	// Stryker disable next-line StringLiteral: no placeholder text says html either
	const isHtml = channel === 'Email' || /html/i.test(String(message.contentType ?? ''));
	return isHtml ? htmlToText(body) : body;
}

/** The message as HighLevel returns it, plus `channel` and readable `text`. */
export function withReadableText(message: IDataObject): IDataObject {
	const channel = messageChannel(message);
	return { ...message, channel, text: readableText(message, channel) };
}

/**
 * HighLevel's live API wraps single records (`{"message": {...}}`,
 * `{"contact": {...}}`) although its document shows the bare object; accept both.
 */
export function unwrap(response: unknown, key: string): IDataObject {
	const object = (typeof response === 'object' && response !== null ? response : {}) as IDataObject;
	const inner = object[key];
	if (typeof inner === 'object' && inner !== null && !Array.isArray(inner) && object.id === undefined) {
		return inner as IDataObject;
	}
	return object;
}
