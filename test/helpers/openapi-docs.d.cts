export function readOpenApiDocs(): Record<string, Record<string, unknown>>;
export const openapiDir: string;
