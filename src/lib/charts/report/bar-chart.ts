/**
 * Layout of the report's horizontal bar charts (a figure for the territory, its département, its
 * région and France; the points each criterion adds to the score): d3 scales give positions, Svelte
 * draws the rectangles. Each bar carries its label and its value in text, so nothing depends on
 * colour.
 */
import { scaleLinear } from 'd3';
import { formatDecimal } from '../../format/number';

export interface BarInput {
	key: string;
	/** Left-hand label (« Département du Nord »). */
	label: string;
	/** Non-negative value in the chart's unit, null when unknown. */
	value: number | null;
	/** Value written at the end of the bar (« 40,0 % », « – »). */
	text: string;
	/** Band around the value (an estimate's ≈ 90 % range), same unit. */
	low?: number | null;
	high?: number | null;
	/** The bar of the territory itself, drawn darker. */
	emphasis?: boolean;
}

export interface BarLayoutOptions {
	/** Total width, px. */
	width: number;
	/** Fixed domain (a share 0–100, a 0–10 score); default 0 to the largest value, rounded up. */
	domain?: [number, number] | null;
	/** Width of the label column, px. */
	labelWidth?: number;
	/** Width kept right of the longest bar for its value, px. */
	valueWidth?: number;
	rowHeight?: number;
	barHeight?: number;
	/** Number of axis ticks wanted (d3 picks round values). */
	ticks?: number;
	/**
	 * `left`: labels in a column left of the bars (short labels); `above`: each label on its own line
	 * above its bar, across the whole width (long territory names).
	 */
	labelPosition?: 'left' | 'above';
	/** Average width of a label character, px (11 px sans-serif ≈ 6.2 px), to cut labels that would not fit. */
	charWidth?: number;
}

export interface BarLayout {
	width: number;
	height: number;
	/** Left and right ends of the value axis, px. */
	x0: number;
	x1: number;
	/** Axis ticks below the bars, French-formatted. */
	ticks: { x: number; text: string }[];
	/** y of the axis line. */
	axisY: number;
	bars: {
		key: string;
		/** Full label (for the title). */
		label: string;
		/** Label cut to fit its space. */
		shortLabel: string;
		/** Where the label's text is anchored, px, and its anchor. */
		labelX: number;
		labelY: number;
		labelAnchor: 'start' | 'end';
		text: string;
		emphasis: boolean;
		/** Top of the row, px. */
		y: number;
		/** Vertical centre of the row (labels), px. */
		cy: number;
		barY: number;
		barHeight: number;
		/** Bar width, px (0 when the value is unknown or 0). */
		barWidth: number;
		missing: boolean;
		/** x of the value text, px. */
		textX: number;
		/** Band ends, px, when the bar has a band. */
		band: { x1: number; x2: number } | null;
	}[];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Positions of a horizontal bar chart: one row per input, a linear value axis from the domain's
 * start (0 by default), ticks at round values.
 * @example layoutBars([{ key: 'fr', label: 'France', value: 15.6, text: '15,6 %' }], { width: 480, domain: [0, 100] }).bars[0].barWidth
 */
export function layoutBars(rows: readonly BarInput[], options: BarLayoutOptions): BarLayout {
	const width = options.width;
	const above = options.labelPosition === 'above';
	const labelWidth = above ? 0 : (options.labelWidth ?? Math.min(220, Math.round(width * 0.38)));
	const valueWidth = options.valueWidth ?? 72;
	const barHeight = options.barHeight ?? 14;
	const labelLine = above ? 14 : 0;
	const rowHeight = options.rowHeight ?? (above ? labelLine + barHeight + 8 : 22);
	const charWidth = options.charWidth ?? 6.2;
	const labelChars = Math.max(4, Math.floor((above ? width - 6 : labelWidth - 8) / charWidth));
	// Above-labels: a small margin so the first tick's text is not cut at the left edge.
	const x0 = above ? 6 : labelWidth;
	const x1 = Math.max(x0 + 20, width - valueWidth);
	let domain = options.domain ?? null;
	if (!domain) {
		const largest = Math.max(
			0,
			...rows
				.flatMap((r) => [r.value, r.high ?? null])
				.filter((v): v is number => v !== null && Number.isFinite(v))
		);
		domain = [0, largest > 0 ? largest : 1];
	}
	const scale = scaleLinear().domain(domain).range([x0, x1]).clamp(true);
	if (!options.domain) scale.nice(options.ticks ?? 4);
	const [d0, d1] = scale.domain();
	const tickValues = scale.ticks(options.ticks ?? 4);
	const step = tickValues.length > 1 ? tickValues[1] - tickValues[0] : d1 - d0;
	const digits = step >= 1 || step === 0 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
	const bars = rows.map((r, i) => {
		const y = i * rowHeight;
		const barY = y + labelLine + (rowHeight - labelLine - barHeight) / 2;
		const cy = barY + barHeight / 2;
		const known = r.value !== null && Number.isFinite(r.value);
		const end = known ? scale(r.value as number) : x0;
		const hasBand =
			r.low !== undefined &&
			r.high !== undefined &&
			r.low !== null &&
			r.high !== null &&
			Number.isFinite(r.low) &&
			Number.isFinite(r.high);
		const band = hasBand
			? { x1: round1(scale(r.low as number)), x2: round1(scale(r.high as number)) }
			: null;
		return {
			key: r.key,
			label: r.label,
			shortLabel: truncateLabel(r.label, labelChars),
			labelX: above ? x0 : x0 - 6,
			labelY: round1(above ? y + labelLine - 3 : cy),
			labelAnchor: above ? ('start' as const) : ('end' as const),
			text: r.text,
			emphasis: r.emphasis ?? false,
			y,
			cy: round1(cy),
			barY: round1(barY),
			barHeight,
			barWidth: round1(Math.max(0, end - x0)),
			missing: !known,
			textX: round1(Math.max(end, band?.x2 ?? end) + 4),
			band
		};
	});
	const axisY = rows.length * rowHeight + 2;
	return {
		width,
		height: axisY + 16,
		x0,
		x1,
		axisY,
		ticks: tickValues.map((t) => ({ x: round1(scale(t)), text: formatDecimal(t, digits) })),
		bars
	};
}

/**
 * A label cut to `max` characters with an ellipsis (SVG text does not wrap; the full text goes in
 * the element's title).
 * @example truncateLabel('Communauté de communes du Pays de Mormal', 24) // 'Communauté de communes…'
 */
export function truncateLabel(text: string, max: number): string {
	if (text.length <= max) return text;
	const cut = text.slice(0, max - 1);
	const space = cut.lastIndexOf(' ');
	return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/, '')}…`;
}
