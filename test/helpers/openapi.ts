/**
 * Checks a request as it arrived on the wire against HighLevel's pinned OpenAPI
 * documents: method and path, path parameters, query (no parameter the document
 * does not know, types and enums), headers (`Version`, bearer token) and the JSON
 * body (schema, with unknown properties rejected so a misspelt field is caught).
 *
 * The documents' own defects (shared/highlevel/openapi/README.md and a few more
 * found here) are handled by name below, never by loosening the check.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import type { StubRequest } from './api-stub.cjs';
import { readOpenApiDocs } from './openapi-docs.cjs';

type Schema = Record<string, unknown>;

interface Parameter {
	name: string;
	in: 'path' | 'query' | 'header' | 'cookie';
	required?: boolean;
	schema?: Schema;
}

interface Operation {
	operationId: string;
	parameters?: Parameter[];
	requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
	security?: Array<Record<string, string[]>>;
}

interface Route {
	docId: string;
	method: string;
	template: string;
	pattern: RegExp;
	names: string[];
	operation: Operation;
}

export interface Verdict {
	operationId: string | null;
	errors: string[];
	/** Known defects of the document this request ran into (accepted, but named). */
	defects: string[];
}

/** Document defects, by the operation they affect. */
export const KNOWN_DEFECTS = {
	/** README: get message / get email do not declare the `{id}` in their path. */
	undeclaredPathParameter: ['get-message', 'get-email-by-id'],
	/** `startAfterDate` has `type: "any"`, which is no JSON Schema type. */
	untypedQueryParameter: ['search-conversation'],
	/** `type` is an enum of one name, but described (and exemplified) as a comma-separated list. */
	commaSeparatedEnum: ['get-messages'],
} as const;

const BASE = 'https://openapi.highlevel.test/';

function strictObjects(value: unknown): void {
	if (Array.isArray(value)) return value.forEach(strictObjects);
	if (typeof value !== 'object' || value === null) return;
	const schema = value as Schema;
	if (typeof schema.properties === 'object' && schema.additionalProperties === undefined) {
		schema.additionalProperties = false;
	}
	Object.values(schema).forEach(strictObjects);
}

function build() {
	const docs = readOpenApiDocs();
	const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
	addFormats(ajv);
	const routes: Route[] = [];
	for (const [docId, original] of Object.entries(docs)) {
		const doc = structuredClone(original) as Schema & { paths?: Record<string, Record<string, Operation>>; components?: Schema };
		// Request bodies only: a property HighLevel does not know is an error here.
		strictObjects(doc.components);
		ajv.addSchema(doc, BASE + docId);
		for (const [template, methods] of Object.entries(doc.paths ?? {})) {
			for (const [method, operation] of Object.entries(methods)) {
				const names: string[] = [];
				const source = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{(\w+)\\\}/g, (_, name: string) => {
					names.push(name);
					return '([^/]+)';
				});
				routes.push({ docId, method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), names, operation });
			}
		}
	}
	// A literal segment wins over a parameter: /conversations/search before /conversations/{id}.
	routes.sort((a, b) => a.names.length - b.names.length);
	return { ajv, routes };
}

let built: ReturnType<typeof build> | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: Schema): ValidateFunction {
	let validate = compiled.get(key);
	if (!validate) {
		validate = built!.ajv.compile(schema);
		compiled.set(key, validate);
	}
	return validate;
}

function ajvErrors(validate: ValidateFunction, where: string): string[] {
	return (validate.errors ?? []).map((error) => `${where}${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

/** Query text -> the JSON value the parameter schema describes. */
function coerce(text: string, schema: Schema): unknown {
	if (schema.type === 'number' || schema.type === 'integer') return text.trim() === '' ? text : Number(text);
	if (schema.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
	return text;
}

function header(request: StubRequest, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : value;
}

export function validateRequest(request: StubRequest): Verdict {
	built ??= build();
	const url = new URL(request.url, 'http://host.invalid');
	const route = built.routes.find((candidate) => candidate.method === request.method && candidate.pattern.test(url.pathname));
	if (!route) return { operationId: null, errors: [`no operation for ${request.method} ${url.pathname}`], defects: [] };
	const { operation } = route;
	const id = operation.operationId;
	const errors: string[] = [];
	const defects: string[] = [];
	const parameters = operation.parameters ?? [];

	// Path
	const values = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
	route.names.forEach((name, index) => {
		const declared = parameters.find((parameter) => parameter.in === 'path' && parameter.name === name);
		if (!declared) {
			if ((KNOWN_DEFECTS.undeclaredPathParameter as readonly string[]).includes(id)) defects.push(`undeclared path parameter {${name}}`);
			else errors.push(`path parameter {${name}} is not declared`);
			if (values[index].trim() === '') errors.push(`path parameter {${name}} is empty`);
			return;
		}
		const validate = validator(`${id}:path:${name}`, declared.schema ?? {});
		if (!validate(values[index])) errors.push(...ajvErrors(validate, `path.${name}`));
	});

	// Query
	const query = url.searchParams;
	for (const name of new Set(query.keys())) {
		const declared = parameters.find((parameter) => parameter.in === 'query' && parameter.name === name);
		if (!declared) {
			errors.push(`query parameter "${name}" is not in the document`);
			continue;
		}
		const all = query.getAll(name);
		if (all.length > 1) errors.push(`query parameter "${name}" is repeated`);
		const schema = declared.schema ?? {};
		if (schema.type === 'any') {
			if ((KNOWN_DEFECTS.untypedQueryParameter as readonly string[]).includes(id)) defects.push(`untyped query parameter "${name}"`);
			else errors.push(`query parameter "${name}" has no type`);
			continue;
		}
		let parts = [all[0]];
		if (Array.isArray(schema.enum) && all[0].includes(',') && (KNOWN_DEFECTS.commaSeparatedEnum as readonly string[]).includes(id)) {
			defects.push(`comma-separated enum "${name}"`);
			parts = all[0].split(',');
		}
		const validate = validator(`${id}:query:${name}`, schema);
		for (const part of parts) if (!validate(coerce(part, schema))) errors.push(...ajvErrors(validate, `query.${name}`));
	}
	for (const parameter of parameters) {
		if (parameter.in === 'query' && parameter.required && !query.has(parameter.name)) {
			errors.push(`required query parameter "${parameter.name}" is missing`);
		}
	}

	// Headers
	for (const parameter of parameters.filter((candidate) => candidate.in === 'header')) {
		const value = header(request, parameter.name);
		if (value === undefined) {
			if (parameter.required) errors.push(`required header "${parameter.name}" is missing`);
			continue;
		}
		const validate = validator(`${id}:header:${parameter.name}`, parameter.schema ?? {});
		if (!validate(value)) errors.push(...ajvErrors(validate, `header.${parameter.name}`));
	}
	// Every security scheme of these documents is an HTTP bearer token.
	if ((operation.security ?? []).length > 0 && !/^Bearer \S+$/.test(header(request, 'authorization') ?? '')) {
		errors.push('no bearer token in Authorization');
	}

	// Body
	if (operation.requestBody) {
		const content = operation.requestBody.content['application/json'];
		if (request.body === '') {
			if (operation.requestBody.required) errors.push('required JSON body is missing');
		} else if (!/^application\/json\b/i.test(header(request, 'content-type') ?? '')) {
			errors.push(`body sent as ${header(request, 'content-type') ?? 'no content type'}, not application/json`);
		} else {
			let body: unknown;
			try {
				body = JSON.parse(request.body);
			} catch {
				errors.push('body is not JSON');
			}
			const ref = content?.schema?.$ref;
			if (typeof ref !== 'string') errors.push('the document has no schema for this body');
			else if (body !== undefined) {
				const validate = validator(`${id}:body`, { $ref: `${BASE}${route.docId}${ref}` });
				if (!validate(body)) errors.push(...ajvErrors(validate, 'body'));
			}
		}
	} else if (request.body !== '') {
		errors.push('a body was sent to an operation that takes none');
	}
	return { operationId: id, errors, defects };
}
