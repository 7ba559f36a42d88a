/**
 * Which parsed events start the workflow, and which are acknowledged and dropped.
 * Pure: the node passes in its settings and the clock. Duplicates are the
 * ledger's business, after this.
 */
import { CHANNEL_INDEX, CHANNELS } from '../channel';
import { deliveryKey, eventTime, type MessageItem, toMessage } from '../normalize';
import type { JsonObject } from '../schema';

export interface AcceptSettings {
	/** Event names that start the workflow (`InboundMessage`, `OutboundMessage`, ...). */
	events: ReadonlySet<string>;
	/** Allowed location ids; null accepts every location. */
	locationIds: ReadonlySet<string> | null;
	/**
	 * HighLevel signs every app's webhooks with one key, so under HighLevel
	 * Signature an event must also be bound to this user: its envelope `appId`
	 * on this list, or, with no `appId` (custom provider deliveries), its
	 * location on `locationIds`. null: not required (other authentication).
	 */
	appIds: ReadonlySet<string> | null;
	requireBinding: boolean;
	/** 0 turns the age check off. */
	maxEventAgeMs: number;
	includeRaw: boolean;
	/**
	 * Outbound messages an automation sent (a HighLevel workflow, campaign, bulk
	 * action, or the API, which is how this package's action node replies) are
	 * acknowledged and dropped: a workflow that answers outbound messages would
	 * otherwise answer its own answers for ever.
	 */
	ignoreAutomated: boolean;
}

/** Under HighLevel Signature with neither App IDs nor Location IDs: the node is not set up yet. */
export const NOT_BOUND = 'no App IDs or Location IDs set in the trigger';

export type IgnoreReason =
	| 'not a message event'
	| 'no App IDs or Location IDs set in the trigger'
	| 'app not allowed'
	| 'event not selected'
	| 'location not allowed'
	| 'event too old'
	| 'sent by automation';

export type Decision =
	| { emit: true; item: MessageItem; output: number; deliveryKey: string | null }
	| { emit: false; reason: IgnoreReason; detail?: string };

export type IdList = { ok: true; ids: ReadonlySet<string> | null } | { ok: false };

/**
 * An allow-list as a user or an expression gives it: "a, b ;c" (commas,
 * semicolons or whitespace) or ["a", "b c"] -> {a, b, c}; not set, "" or []
 * -> null (no list). Anything else (a number, an object, null from an
 * expression, a list holding a non-string) is not a list: { ok: false }, and
 * the caller must refuse rather than accept everything.
 */
export function parseIdList(value: unknown): IdList {
	let parts: unknown[];
	if (value === undefined) parts = [];
	else if (typeof value === 'string')
		// Stryker disable next-line Regex: splitting at each separator only adds empty parts, which are dropped below
		parts = value.split(/[\s,;]+/);
	else if (Array.isArray(value))
		// Stryker disable next-line Regex: splitting at each separator only adds empty parts, which are dropped below
		parts = value.flatMap((entry) => (typeof entry === 'string' ? entry.split(/[\s,;]+/) : [entry]));
	else return { ok: false };
	const ids: string[] = [];
	for (const part of parts) {
		if (typeof part !== 'string') return { ok: false };
		if (part.length > 0) ids.push(part);
	}
	return { ok: true, ids: ids.length > 0 ? new Set(ids) : null };
}

export function acceptEvent(body: JsonObject, settings: AcceptSettings, now = Date.now()): Decision {
	const result = toMessage(body, settings.includeRaw);
	if (!result.ok) {
		return { emit: false, reason: 'not a message event', detail: result.eventType ?? undefined };
	}
	const { item } = result;
	if (settings.requireBinding) {
		const refusal = unbound(body, item, settings);
		if (refusal !== undefined) return refusal;
	}
	// Workflow webhooks exist only because the user added the action: always wanted.
	if (item.event !== 'WorkflowWebhook' && !settings.events.has(item.event)) {
		return { emit: false, reason: 'event not selected', detail: item.event };
	}
	if (settings.ignoreAutomated && item.event === 'OutboundMessage' && item.sentByHuman === false) {
		return { emit: false, reason: 'sent by automation', detail: item.source ?? undefined };
	}
	// Stryker disable next-line ConditionalExpression: a set of ids never has null, so the null check only says it twice
	if (settings.locationIds !== null && (item.locationId === null || !settings.locationIds.has(item.locationId))) {
		return { emit: false, reason: 'location not allowed', detail: item.locationId ?? undefined };
	}
	if (settings.maxEventAgeMs > 0) {
		const time = eventTime(item);
		if (time !== null && now - time > settings.maxEventAgeMs) {
			return { emit: false, reason: 'event too old', detail: item.timestamp ?? item.dateAdded ?? undefined };
		}
	}
	return { emit: true, item, output: CHANNEL_INDEX[item.channel], deliveryKey: deliveryKey(item) };
}

/** Why a signed event is not this user's, or undefined when it is. */
function unbound(body: JsonObject, item: MessageItem, settings: AcceptSettings): Decision | undefined {
	if (settings.appIds === null && settings.locationIds === null) {
		return { emit: false, reason: NOT_BOUND };
	}
	const appId = body.appId;
	if (typeof appId === 'string' && appId !== '') {
		return settings.appIds?.has(appId) ? undefined : { emit: false, reason: 'app not allowed', detail: appId.slice(0, 100) };
	}
	// No app id: a custom conversation provider delivery, bound by its location.
	// Stryker disable next-line ConditionalExpression: a set of ids never has null, so the null check only says it twice
	if (item.locationId !== null && settings.locationIds?.has(item.locationId)) return undefined;
	return { emit: false, reason: 'location not allowed', detail: item.locationId ?? undefined };
}

/** The item on its channel's output, or on the only output in Single Output mode. */
export function routeToOutputs<T>(item: T, output: number, singleOutput: boolean): T[][] {
	if (singleOutput) return [[item]];
	const outputs: T[][] = CHANNELS.map(() => []);
	outputs[output].push(item);
	return outputs;
}
