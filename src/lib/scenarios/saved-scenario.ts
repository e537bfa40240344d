/**
 * A saved scenario: what a user names and shares by a short link (`/scenario/<id>`), checked
 * field by field with French messages. Pure: the API validates with it, the page builds with it.
 */
import type { MediatorType } from '../territory/artifacts';
import { MEDIATOR_TYPES } from '../mediation/mediator-types';
import { isInFrance } from '../places-import/france-boxes';
import { MAX_IMPORTED_PLACES, type ImportedPlace } from '../places-import/imported-place';

/** Largest saved scenario, bytes of JSON: 20 000 imported places take ≈ 6 MB. */
export const MAX_SCENARIO_BYTES = 8 * 1024 * 1024;
export const MAX_NAME_LENGTH = 200;
export const MAX_NOTES_LENGTH = 10_000;

/** Territory levels a scenario may be about. */
export const SCENARIO_LEVELS = ['commune', 'epci', 'departement', 'region', 'france'] as const;

export interface ScenarioDocument {
	name: string;
	/** The territory studied, e.g. `{ niveau: 'departement', code: '62' }`; null for France. */
	territory: { niveau: (typeof SCENARIO_LEVELS)[number]; code: string } | null;
	/** The siting objective (`couverture`, `acces`…), as the simulation panel names it. */
	objective: string | null;
	/** Parameters of the simulation and the dashboard (the URL's query, as key → value). */
	parameters: Record<string, string>;
	importedPlaces: ImportedPlace[];
	/** Hand edits of the siting scenario, as the simulation panel holds them (`ScenarioEdits`). */
	edits: { proposed: SavedSiteRef[]; added: SavedSiteRef[]; removed: string[] };
	notes: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A site of the siting scenario: a commune centre, an existing place, or a point. */
export type SavedSiteRef =
	| { kind: 'commune'; code: string }
	| { kind: 'lieu'; id: string }
	| { kind: 'point'; lon: number; lat: number };

function checkSiteRef(v: unknown): SavedSiteRef | null {
	if (!isRecord(v)) return null;
	if (v.kind === 'commune' && typeof v.code === 'string' && v.code.length <= 10)
		return { kind: 'commune', code: v.code };
	if (v.kind === 'lieu' && typeof v.id === 'string' && v.id.length <= 200)
		return { kind: 'lieu', id: v.id };
	if (v.kind === 'point' && isFiniteNumber(v.lon) && isFiniteNumber(v.lat))
		return { kind: 'point', lon: v.lon, lat: v.lat };
	return null;
}

export interface StoredScenario extends ScenarioDocument {
	id: string;
	/** ISO 8601, UTC. */
	createdAt: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const optionalText = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Check one imported place; the first problem, in French, or null. */
function checkPlace(p: unknown, i: number): string | null {
	const where = `lieu importé n° ${i + 1}`;
	if (!isRecord(p)) return `${where} : un objet est attendu.`;
	if (typeof p.id !== 'string' || p.id === '' || p.id.length > 200)
		return `${where} : identifiant manquant.`;
	if (typeof p.nom !== 'string' || p.nom === '' || p.nom.length > 500)
		return `${where} : nom manquant ou trop long.`;
	if (!MEDIATOR_TYPES.includes(p.type as MediatorType)) return `${where} : type inconnu.`;
	if (!isFiniteNumber(p.lon) || !isFiniteNumber(p.lat) || !isInFrance(p.lon, p.lat))
		return `${where} : coordonnées absentes ou hors de France.`;
	if (p.located !== 'address' && p.located !== 'commune')
		return `${where} : « located » doit valoir address ou commune.`;
	return null;
}

/**
 * Validate the JSON body of `POST /api/scenarios`. Every problem is listed (at most the first ten
 * places), in French.
 */
export function checkScenarioDocument(input: unknown): Checked<ScenarioDocument> {
	if (!isRecord(input)) return { ok: false, errors: ['Un objet JSON est attendu.'] };
	const errors: string[] = [];
	const name = typeof input.name === 'string' ? input.name.trim() : '';
	if (name === '') errors.push('Le nom du scénario est obligatoire (« name »).');
	else if (name.length > MAX_NAME_LENGTH)
		errors.push(`Nom trop long : ${MAX_NAME_LENGTH} caractères au plus.`);
	const notes = input.notes === undefined || input.notes === null ? '' : input.notes;
	if (typeof notes !== 'string') errors.push('Les notes (« notes ») doivent être du texte.');
	else if (notes.length > MAX_NOTES_LENGTH)
		errors.push(
			`Notes trop longues : ${MAX_NOTES_LENGTH.toLocaleString('fr-FR')} caractères au plus.`
		);

	let territory: ScenarioDocument['territory'] = null;
	if (input.territory !== undefined && input.territory !== null) {
		const t = input.territory;
		if (
			!isRecord(t) ||
			!(SCENARIO_LEVELS as readonly unknown[]).includes(t.niveau) ||
			typeof t.code !== 'string' ||
			!/^[0-9AB]{2,9}$/.test(t.code)
		) {
			errors.push(
				'Territoire invalide : { niveau, code } attendu (ex. { "niveau": "departement", "code": "62" }).'
			);
		} else territory = { niveau: t.niveau as (typeof SCENARIO_LEVELS)[number], code: t.code };
	}
	const objective = optionalText(input.objective);
	if (objective !== null && objective.length > 100) errors.push('Objectif trop long.');

	const parameters: Record<string, string> = {};
	if (input.parameters !== undefined && input.parameters !== null) {
		if (!isRecord(input.parameters))
			errors.push('Les paramètres doivent être un objet clé → texte.');
		else
			for (const [key, value] of Object.entries(input.parameters)) {
				if (typeof value !== 'string' || key.length > 100 || value.length > 10_000) {
					errors.push(`Paramètre « ${key.slice(0, 40)} » : texte attendu.`);
					break;
				}
				parameters[key] = value;
			}
	}

	const places = input.importedPlaces ?? [];
	if (!Array.isArray(places)) errors.push('« importedPlaces » doit être une liste.');
	else if (places.length > MAX_IMPORTED_PLACES)
		errors.push(
			`Trop de lieux importés : ${places.length.toLocaleString('fr-FR')} (au plus ${MAX_IMPORTED_PLACES.toLocaleString('fr-FR')}).`
		);
	else {
		let shown = 0;
		for (let i = 0; i < places.length && shown < 10; i++) {
			const problem = checkPlace(places[i], i);
			if (problem) {
				errors.push(problem);
				shown++;
			}
		}
	}

	const edits: ScenarioDocument['edits'] = { proposed: [], added: [], removed: [] };
	if (input.edits !== undefined && input.edits !== null) {
		const e = isRecord(input.edits) ? input.edits : null;
		const lists = e ? [e.proposed ?? [], e.added ?? [], e.removed ?? []] : null;
		if (!lists || !lists.every((l) => Array.isArray(l) && l.length <= MAX_IMPORTED_PLACES)) {
			errors.push(
				'Modifications invalides : { proposed: [site], added: [site], removed: [identifiant] } attendu.'
			);
		} else {
			const [proposed, added, removed] = lists as unknown[][];
			for (const [list, target] of [
				[proposed, edits.proposed],
				[added, edits.added]
			] as const) {
				for (const site of list) {
					const checked = checkSiteRef(site);
					if (!checked) {
						errors.push(
							'Site invalide : { kind: "commune", code }, { kind: "lieu", id } ou { kind: "point", lon, lat } attendu.'
						);
						break;
					}
					target.push(checked);
				}
			}
			if (removed.some((r) => typeof r !== 'string'))
				errors.push('Lieu retiré invalide : un identifiant est attendu.');
			else edits.removed.push(...(removed as string[]));
		}
	}
	if (errors.length > 0) return { ok: false, errors };
	return {
		ok: true,
		value: {
			name,
			territory,
			objective,
			parameters,
			importedPlaces: places as ImportedPlace[],
			edits,
			notes: notes as string
		}
	};
}

/** Shape of a scenario id: 128 random bits in base64url (22 characters). */
export const SCENARIO_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A new unguessable id: 128 bits from the platform's CSPRNG, base64url. */
export function newScenarioId(): string {
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The document of a copy of `scenario`, named « Copie de … »: saved scenarios never change, so
 * « Dupliquer » stores this as a new one the user owns.
 */
export function copyOfScenario(scenario: StoredScenario): ScenarioDocument {
	return {
		name: `Copie de ${scenario.name}`.slice(0, MAX_NAME_LENGTH),
		territory: scenario.territory,
		objective: scenario.objective,
		parameters: scenario.parameters,
		importedPlaces: scenario.importedPlaces,
		edits: scenario.edits,
		notes: scenario.notes
	};
}
