// HighLevel's example payloads (shared/highlevel/examples) as the demo, the
// send-sample tool and the end-to-end tests send them.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from './n8n.mjs';

export const examplesDir = process.env.HIGHLEVEL_SHARED_DIR
	? path.join(process.env.HIGHLEVEL_SHARED_DIR, 'highlevel', 'examples')
	: path.resolve(repoRoot, '..', 'shared', 'highlevel', 'examples');

/** The example names (file names without .json). */
export function exampleNames() {
	return readdirSync(examplesDir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.slice(0, -'.json'.length))
		.sort();
}

export function readExample(name) {
	return JSON.parse(readFileSync(path.join(examplesDir, `${name}.json`), 'utf8'));
}

/**
 * Custom conversation provider deliveries carry a channel as `type` and no
 * envelope; app webhooks carry `type` InboundMessage / OutboundMessage / ....
 */
export function isProviderDelivery(body) {
	const event = ['InboundMessage', 'OutboundMessage'].includes(body.type);
	return !event && ('phone' in body || 'message' in body || 'emailTo' in body);
}

/**
 * The example as a new delivery: a fresh `webhookId` and `timestamp` (HighLevel's
 * envelope: a retry re-sends both unchanged, a new delivery has new ones), and
 * the app id of the receiving app, as HighLevel stamps every app webhook.
 * Provider deliveries and workflow webhooks have no envelope and are left alone
 * but for a fresh messageId, so that they are not taken for a repeat.
 */
export function freshDelivery(body, { appId } = {}) {
	const copy = structuredClone(body);
	if (copy.workflow && copy.location) {
		copy.customData = { ...(copy.customData ?? {}), messageId: `sample-${randomUUID()}` };
		return copy;
	}
	if (isProviderDelivery(copy)) {
		copy.messageId = `sample-${randomUUID()}`;
		return copy;
	}
	copy.webhookId = randomUUID();
	copy.timestamp = new Date().toISOString();
	if (appId !== undefined) copy.appId = appId;
	return copy;
}

/**
 * The sub-accounts (locations) of the examples: a test or demo user's own.
 * Custom conversation provider deliveries carry no app id, so the trigger binds
 * them to the user through its Location IDs.
 */
export function exampleLocations() {
	const ids = exampleNames()
		.map(readExample)
		.map((body) => body.locationId ?? body.location?.id)
		.filter((id) => typeof id === 'string');
	return [...new Set(ids)];
}
