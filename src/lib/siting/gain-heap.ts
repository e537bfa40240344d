/**
 * A binary max-heap of candidate indices keyed by an upper bound of their marginal gain, for the lazy
 * greedy (CELF, Leskovec et al. 2007). Ties go to the smaller index so runs are reproducible.
 */
export class GainHeap {
	private readonly items: Int32Array;
	private size = 0;

	/** @param keys the gain bound of each candidate, read when comparing (update it, then `siftTop`). */
	constructor(
		capacity: number,
		private readonly keys: Float64Array
	) {
		this.items = new Int32Array(capacity);
	}

	get length(): number {
		return this.size;
	}

	private above(a: number, b: number): boolean {
		const ka = this.keys[a];
		const kb = this.keys[b];
		return ka > kb || (ka === kb && a < b);
	}

	push(candidate: number): void {
		let i = this.size++;
		this.items[i] = candidate;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!this.above(this.items[i], this.items[parent])) break;
			[this.items[i], this.items[parent]] = [this.items[parent], this.items[i]];
			i = parent;
		}
	}

	/** The candidate with the largest key; -1 when empty. */
	peek(): number {
		return this.size === 0 ? -1 : this.items[0];
	}

	pop(): number {
		if (this.size === 0) return -1;
		const top = this.items[0];
		this.size--;
		if (this.size > 0) {
			this.items[0] = this.items[this.size];
			this.siftTop();
		}
		return top;
	}

	/** Restore the heap after the key of the top candidate decreased. */
	siftTop(): void {
		const items = this.items;
		let i = 0;
		for (;;) {
			const left = 2 * i + 1;
			if (left >= this.size) break;
			const right = left + 1;
			const child = right < this.size && this.above(items[right], items[left]) ? right : left;
			if (!this.above(items[child], items[i])) break;
			[items[i], items[child]] = [items[child], items[i]];
			i = child;
		}
	}
}
