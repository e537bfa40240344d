/** Wall-clock timing for the benchmark sections. */
import { performance } from 'node:perf_hooks';

export interface Timing {
	/** Median duration, milliseconds. */
	medianMs: number;
	/** Fastest and slowest of the measured runs, milliseconds. */
	minMs: number;
	maxMs: number;
	runs: number;
}

/**
 * Median wall-clock time of `task` over `runs` runs (default 7), after `warmups` unmeasured runs
 * (default 1) so that module compilation and the file cache do not count. Runs one after another.
 */
export async function timeMedian(
	task: () => unknown | Promise<unknown>,
	runs = 7,
	warmups = 1
): Promise<Timing> {
	for (let i = 0; i < warmups; i++) await task();
	const durations: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		await task();
		durations.push(performance.now() - start);
	}
	durations.sort((a, b) => a - b);
	const middle = Math.floor(runs / 2);
	const medianMs = runs % 2 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2;
	return { medianMs, minMs: durations[0], maxMs: durations[runs - 1], runs };
}
