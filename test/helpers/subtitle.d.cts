export function evaluateSubtitle(subtitle: string | undefined, parameters: Record<string, unknown>): unknown;
