/** Plain-text tables for the benchmark output (no colours, so the output can be pasted anywhere). */

export interface Column {
	title: string;
	/** Numbers are right-aligned. */
	align?: 'left' | 'right';
}

/** Render rows under a header and a rule of dashes, columns separated by two spaces. */
export function formatTextTable(columns: readonly Column[], rows: readonly string[][]): string {
	const widths = columns.map((c, i) =>
		Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length))
	);
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, i) =>
				columns[i].align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])
			)
			.join('  ')
			.trimEnd();
	return [
		line(columns.map((c) => c.title)),
		widths.map((w) => '-'.repeat(w)).join('  '),
		...rows.map(line)
	].join('\n');
}
