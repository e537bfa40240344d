/**
 * Progress reporting and cancellation between the steps of a run. Steps call `checkpoint` every few
 * thousand items, never per item, so the hooks cost nothing measurable.
 */
import type { SitingControl } from './model';

/** Thrown by `checkpoint` when the caller asked to stop; `proposeSites` turns it into an outcome. */
export class SitingCancelled extends Error {
	constructor() {
		super('Simulation annulée.');
		this.name = 'SitingCancelled';
	}
}

/** Reports progress to a caller, keeping the fraction within [from, to] and non-decreasing. */
export class ProgressReporter {
	private last = 0;

	constructor(private readonly control: SitingControl = {}) {}

	/**
	 * Report `fraction` (0–1) of the step spanning [from, to] of the whole run, then stop with
	 * `SitingCancelled` if the caller asks to.
	 */
	checkpoint(from: number, to: number, fraction: number): void {
		if (this.control.shouldCancel?.()) throw new SitingCancelled();
		const value = Math.min(
			1,
			Math.max(this.last, from + (to - from) * Math.min(1, Math.max(0, fraction)))
		);
		if (value > this.last || value === 0) {
			this.last = value;
			this.control.onProgress?.(value);
		}
	}
}
