// HighLevel's pinned OpenAPI documents (shared/highlevel/openapi), read for the
// request validator. CommonJS because the lint forbids fs in TypeScript.
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
const sharedDir = process.env.HIGHLEVEL_SHARED_DIR || path.resolve(repoRoot, '..', 'shared');
const openapiDir = path.join(sharedDir, 'highlevel', 'openapi');

/** { 'apps/conversations.json': {...}, 'apps/contacts.json': {...}, 'common/common-schemas.json': {...} } */
function readOpenApiDocs() {
	const docs = {};
	for (const file of ['apps/conversations.json', 'apps/contacts.json', 'common/common-schemas.json']) {
		docs[file] = JSON.parse(fs.readFileSync(path.join(openapiDir, file), 'utf8'));
	}
	return docs;
}

module.exports = { readOpenApiDocs, openapiDir };
