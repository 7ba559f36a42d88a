// File access for the tests. Plain CommonJS on purpose: n8n's community lint
// forbids fs, __dirname and process in TypeScript (rules meant for code that
// runs inside n8n Cloud), and these helpers never ship in the package.
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
// shared/ sits beside the repo, both on developer machines and in CI.
const sharedDir = process.env.HIGHLEVEL_SHARED_DIR || path.resolve(repoRoot, '..', 'shared');
const examplesDir = path.join(sharedDir, 'highlevel', 'examples');

/** Every example payload: { name, raw (exact bytes as text), json }. */
function readExamples() {
	return fs
		.readdirSync(examplesDir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const raw = fs.readFileSync(path.join(examplesDir, file), 'utf8');
			return { name: file.replace(/\.json$/, ''), raw, json: JSON.parse(raw) };
		});
}

function readExample(name) {
	const example = readExamples().find((candidate) => candidate.name === name);
	if (!example) throw new Error(`no example named ${name} in ${examplesDir}`);
	return example;
}

function readSharedKey(file) {
	return fs.readFileSync(path.join(sharedDir, 'highlevel', 'keys', file), 'utf8');
}

function repoPath(...parts) {
	return path.join(repoRoot, ...parts);
}

function fileExists(file) {
	return fs.existsSync(file);
}

/** Every built .js file under dist/, with its text. */
function builtSources() {
	const root = path.join(repoRoot, 'dist');
	return fs
		.readdirSync(root, { recursive: true })
		.filter((file) => String(file).endsWith('.js'))
		.map((file) => ({ file: String(file), text: fs.readFileSync(path.join(root, String(file)), 'utf8') }));
}

module.exports = { readExamples, readExample, readSharedKey, repoPath, fileExists, examplesDir, builtSources };
