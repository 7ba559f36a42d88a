/**
 * "Send at" -> HighLevel's `scheduledTimestamp` (UTC seconds).
 *
 * n8n's date picker gives a local time without offset ("2026-12-01T09:00:00"),
 * meant in the workflow's time zone; expressions may give an ISO string with an
 * offset, a Date, or epoch seconds / milliseconds. A Luxon DateTime (`$now`)
 * arrives as its ISO string: n8n-core's getNodeParameter turns DateTimes inside a
 * collection such as Additional Fields into text (cleanupParameterData).
 */
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
// A fraction of a second is accepted (any number of digits, as ISO 8601 allows) but
// not read: HighLevel schedules to the second.
const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** Milliseconds the zone is ahead of UTC at that instant. */
function zoneOffsetMs(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	// Stryker disable next-line OptionalChaining: formatToParts with these options always has every part asked for
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return asUtc - Math.floor(instant / 1000) * 1000;
}

function localToInstant(text: string, timeZone: string): number | null {
	const match = LOCAL_ISO.exec(text);
	if (!match) return null;
	// Stryker disable next-line StringLiteral: +'' is 0, as +'0' is
	const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
	const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
	// Two passes settle the offset on either side of a daylight-saving change.
	let instant = wall - zoneOffsetMs(wall, timeZone);
	instant = wall - zoneOffsetMs(instant, timeZone);
	return instant;
}

/** UTC seconds, or null when the value is not a date. */
export function toUtcSeconds(value: unknown, timeZone: string): number | null {
	let instant: number | null = null;
	// Number.isFinite is false for anything but a number.
	if (Number.isFinite(value)) {
		const number = value as number;
		instant = number < 1e12 ? number * 1000 : number;
	} else if (value instanceof Date) {
		instant = value.getTime();
	} else if (typeof value === 'string') {
		const text = value.trim();
		if (/^\d+$/.test(text)) return toUtcSeconds(Number(text), timeZone);
		instant = HAS_ZONE.test(text) ? Date.parse(text) : localToInstant(text, timeZone);
	}
	return instant === null || Number.isNaN(instant) ? null : Math.floor(instant / 1000);
}
