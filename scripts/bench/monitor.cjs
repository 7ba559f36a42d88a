// Samples a running n8n for the load benchmark, every <intervalMs> ms, one JSON
// line per sample on stdout:
//   {"seq":N,"t":<ms since epoch>,"rssKb":..,"hwmKb":..,"counts":{"<workflowId>":{"<status>":n,...},...}}
// counts: executions per workflow and status, from n8n's own SQLite database
// (one COUNT ... GROUP BY over the (status, workflowId) index, read-only);
// rssKb / hwmKb: VmRSS and VmHWM of the n8n process from /proc/<pid>/status.
// One long-lived process (started once per n8n instance), so sampling costs a
// query, not a Node start-up, every tick. Run with the n8n instance's own Node
// so n8n's sqlite3 build loads.
// usage: node monitor.cjs <n8n install dir> <database.sqlite> <n8n pid> [intervalMs]
const { readFileSync } = require('node:fs');

const [n8nDir, databaseFile, pid, intervalArg] = process.argv.slice(2);
const intervalMs = Number(intervalArg) || 250;
const load = (name) => require(require.resolve(name, { paths: [require.resolve('n8n/package.json', { paths: [n8nDir] })] }));
const sqlite3 = load('sqlite3');

const db = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY);
db.configure('busyTimeout', 200);

function memory() {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
		return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
	} catch {
		return { rssKb: 0, hwmKb: 0 };
	}
}

let seq = 0;
let busy = false;
function tick() {
	if (busy) return;
	busy = true;
	const t = Date.now();
	db.all('SELECT workflowId, status, COUNT(*) AS n FROM execution_entity GROUP BY status, workflowId', [], (error, rows) => {
		busy = false;
		const counts = {};
		if (!error) for (const row of rows) (counts[row.workflowId] ??= {})[row.status] = row.n;
		process.stdout.write(`${JSON.stringify({ seq: seq++, t, ...memory(), counts: error ? null : counts })}\n`);
	});
}

const timer = setInterval(tick, intervalMs);
tick();
const stop = () => {
	clearInterval(timer);
	db.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
