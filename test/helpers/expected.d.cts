export const EXPECTED_CHANNEL: Record<string, string | null>;
export const SIGNED_MESSAGES: Record<string, string>;
export const SPEC_OUTPUTS: string[];
