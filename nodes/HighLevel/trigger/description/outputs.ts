import { CHANNELS } from '../../channel';

export const ROUTING_PER_CHANNEL = 'perChannel';
export const ROUTING_SINGLE = 'single';
export const SINGLE_OUTPUT_NAME = 'Message';

/**
 * n8n evaluates this expression to draw the outputs, so the output names come
 * from the same channel list the router uses and can never drift from it.
 */
export const outputsExpression: `={{${string}}}` = `={{ $parameter.routing === "${ROUTING_SINGLE}" ? ${JSON.stringify([
	{ type: 'main', displayName: SINGLE_OUTPUT_NAME },
])} : ${JSON.stringify(CHANNELS.map((name) => ({ type: 'main', displayName: name })))} }}`;
