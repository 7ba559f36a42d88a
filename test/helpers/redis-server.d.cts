export interface RedisServer {
	host: string;
	port: number;
	stop(): Promise<void>;
}
export function redisServerInstalled(): boolean;
export function redisRequired(): boolean;
export function startRedisServer(): Promise<RedisServer>;
