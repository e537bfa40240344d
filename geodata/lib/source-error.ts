/**
 * A problem in an input file of the geodata pipeline. Its message is French and names the file, the
 * line (CSV, 1-based, header = line 1) or feature (GeoJSON, 0-based index), and the field, so that a
 * user refreshing official files can fix them.
 */
export class SourceDataError extends Error {
	readonly file: string;
	readonly line?: number;
	readonly feature?: number;
	readonly field?: string;

	constructor(
		problem: string,
		where: { file: string; line?: number; feature?: number; field?: string }
	) {
		const place = [
			`fichier « ${where.file} »`,
			where.line !== undefined ? `ligne ${where.line}` : null,
			where.feature !== undefined ? `entité n° ${where.feature}` : null,
			where.field !== undefined ? `champ « ${where.field} »` : null
		]
			.filter(Boolean)
			.join(', ');
		super(`${place} : ${problem}`);
		this.name = 'SourceDataError';
		this.file = where.file;
		this.line = where.line;
		this.feature = where.feature;
		this.field = where.field;
	}
}
