/**
 * A delivery ledger in n8n's Redis, for queue mode: there, copies of one delivery
 * can reach two webhook processes at the same instant, and only an atomic
 * set-if-absent decides which one runs. Redis is part of every queue-mode set-up.
 *
 *   claim:   SET key pending:<token> NX PX <pending ttl>   (one winner)
 *   confirm: SET key done PX <ttl>
 *   release: DEL key, only while it still holds this claim's token
 */
import { randomUUID } from 'crypto';

import { type ClaimResult, type DeliveryLedger, MemoryLedger, PENDING_TTL_MS } from './ledger';

/** The few commands used, as ioredis (n8n's Redis client) offers them. */
export interface RedisCommands {
	set(key: string, value: string, px: 'PX', ttl: number, nx: 'NX'): Promise<string | null>;
	set(key: string, value: string, px: 'PX', ttl: number): Promise<string | null>;
	get(key: string): Promise<string | null>;
	eval(script: string, keys: number, ...args: string[]): Promise<unknown>;
}

const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
/** A command Redis does not answer in this time is treated as failed (ioredis would queue it for ever). */
export const REDIS_TIMEOUT_MS = 2000;

type Warn = (message: string) => void;

export class RedisLedger implements DeliveryLedger {
	private readonly tokens = new Map<string, string>();

	constructor(
		private readonly redis: RedisCommands,
		private readonly prefix: string,
		private readonly ttlMs: number,
		private readonly memory: MemoryLedger,
		private readonly warn: Warn,
		private readonly pendingTtlMs = PENDING_TTL_MS,
	) {}

	async claim(key: string, now: number): Promise<ClaimResult> {
		// This process's own memory first: free, and it settles copies arriving here together.
		const local = this.memory.claimNow(key, now);
		if (local !== 'new') return local;
		const token = `pending:${randomUUID()}`;
		try {
			for (let attempt = 0; attempt < 3; attempt++) {
				if ((await timed(this.redis.set(this.prefix + key, token, 'PX', this.pendingTtlMs, 'NX'))) === 'OK') {
					this.tokens.set(key, token);
					return 'new';
				}
				const value = await timed(this.redis.get(this.prefix + key));
				if (value === 'done') {
					this.memory.remember(key, now);
					return 'duplicate';
				}
				if (value !== null) {
					await this.memory.release(key);
					return 'in-flight';
				}
				// Expired between the two commands: try again.
			}
		} catch (error) {
			this.warn(`the shared duplicate check could not reach Redis, delivery let through: ${(error as Error).message}`);
		}
		return 'new';
	}

	async confirm(key: string, now: number): Promise<void> {
		this.memory.remember(key, now);
		this.tokens.delete(key);
		try {
			await timed(this.redis.set(this.prefix + key, 'done', 'PX', this.ttlMs));
		} catch (error) {
			this.warn(`could not record a delivery in Redis: ${(error as Error).message}`);
		}
	}

	async release(key: string): Promise<void> {
		await this.memory.release(key);
		const token = this.tokens.get(key);
		this.tokens.delete(key);
		// Stryker disable next-line ConditionalExpression: without a token the script compares with a value no claim holds, so only a command is saved
		if (token === undefined) return;
		try {
			await timed(this.redis.eval(RELEASE, 1, this.prefix + key, token));
		} catch (error) {
			// The claim then expires by itself after the pending time.
			this.warn(`could not release a delivery claim in Redis: ${(error as Error).message}`);
		}
	}
}

async function timed<T>(command: Promise<T>): Promise<T> {
	// AbortSignal's timer is unref'd: it never keeps n8n alive, and needs no clearing.
	const signal = AbortSignal.timeout(REDIS_TIMEOUT_MS);
	const timeout = new Promise<never>((_, reject) =>
		// Stryker disable next-line ObjectLiteral,BooleanLiteral: the signal aborts once, and a settled promise ignores a second reject
		signal.addEventListener('abort', () => reject(new Error(`no answer in ${REDIS_TIMEOUT_MS} ms`)), { once: true }),
	);
	return await Promise.race([command, timeout]);
}
