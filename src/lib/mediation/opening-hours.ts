/**
 * Opening hours as one readable French line. The France services list publishes one column per
 * day (`h_lundi` … `h_samedi`, e.g. `09:00 - 12:00 / 13:30 - 17:00`); the LaMednum files already
 * carry an OSM `opening_hours` string, which is kept as published.
 */

/** Days of the week, Monday first, as named in the France services columns (`h_<day>`). */
export const WEEKDAYS = [
	'lundi',
	'mardi',
	'mercredi',
	'jeudi',
	'vendredi',
	'samedi',
	'dimanche'
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Short weekday names of the CLDR French locale (what `Intl.DateTimeFormat('fr', { weekday: 'short' })` prints). */
const WEEKDAY_ABBREVIATIONS: Record<Weekday, string> = {
	lundi: 'lun.',
	mardi: 'mar.',
	mercredi: 'mer.',
	jeudi: 'jeu.',
	vendredi: 'ven.',
	samedi: 'sam.',
	dimanche: 'dim.'
};

/**
 * One French line for the hours of a week, days without hours left out; null when no day has any.
 * Spacing around `-` and `/` is normalised; the text of each day is otherwise kept as published
 * (a day reading « sur rendez-vous » stays readable).
 * @param hours hours per day as published, e.g. `{ lundi: '09:00 - 12:00 / 13:30 - 17:00' }`
 * @example formatWeekHours({ lundi: '09:00 - 12:00', mardi: '', samedi: '09:00-12:00' })
 * // 'lun. 09:00 - 12:00 ; sam. 09:00 - 12:00'
 */
export function formatWeekHours(hours: Partial<Record<Weekday, string | null>>): string | null {
	const parts: string[] = [];
	for (const day of WEEKDAYS) {
		const text = normaliseDayHours(hours[day] ?? '');
		if (text !== '') parts.push(`${WEEKDAY_ABBREVIATIONS[day]} ${text}`);
	}
	return parts.length > 0 ? parts.join(' ; ') : null;
}

function normaliseDayHours(text: string): string {
	return text
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/(\d)\s*-\s*(\d)/g, '$1 - $2')
		.replace(/\s*\/\s*/g, ' / ');
}
