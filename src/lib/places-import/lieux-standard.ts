/**
 * The national standard « Lieux de médiation numérique » v1.0.2 (Table Schema by Datactivist,
 * La MedNum and ANCT, Licence Ouverte 2.0; copied from
 * github.com/LaMednum/standard-mediation-num/v1.0.2/schema.json): its fields, which are required,
 * their patterns, and how `dispositif_programmes_nationaux` types a place for the Atlas.
 */
import type { MediatorType } from '../territory/artifacts';
import schema from './lieux-mediation-numerique-schema.json';

export interface StandardField {
	name: string;
	required: boolean;
	/** Compiled `constraints.pattern`, anchored at both ends as Table Schema reads it. */
	pattern: RegExp | null;
	maxLength: number | null;
	type: string;
}

/** Version of the standard these fields come from. */
export const STANDARD_VERSION: string = schema.version;

/** Every field of the standard, in the schema's order. */
export const STANDARD_FIELDS: readonly StandardField[] = schema.fields.map((f) => {
	const c = (f as { constraints?: { required?: boolean; pattern?: string; maxLength?: number } })
		.constraints;
	return {
		name: f.name,
		required: c?.required === true,
		pattern: c?.pattern ? new RegExp(`^(?:${c.pattern})$`, 'u') : null,
		maxLength: c?.maxLength ?? null,
		type: f.type
	};
});

/** Names of the required fields (id, pivot, nom, commune, code_postal, adresse, date_maj). */
export const STANDARD_REQUIRED: readonly string[] = STANDARD_FIELDS.filter((f) => f.required).map(
	(f) => f.name
);

/**
 * Whether a header is the standard's: it names at least four of its required fields (the others
 * missing are then reported as missing, rather than the file read as a plain CSV).
 */
export function looksLikeStandard(header: readonly string[]): boolean {
	const names = new Set(header);
	return STANDARD_REQUIRED.filter((n) => names.has(n)).length >= 4;
}

/**
 * Type of a place from its national programmes (`dispositif_programmes_nationaux`, values
 * separated by `|`), the most specific first as in `pickMostSpecificType`: France Services, then
 * conseillers numériques, then Aidants Connect, else another mediation place.
 * @example classifyProgrammes('Aidants Connect|Conseillers numériques') // 'conseiller-numerique-lieu'
 */
export function classifyProgrammes(programmes: readonly string[]): MediatorType {
	const normalised = programmes.map((p) =>
		p
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.trim()
	);
	if (normalised.some((p) => p.includes('france services') || p === 'france-services'))
		return 'france-services';
	if (normalised.some((p) => p.includes('conseiller') && p.includes('numerique')))
		return 'conseiller-numerique-lieu';
	if (normalised.some((p) => p.includes('aidants connect') || p === 'aidants-connect'))
		return 'aidants-connect';
	return 'autre-lieu-mediation';
}

/** Split a `|`-separated field of the standard into its values. */
export function splitList(value: string | undefined): string[] {
	if (!value) return [];
	return value
		.split('|')
		.map((v) => v.trim())
		.filter((v) => v !== '');
}
