// Where `npm start` keeps the running demo's state (URLs, the demo signing key),
// so that scripts/send-sample.mjs can reach it from another terminal.
import { homedir } from 'node:os';
import path from 'node:path';

export const cacheDir = process.env.HL_N8N_CACHE ?? path.join(homedir(), '.cache', 'n8n-nodes-highlevel-messages');
export const demoRoot = path.join(cacheDir, 'demo');
export const demoStateFile = path.join(demoRoot, 'demo.json');
