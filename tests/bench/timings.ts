/** Printing of timed steps, shared by the benchmark sections. */
import { formatDecimal } from '../../src/lib/format/number';
import type { Timing } from './measure';
import { formatTextTable } from './text-table';

export interface TimedStep {
	label: string;
	timing: Timing;
}

/** One row per step: median, min and max in milliseconds (French number format). */
export function printTimings(steps: readonly TimedStep[]): void {
	const ms = (value: number) => formatDecimal(value, 1);
	console.log(
		formatTextTable(
			[
				{ title: 'étape' },
				{ title: 'médiane (ms)', align: 'right' },
				{ title: 'min (ms)', align: 'right' },
				{ title: 'max (ms)', align: 'right' },
				{ title: 'mesures', align: 'right' }
			],
			steps.map(({ label, timing }) => [
				label,
				ms(timing.medianMs),
				ms(timing.minMs),
				ms(timing.maxMs),
				`${timing.runs}`
			])
		)
	);
}
