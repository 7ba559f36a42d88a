export function registerTestServices(InstanceSettings: unknown): void;
