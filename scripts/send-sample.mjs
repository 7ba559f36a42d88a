// Sends one HighLevel example, signed with the demo key, to the demo that
// `npm start` runs. Each send is a new delivery (fresh webhookId and timestamp,
// stamped with the demo app's id), as HighLevel would send a new message.
//
//   node scripts/send-sample.mjs [name] [--test] [--again]
//     name     an example from ../shared/highlevel/examples (default inbound-sms), or a .json file
//     --test   send to the Test URL (the editor's "Listen for test event") instead of the Production URL
//     --again  re-send the previous delivery unchanged, as a HighLevel retry would (it is acknowledged as a duplicate)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { demoStateFile } from './lib/demo-state.mjs';
import { exampleNames, freshDelivery, readExample } from './lib/samples.mjs';
import { postSigned } from './lib/send.mjs';

const args = process.argv.slice(2);
const flags = new Set(args.filter((arg) => arg.startsWith('--')));
const unknownFlags = [...flags].filter((flag) => !['--test', '--again', '--help'].includes(flag));
const name = args.find((arg) => !arg.startsWith('--')) ?? 'inbound-sms';
const usage = () =>
	`usage: node scripts/send-sample.mjs [name] [--test] [--again]\n\nnames:\n${exampleNames().map((n) => `  ${n}`).join('\n')}\n  or a path to a .json file`;

if (flags.has('--help') || unknownFlags.length > 0) {
	if (unknownFlags.length > 0) console.error(`unknown option ${unknownFlags.join(', ')}\n`);
	console.error(usage());
	process.exit(flags.has('--help') ? 0 : 2);
}
if (!existsSync(demoStateFile)) {
	console.error('No demo is running: start it with `npm start` first (in another terminal, from this folder).');
	process.exit(1);
}
const state = JSON.parse(readFileSync(demoStateFile, 'utf8'));
const lastFile = path.join(path.dirname(demoStateFile), 'last-delivery.json');

let raw;
if (flags.has('--again')) {
	if (!existsSync(lastFile)) {
		console.error('Nothing was sent yet: send a sample first, then --again re-sends it.');
		process.exit(1);
	}
	raw = readFileSync(lastFile);
} else {
	let example;
	if (name.endsWith('.json')) {
		example = JSON.parse(readFileSync(path.resolve(name), 'utf8'));
	} else if (exampleNames().includes(name)) {
		example = readExample(name);
	} else {
		console.error(`There is no example called "${name}".\n\n${usage()}`);
		process.exit(2);
	}
	raw = Buffer.from(JSON.stringify(freshDelivery(example, { appId: state.appId }), null, 2));
	writeFileSync(lastFile, raw);
}

// Production samples go to both demo workflows, as to two subscribed apps: the
// one that routes by channel, and the one that replies (its reply is printed by
// `npm start`).
const targets = flags.has('--test')
	? [['Test URL', state.testUrl]]
	: [
			['by channel', state.webhookUrl],
			['auto-reply', state.autoReplyUrl],
		].filter(([, url]) => url);
let ok = true;
for (const [label, url] of targets) {
	let answer;
	try {
		answer = await postSigned(url, raw, readFileSync(state.privateKeyFile, 'utf8'));
	} catch (error) {
		console.error(`Could not reach n8n at ${url}: ${error.cause?.message ?? error.message}. Is \`npm start\` still running?`);
		process.exit(1);
	}
	ok &&= answer.status >= 200 && answer.status < 300;
	console.log(`${label}: ${answer.status} ${answer.body.length > 300 ? `${answer.body.slice(0, 300)}...` : answer.body}`);
	let parsed;
	try {
		parsed = JSON.parse(answer.body);
	} catch {
		parsed = undefined;
	}
	if (answer.status === 404 && flags.has('--test')) {
		console.log('  n8n is not listening for a test event: open the workflow, open the trigger, click "Execute step" ("Listen for test event" in n8n 1.x), and send again.');
	} else if (parsed?.started === false) {
		console.log(`  acknowledged but not run: ${parsed.reason}.${parsed.reason === 'duplicate' ? ' HighLevel retries carry the same webhookId; send without --again for a new delivery.' : ''}`);
	} else if (parsed?.started === true) {
		console.log(`  started the workflow on the ${parsed.channel} output`);
	}
}
if (!flags.has('--test')) console.log(`See the runs in the editor: ${state.editorUrl} (and the auto-reply workflow's replies in the npm start terminal)`);
process.exit(ok ? 0 : 1);
