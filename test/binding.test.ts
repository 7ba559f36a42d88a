/**
 * Only YOUR HighLevel gets in (SPEC section 6). HighLevel signs every app's
 * webhooks with one key, so under HighLevel Signature an event runs only when it
 * is bound to this user: its envelope `appId` is one of App IDs, or, for custom
 * provider deliveries (no `appId`), its location is on Location IDs. Refused
 * events are acknowledged (200 and a reason) so HighLevel does not retry them.
 */
import { randomUUID } from 'crypto';
import { type INodeParameters, type INodeProperties, NodeHelpers } from 'n8n-workflow';

import { callWebhook, makeTestKeys, node, signedCall, type TestKeys } from './helpers/harness';
import { readExample } from './helpers/io.cjs';

let keys: TestKeys;
beforeAll(() => {
	keys = makeTestKeys();
});

/** The user's own Marketplace app, and someone else's. */
const MY_APP = '6878cec452e7c8d29d4dd3d9';
const OTHER_APP = '698de27f462dc22d054c5cf5';
const MY_LOCATION = 'l1C08ntBrFjLS0elLIYU';

/** An InboundMessage of `appId`, sent by HighLevel just now. */
function inbound(appId: string | undefined, fields: Record<string, unknown> = {}) {
	return { ...readExample('inbound-sms').json, appId, webhookId: randomUUID(), timestamp: new Date().toISOString(), ...fields };
}

/** A custom conversation provider delivery: no appId, no envelope. */
function providerDelivery(locationId: string) {
	return { ...readExample('provider-outbound-1').json, locationId, messageId: randomUUID() };
}
const BOTH_EVENTS = ['InboundMessage', 'OutboundMessage'];

const refusal = (reason: string) => ({ received: true, started: false, reason });

async function send(body: unknown, parameters: INodeParameters) {
	return await callWebhook(signedCall(keys, body, { parameters }));
}

describe('App IDs: events of other apps do not run', () => {
	it('cross-tenant replay: another account\'s correctly signed InboundMessage is acknowledged and runs nothing; yours runs', async () => {
		// The attacker texts their own number, receives the signed delivery on their
		// own app and posts it, unchanged, to the victim's production URL.
		const replayed = await send(inbound(OTHER_APP, { body: 'Reset the password of account 42 and send it here' }), { appIds: MY_APP });
		expect([replayed.status, replayed.started]).toEqual([200, false]);
		expect(replayed.body).toEqual(refusal('app not allowed'));
		expect(replayed.answeredBy).toBe('node');

		const mine = await send(inbound(MY_APP), { appIds: MY_APP });
		expect([mine.status, mine.started, mine.output]).toEqual([200, true, 0]);
		expect(mine.body).toEqual({ received: true, started: true, channel: 'SMS' });
		expect(mine.item).toMatchObject({ event: 'InboundMessage', text: 'This is a test message' });
	});

	it.each<[string, unknown]>([
		['comma and space separated', ` ${OTHER_APP}, ${MY_APP}  third-app`],
		['one per line', `${OTHER_APP}\n${MY_APP}\n`],
		['a list (an expression\'s array)', [OTHER_APP, MY_APP]],
		['a list of lists of text', [`${OTHER_APP}, ${MY_APP}`]],
	])('App IDs as %s', async (_name, appIds) => {
		const parameters = { appIds } as INodeParameters;
		expect((await send(inbound(MY_APP), parameters)).started).toBe(true);
		expect((await send(inbound('a-third-party-app'), parameters)).body).toEqual(refusal('app not allowed'));
	});

	it('an app\'s event needs App IDs: its location on Location IDs does not admit it', async () => {
		const answer = await send(inbound(OTHER_APP), { options: { locationIds: MY_LOCATION } });
		expect([answer.status, answer.started, answer.body?.reason]).toEqual([200, false, 'app not allowed']);
	});

	it('an empty appId counts as none: bound by location', async () => {
		expect((await send(inbound(''), { appIds: MY_APP })).body).toEqual(refusal('location not allowed'));
		expect((await send(inbound(''), { options: { locationIds: MY_LOCATION } })).started).toBe(true);
	});
});

describe('Location IDs bind custom provider deliveries (no appId)', () => {
	it('a delivery for a listed location runs; any other, or any with App IDs alone, is acknowledged and runs nothing', async () => {
		const parameters = { events: BOTH_EVENTS, options: { locationIds: `${MY_LOCATION}, GKAWb4yu7A4LSc0skQ6g` } };
		const mine = await send(providerDelivery('GKAWb4yu7A4LSc0skQ6g'), parameters);
		expect([mine.status, mine.started, mine.item?.channel]).toEqual([200, true, 'SMS']);
		const theirs = await send(providerDelivery('someOtherAccountLoc'), parameters);
		expect([theirs.status, theirs.started]).toEqual([200, false]);
		expect(theirs.body).toEqual(refusal('location not allowed'));
		// App IDs do not bind a delivery that carries no appId.
		const appIdsOnly = await send(providerDelivery('GKAWb4yu7A4LSc0skQ6g'), { events: BOTH_EVENTS, appIds: MY_APP });
		expect(appIdsOnly.body).toEqual(refusal('location not allowed'));
	});

	it('Location IDs as a list (as an expression can yield) filters instead of letting everything through', async () => {
		const parameters = { events: BOTH_EVENTS, options: { locationIds: ['GKAWb4yu7A4LSc0skQ6g'] } } as INodeParameters;
		expect((await send(providerDelivery('GKAWb4yu7A4LSc0skQ6g'), parameters)).started).toBe(true);
		expect((await send(providerDelivery('someOtherAccountLoc'), parameters)).body).toEqual(refusal('location not allowed'));
		// The same under the other authentications, where Location IDs is only a filter.
		const unsigned = { authentication: 'none', options: { locationIds: ['l1', MY_LOCATION] } } as INodeParameters;
		expect((await callWebhook({ body: inbound(undefined), parameters: unsigned })).started).toBe(true);
		expect((await callWebhook({ body: inbound(undefined, { locationId: 'l9' }), parameters: unsigned })).body).toEqual(refusal('location not allowed'));
	});
});

describe('neither App IDs nor Location IDs: nothing runs, and the node says why', () => {
	it.each([
		['an app event', () => inbound(MY_APP)],
		['a provider delivery', () => providerDelivery('GKAWb4yu7A4LSc0skQ6g')],
		['an event without appId', () => inbound(undefined)],
	])('%s under the default settings is not run, and answered so that HighLevel retries until the node is set up', async (_name, body) => {
		const answer = await callWebhook(signedCall(keys, body(), { parameters: { events: BOTH_EVENTS } }));
		expect([answer.status, answer.started]).toEqual([503, false]);
		expect(answer.headers?.['retry-after']).toBe('300');
		expect(answer.body).toEqual({ error: 'unavailable', message: 'This trigger is not set up to accept HighLevel events yet; retry later.' });
	});

	it('the editor shows a notice until App IDs is set, and the field says where to find the App ID', () => {
		const shown = (parameters: INodeParameters) => {
			const values = NodeHelpers.getNodeParameters(node.description.properties, parameters, true, false, null, node.description) as INodeParameters;
			return node.description.properties.filter((property: INodeProperties) =>
				NodeHelpers.displayParameter(values, property, { typeVersion: 1 } as never, node.description),
			);
		};
		const notices = (parameters: INodeParameters) =>
			shown(parameters)
				.filter((property) => property.type === 'notice')
				.map((property) => property.displayName)
				.join('\n');
		expect(notices({})).toMatch(/App IDs/);
		expect(notices({ appIds: MY_APP })).not.toMatch(/App IDs/);
		const appIds = shown({}).find((property) => property.name === 'appIds');
		expect(appIds?.description).toMatch(/My Apps/);
		expect(shown({ authentication: 'headerSecret' }).map((property) => property.name)).not.toContain('appIds');
	});
});

describe('filters fail closed: a value that is not a list refuses every event', () => {
	it.each<[string, unknown]>([
		['a number', 12345],
		['an object', { id: MY_APP }],
		['a boolean', true],
		['a list with a number in it', [MY_APP, 7]],
	])('App IDs as %s', async (_name, appIds) => {
		const parameters = { appIds } as INodeParameters;
		for (const appId of [MY_APP, '12345', 'true', '[object Object]']) {
			const answer = await send(inbound(appId), parameters);
			expect([answer.status, answer.started, answer.body?.reason]).toEqual([200, false, 'app not allowed']);
		}
	});

	it.each<[string, unknown]>([
		['a number', 12345],
		['an object', { id: 'GKAWb4yu7A4LSc0skQ6g' }],
		['a list with an object in it', ['GKAWb4yu7A4LSc0skQ6g', { id: 'x' }]],
	])('Location IDs as %s', async (_name, locationIds) => {
		const signed = await send(providerDelivery('GKAWb4yu7A4LSc0skQ6g'), { events: BOTH_EVENTS, options: { locationIds } } as INodeParameters);
		expect([signed.status, signed.started, signed.body?.reason]).toEqual([200, false, 'location not allowed']);
		const numbered = await send(providerDelivery('12345'), { events: BOTH_EVENTS, options: { locationIds } } as INodeParameters);
		expect(numbered.started).toBe(false);
		// Also where Location IDs is the only filter.
		const unsigned = await callWebhook({ body: inbound(undefined, { locationId: '12345' }), parameters: { authentication: 'none', options: { locationIds } } as INodeParameters });
		expect([unsigned.status, unsigned.started, unsigned.body?.reason]).toEqual([200, false, 'location not allowed']);
	});
});

describe('Header Secret and None need no binding', () => {
	const secret = 'example-workflow-secret-0123456789';
	const headerSecret = {
		parameters: { authentication: 'headerSecret' },
		credentials: { highLevelHeaderSecretApi: { headerName: 'X-HighLevel-Secret', secret } },
		headers: { 'x-highlevel-secret': secret },
	};

	it('Header Secret: a workflow webhook and an app event run without App IDs or Location IDs', async () => {
		const workflow = await callWebhook({ ...headerSecret, body: readExample('workflow-webhook-customer-replied').raw });
		expect([workflow.status, workflow.started]).toEqual([200, true]);
		const appEvent = await callWebhook({ ...headerSecret, body: inbound(OTHER_APP) });
		expect([appEvent.status, appEvent.started]).toEqual([200, true]);
		// App IDs, hidden under Header Secret, does not apply even if it holds a value.
		const stale = await callWebhook({ ...headerSecret, parameters: { authentication: 'headerSecret', appIds: MY_APP }, body: inbound(OTHER_APP) });
		expect(stale.started).toBe(true);
	});

	it('None: events run without App IDs or Location IDs', async () => {
		const answer = await callWebhook({ body: inbound(OTHER_APP), parameters: { authentication: 'none' } });
		expect([answer.status, answer.started]).toEqual([200, true]);
	});
});
