/**
 * French number formatting for the UI, exports and API messages: `12 345`, `15,4 %`, `3,2 km`.
 * Intl uses a narrow no-break space (U+202F) as the thousands separator in fr-FR; it is kept because
 * it never wraps inside a number.
 */
const integerFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimalFormats = new Map<number, Intl.NumberFormat>();

function decimalFormat(digits: number): Intl.NumberFormat {
	let format = decimalFormats.get(digits);
	if (!format) {
		format = new Intl.NumberFormat('fr-FR', {
			minimumFractionDigits: digits,
			maximumFractionDigits: digits
		});
		decimalFormats.set(digits, format);
	}
	return format;
}

/** Missing values are shown as this dash, never as 0. */
export const MISSING_VALUE = '–';

/** `12345.6` → `12 346`. */
export function formatInteger(value: number | null | undefined): string {
	return value === null || value === undefined || !Number.isFinite(value)
		? MISSING_VALUE
		: integerFormat.format(value);
}

/** `3.14159, 2` → `3,14`. */
export function formatDecimal(value: number | null | undefined, digits = 1): string {
	return value === null || value === undefined || !Number.isFinite(value)
		? MISSING_VALUE
		: decimalFormat(digits).format(value);
}

/** A share already in percent: `15.43` → `15,4 %`. */
export function formatPercent(value: number | null | undefined, digits = 1): string {
	const text = formatDecimal(value, digits);
	return text === MISSING_VALUE ? text : `${text}\u00a0%`;
}

/** A value followed by its unit with a no-break space: `3.2, 'km'` → `3,2 km`. */
export function formatWithUnit(value: number | null | undefined, unit: string, digits = 1): string {
	const text = digits === 0 ? formatInteger(value) : formatDecimal(value, digits);
	return text === MISSING_VALUE ? text : `${text}\u00a0${unit}`;
}
