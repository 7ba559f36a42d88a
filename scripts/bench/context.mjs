// A minimal n8n webhook context around the built node, for in-process timing.
// It does what n8n's WebhookContext does for this node and nothing more, so the
// numbers are the node's own cost.
export function makeContext({ raw, headers, parameters, credentials = {}, workflowId = 'bench' }) {
	const response = {
		headersSent: false,
		statusCode: 0,
		status(code) {
			response.statusCode = code;
			return response;
		},
		json() {
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
