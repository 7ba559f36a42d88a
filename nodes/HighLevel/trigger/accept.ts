/**
 * Which parsed events start the workflow, and which are acknowledged and dropped.
 * Pure: the node passes in its settings, its duplicate memory and the clock.
 */
import { CHANNEL_INDEX, CHANNELS } from '../channel';
import type { DuplicateCheck } from './shared-dedupe';
import { deliveryKey, eventTime, type MessageItem, toMessage } from '../normalize';
import type { JsonObject } from '../schema';

export interface AcceptSettings {
	/** Event names that start the workflow (`InboundMessage`, `OutboundMessage`, ...). */
	events: ReadonlySet<string>;
	/** Allowed location ids; null accepts every location. */
	locationIds: ReadonlySet<string> | null;
	/** 0 turns the age check off. */
	maxEventAgeMs: number;
	includeRaw: boolean;
	/** Present when duplicates are ignored. */
	duplicates?: DuplicateCheck;
}

export type IgnoreReason =
	| 'not a message event'
	| 'event not selected'
	| 'location not allowed'
	| 'event too old'
	| 'duplicate';

export type Decision =
	| { emit: true; item: MessageItem; output: number; deliveryKey: string | null }
	| { emit: false; reason: IgnoreReason; detail?: string };

/** "a, b ,,c" -> {a, b, c}; empty -> null (accept all). */
export function parseIdList(list: string): ReadonlySet<string> | null {
	const ids = list
		.split(/[\s,;]+/)
		.map((id) => id.trim())
		.filter((id) => id.length > 0);
	return ids.length > 0 ? new Set(ids) : null;
}

export async function acceptEvent(body: JsonObject, settings: AcceptSettings, now = Date.now()): Promise<Decision> {
	const result = toMessage(body, settings.includeRaw);
	if (!result.ok) {
		return { emit: false, reason: 'not a message event', detail: result.eventType ?? undefined };
	}
	const { item } = result;
	// Workflow webhooks exist only because the user added the action: always wanted.
	if (item.event !== 'WorkflowWebhook' && !settings.events.has(item.event)) {
		return { emit: false, reason: 'event not selected', detail: item.event };
	}
	if (settings.locationIds !== null && (item.locationId === null || !settings.locationIds.has(item.locationId))) {
		return { emit: false, reason: 'location not allowed', detail: item.locationId ?? undefined };
	}
	if (settings.maxEventAgeMs > 0) {
		const time = eventTime(item);
		if (time !== null && now - time > settings.maxEventAgeMs) {
			return { emit: false, reason: 'event too old', detail: item.timestamp ?? item.dateAdded ?? undefined };
		}
	}
	const key = deliveryKey(item);
	// Last, so that events ignored for other reasons are not remembered.
	if (settings.duplicates !== undefined && key !== null && (await settings.duplicates.checkAndRemember(key, now))) {
		return { emit: false, reason: 'duplicate', detail: key };
	}
	return { emit: true, item, output: CHANNEL_INDEX[item.channel], deliveryKey: key };
}

/** The item on its channel's output, or on the only output in Single Output mode. */
export function routeToOutputs<T>(item: T, output: number, singleOutput: boolean): T[][] {
	if (singleOutput) return [[item]];
	const outputs: T[][] = CHANNELS.map(() => []);
	outputs[output].push(item);
	return outputs;
}
