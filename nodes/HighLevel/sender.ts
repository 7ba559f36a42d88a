/**
 * Who sent a message: a person or a machine. HighLevel says it only on
 * outbound messages, in `source`; an inbound message was written by the
 * contact. Workflows use it to stop an AI auto-reply once a person has
 * answered, and the trigger to stop answering its own replies (echo loops).
 */

/** `source` values HighLevel gives when a user of the HighLevel app sent the message. */
export const PERSON_SOURCES: readonly string[] = ['app'];
/** `source` values of automated sends: a HighLevel workflow, a campaign, a bulk action, the API (this package's action node). */
export const AUTOMATION_SOURCES: readonly string[] = ['workflow', 'campaign', 'bulk_actions', 'api'];

/**
 * true: a person wrote it (the contact, inbound; a HighLevel user, outbound
 * from the app); false: an automation sent it; null: HighLevel did not say
 * (an outbound message without a known `source`, or no direction).
 */
export function sentByHuman(direction: 'inbound' | 'outbound' | null, source: string | null): boolean | null {
	if (direction === 'inbound') return true;
	if (direction !== 'outbound' || source === null) return null;
	const folded = source.toLowerCase();
	if (PERSON_SOURCES.includes(folded)) return true;
	if (AUTOMATION_SOURCES.includes(folded)) return false;
	return null;
}
