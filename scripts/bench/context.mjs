// A minimal n8n webhook context around the built node, for in-process timing.
// It does what n8n's WebhookContext does for this node and nothing more, so the
// numbers are the node's own cost. Production mode ('webhook'), as on the
// Production URL.
//
// The response is Express-like enough for the node: status().json() answers,
// setHeader() sets a header, and end() is what n8n calls when it answers an
// accepted event itself (the node confirms the delivery in its duplicate
// memory then). A fresh context per call is cheap; a context is reused only
// where the node does not wrap end() (Ignore Duplicates off).
export function makeContext({ raw, headers, parameters, credentials = {}, workflowId = 'bench', mode = 'webhook' }) {
	const response = {
		headersSent: false,
		statusCode: 200,
		headers: {},
		status(code) {
			response.statusCode = code;
			return response;
		},
		setHeader(name, value) {
			response.headers[name.toLowerCase()] = value;
			return response;
		},
		json() {
			response.headersSent = true;
			return response.end();
		},
		end() {
			response.headersSent = true;
			return response;
		},
	};
	const request = { headers, rawBody: raw, body: undefined };
	const node = { id: 'bench-node', name: 'HighLevel Message Trigger', credentials: Object.fromEntries(Object.keys(credentials).map((type) => [type, { id: type, name: type }])) };
	const workflow = { id: workflowId };
	const context = {
		request,
		response,
		getMode: () => mode,
		getRequestObject: () => request,
		getResponseObject: () => response,
		getNode: () => node,
		getWorkflow: () => workflow,
		getNodeParameter: (name, fallback) => parameters[name] ?? fallback,
		getCredentials: async (type) => credentials[type],
		logger: { error() {}, warn() {}, info() {}, debug() {} },
		helpers: {},
	};
	return context;
}
