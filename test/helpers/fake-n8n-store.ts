/**
 * n8n's own deduplication store, in memory and faithful to the original:
 * DeduplicationHelper (packages/cli/src/deduplication/deduplication-helper.ts,
 * the IDataDeduplicator behind n8n-core's DataDeduplicationService) in 'entries'
 * mode, over the processed_data table (primary key workflowId +
 * context). Every repository call is a database round trip (an await) that hands
 * out a copy, so two read-modify-writes of one row that overlap lose an update,
 * and two first inserts of one row fail on the primary key, as in the database.
 */
import { createHash } from 'crypto';

interface ContextData {
	workflow: { id: string };
	node?: { id: string };
}
interface Options {
	mode: string;
	maxEntries?: number;
}
interface Row {
	workflowId: string;
	context: string;
	value: { mode: string; data: string[] };
}

export class FakeN8nDeduplicationStore {
	/** The processed_data table: `${workflowId}|${context}` -> row. */
	readonly rows = new Map<string, Row>();
	reads = 0;
	writes = 0;
	/** The next n repository calls fail as a busy database would. */
	failNext = 0;
	/**
	 * Runs after each round trip has taken effect, before the caller sees its
	 * result: a slow network, during which other processes act (or this one dies).
	 */
	afterRoundTrip?: (operation: 'read' | 'insert' | 'update' | 'delete') => Promise<void>;

	async checkProcessedAndRecord(items: Array<string | number>, scope: 'node', contextData: ContextData, options: Options) {
		const context = createContext(scope, contextData);
		const processedData = await this.findOne(contextData.workflow.id, context);
		if (processedData && processedData.value.mode !== options.mode) throw new Error('incompatible mode');
		const hashedItems = items.map(hash);
		if (!processedData) {
			if (options.maxEntries) hashedItems.splice(0, hashedItems.length - options.maxEntries);
			await this.insert({ workflowId: contextData.workflow.id, context, value: { mode: options.mode, data: hashedItems } });
			return { new: items, processed: [] as Array<string | number> };
		}
		const result = { new: [] as Array<string | number>, processed: [] as Array<string | number> };
		hashedItems.forEach((item, index) => {
			if (processedData.value.data.find((entry) => entry === item)) result.processed.push(items[index]);
			else {
				result.new.push(items[index]);
				processedData.value.data.push(item);
			}
		});
		if (options.maxEntries) processedData.value.data.splice(0, processedData.value.data.length - options.maxEntries);
		await this.update(processedData);
		return result;
	}

	async removeProcessed(items: Array<string | number>, scope: 'node', contextData: ContextData, options: Options): Promise<void> {
		if (options.mode !== 'entries') throw new Error('Removing processed data is not possible in mode "latest"');
		const processedData = await this.findOne(contextData.workflow.id, createContext(scope, contextData));
		if (!processedData) return;
		for (const item of items.map(hash)) {
			const index = processedData.value.data.findIndex((value) => value === item);
			if (index !== -1) processedData.value.data.splice(index, 1);
		}
		await this.update(processedData);
	}

	async clearAllProcessedItems(scope: 'node', contextData: ContextData): Promise<void> {
		await this.roundTrip();
		this.rows.delete(`${contextData.workflow.id}|${createContext(scope, contextData)}`);
		this.writes++;
		await this.afterRoundTrip?.('delete');
	}

	/** The helper's own read of one row (n8n 2.x: DeduplicationHelper.findProcessedData), a copy as the database hands out. */
	async findProcessedData(scope: 'node', contextData: ContextData): Promise<Row | null> {
		return await this.findOne(contextData.workflow.id, createContext(scope, contextData));
	}

	async getProcessedDataCount(scope: 'node', contextData: ContextData): Promise<number> {
		return (await this.findOne(contextData.workflow.id, createContext(scope, contextData)))?.value.data.length ?? 0;
	}

	/** Whether `key` is recorded in any row of this workflow (as n8n stores it: an md5 hash). */
	holds(key: string): boolean {
		const hashed = hash(key);
		return [...this.rows.values()].some((row) => row.value.data.includes(hashed));
	}

	private async roundTrip(): Promise<void> {
		await Promise.resolve();
		await new Promise<void>((resolve) => queueMicrotask(resolve));
		if (this.failNext > 0) {
			this.failNext--;
			throw new Error('SQLITE_BUSY: database is locked');
		}
	}

	private async findOne(workflowId: string, context: string): Promise<Row | null> {
		await this.roundTrip();
		this.reads++;
		const row = this.rows.get(`${workflowId}|${context}`);
		const copy = row ? (JSON.parse(JSON.stringify(row)) as Row) : null;
		await this.afterRoundTrip?.('read');
		return copy;
	}

	private async insert(row: Row): Promise<void> {
		await this.roundTrip();
		const key = `${row.workflowId}|${row.context}`;
		if (this.rows.has(key)) throw new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context');
		this.rows.set(key, JSON.parse(JSON.stringify(row)) as Row);
		this.writes++;
		await this.afterRoundTrip?.('insert');
	}

	/** TypeORM's update(): UPDATE ... WHERE, a no-op when the row is gone. */
	private async update(row: Row): Promise<void> {
		await this.roundTrip();
		const key = `${row.workflowId}|${row.context}`;
		if (this.rows.has(key)) this.rows.set(key, JSON.parse(JSON.stringify(row)) as Row);
		this.writes++;
		await this.afterRoundTrip?.('update');
	}
}

function createContext(scope: 'node', contextData: ContextData): string {
	if (scope !== 'node' || contextData.node === undefined) throw new Error("No node information has been provided and so cannot use scope 'node'");
	return `n:${contextData.node.id}`;
}

function hash(value: string | number): string {
	return createHash('md5').update(value.toString()).digest('base64');
}
