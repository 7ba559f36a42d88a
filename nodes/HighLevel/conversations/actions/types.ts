import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Connection } from '../../api/connection';

/** One operation on one input item; the router adds pairedItem and error handling. */
export type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	connection: Connection,
) => Promise<INodeExecutionData[]>;
