// The package's own files a saved workflow and n8n's loader go by: package.json
// and the example workflows. CommonJS for the same reason as io.cjs: n8n's lint
// forbids fs in TypeScript, and this never ships.
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');

function readPackageJson() {
	return JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
}

/** Every workflow in examples/, as saved by n8n: { file, workflow }. */
function readExampleWorkflows() {
	const dir = path.join(repoRoot, 'examples');
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

module.exports = { readPackageJson, readExampleWorkflows };
