// Prints the executions of n8n's SQLite database as JSON:
//   [{ id, status, mode, workflowId, finished, outputs: [[json, ...], ...] | null }]
// Run with the n8n instance's own Node so n8n's sqlite3 build loads.
// usage: node read-executions.cjs <n8n install dir> <database.sqlite> [workflowId] [count]
//   with "count": prints {"done": N} (executions no longer new or running), cheaply.
const [n8nDir, databaseFile, workflowId, mode] = process.argv.slice(2);
const load = (name) => require(require.resolve(name, { paths: [require.resolve('n8n/package.json', { paths: [n8nDir] })] }));
const sqlite3 = load('sqlite3');
const { parse } = load('flatted');

const db = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY);
if (mode === 'count') {
	db.get(
		"SELECT COUNT(*) AS done FROM execution_entity WHERE workflowId = ? AND status NOT IN ('new', 'running', 'waiting')",
		[workflowId],
		(error, row) => {
			process.stdout.write(JSON.stringify({ done: error ? 0 : row.done }));
			db.close();
		},
	);
	return;
}
const sql = `SELECT e.id, e.status, e.mode, e.workflowId, e.finished, d.data
  FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id
  ${workflowId ? 'WHERE e.workflowId = ?' : ''} ORDER BY e.id`;
db.all(sql, workflowId ? [workflowId] : [], (error, rows) => {
	if (error) {
		// No table yet (n8n still migrating) reads as no executions.
		process.stdout.write('[]');
		return;
	}
	const result = rows.map((row) => {
		let outputs = null;
		let binaries = null;
		let triggerName = null;
		if (row.data) {
			try {
				const data = parse(row.data);
				const runData = data.resultData?.runData ?? {};
				const itemsOf = (main) => (main ?? []).map((items) => (items ?? []).map((item) => item.json));
				const binariesOf = (main) =>
					(main ?? []).map((items) =>
						(items ?? []).map((item) =>
							Object.fromEntries(
								Object.entries(item.binary ?? {}).map(([key, value]) => [
									key,
									{ fileName: value.fileName, mimeType: value.mimeType, fileSize: value.fileSize, id: value.id ?? null },
								]),
							),
						),
					);
				// The trigger is the node whose first run has no source node.
				for (const [name, runs] of Object.entries(runData)) {
					const node = runs?.[0];
					if (node && (!node.source || node.source.length === 0 || node.source[0] == null)) {
						triggerName = name;
						outputs = itemsOf(node.data?.main);
						// Binary metadata only (the bytes may live in n8n's binary store).
						binaries = binariesOf(node.data?.main);
						break;
					}
				}
				// An execution that did not finish (n8n killed; then recovered as crashed)
				// still holds the items the trigger handed over where n8n put them when
				// it created it: the stack entry with no source node. Its run data may
				// hold nothing, a placeholder item, or a rebuilt node that is not the
				// trigger (recovery gives every node source [null]). A finished
				// execution's stack is empty.
				const start = (data.executionData?.nodeExecutionStack ?? []).find((entry) => !entry.source);
				if (start) {
					triggerName = start.node?.name ?? triggerName;
					outputs = itemsOf(start.data?.main);
					binaries = binariesOf(start.data?.main);
				}
			} catch {
				outputs = null;
			}
		}
		return { id: row.id, status: row.status, mode: row.mode, workflowId: row.workflowId, finished: !!row.finished, triggerName, outputs, binaries };
	});
	process.stdout.write(JSON.stringify(result));
	db.close();
});
