// npm start: real n8n 2.x with this package installed the way users install it,
// the demo workflow live, and ready-to-paste commands that send signed samples.
// Ctrl-C stops n8n cleanly.
import { OWNER } from './lib/n8n.mjs';
import { startDemo } from './lib/demo.mjs';

/** What the auto-reply workflow sent to (the stand-in for) HighLevel's API. */
function showApiRequest(request) {
	const body = request.body ?? {};
	const text = body.message ?? body.html ?? '';
	const verdict = request.valid ? 'valid' : `refused ${request.status}: ${(request.violations ?? []).map((v) => v.message).join('; ')}`;
	console.log(
		`\n[HighLevel API] ${request.method} ${request.path} (${verdict}; ${request.authorization ? 'bearer token' : 'no token'}, Version ${request.version ?? 'none'})` +
			(body.type ? `\n                ${body.type} to contact ${body.contactId}: ${JSON.stringify(String(text).slice(0, 200))}` : ''),
	);
}

console.error('[start] building the package and starting n8n (the first run installs n8n first: a few minutes)');
const demo = await startDemo({ line: Number(process.env.N8N_LINE ?? 2), port: Number(process.env.N8N_PORT) || undefined, onApiRequest: showApiRequest });
const stop = async (signal) => {
	console.log(`\n${signal}: stopping n8n ...`);
	await demo.stop();
	console.log('n8n stopped.');
	process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));

console.log(`
HighLevel Message Trigger demo is live on n8n ${demo.runtime.version}.

  Editor:          ${demo.editorUrl}
                   ${demo.ownerCreated ? `log in as ${OWNER.email} / ${OWNER.password}` : 'owner account already set up'}
  Production URL:  ${demo.webhookUrl}
  Test URL:        ${demo.testUrl}   (while "Listen for test event" is on)
  Auto-reply:      ${demo.autoReplyEditorUrl}   (answers on the same channel)
  HighLevel API:   ${demo.api.url}   (a local stand-in; replies are printed here)

Send a signed sample message (in another terminal, from this folder):

  node scripts/send-sample.mjs inbound-sms
  node scripts/send-sample.mjs inbound-email-to-array     # any name in ../shared/highlevel/examples
  node scripts/send-sample.mjs inbound-sms --test         # to the editor's Test URL
  node scripts/send-sample.mjs --again                    # the same delivery again: a duplicate

Then open the workflow's Executions tab. Ctrl-C stops n8n.
`);
