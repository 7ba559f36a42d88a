// Sends one HighLevel example, signed with the demo key, to the demo started by
// `npm start`.   usage: node scripts/send-sample.mjs [example name or .json file]
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { repoRoot } from './lib/n8n.mjs';
import { postSigned } from './lib/send.mjs';

const cache = process.env.HL_N8N_CACHE ?? path.join(homedir(), '.cache', 'n8n-nodes-highlevel-messages');
const stateFile = path.join(cache, 'demo', 'demo.json');
if (!existsSync(stateFile)) {
	console.error('No demo is running: start it with `npm start` first.');
	process.exit(1);
}
const state = JSON.parse(readFileSync(stateFile, 'utf8'));
const name = process.argv[2] ?? 'inbound-sms';
const file = name.endsWith('.json') ? path.resolve(name) : path.resolve(repoRoot, '..', 'shared', 'highlevel', 'examples', `${name}.json`);
const body = JSON.parse(readFileSync(file, 'utf8'));
// A fresh delivery id, so that sending the same example twice runs twice
// (the trigger ignores a repeated webhookId as a HighLevel retry).
if ('webhookId' in body) body.webhookId = randomUUID();
const raw = Buffer.from(JSON.stringify(body, null, 2));
const { status, body: answer } = await postSigned(state.webhookUrl, raw, readFileSync(state.privateKeyFile, 'utf8'));
console.log(`${status} ${answer}`);
process.exit(status === 200 ? 0 : 1);
