/**
 * Validation of the JSON body of `POST /api/simulation`. Every problem is collected, in French and
 * naming the field, so one 400 answer lists them all; nothing here throws on a bad value.
 *
 * Body: `{ niveau, code, n, objectif?, distance_km?, candidats?: { regle, population_min? },
 * ajouts?: [...], retraits?: [...], conseillers?: [{ lieu, nombre }], detail_communes? }` — see
 * `parseSimulationRequest`.
 */
import { refusalOf, type ParseResult } from '$lib/format/problems';
import { formatInteger } from '$lib/format/number';
import type { TerritoryIndex } from '$lib/territory/artifacts';
import { SCENARIO_OBJECTIVES, type ScenarioObjective } from './model';
import { COVERAGE_KM_LIMITS, DEFAULT_COVERAGE_KM, SITES_LIMITS } from './params';
import {
	CANDIDATE_RULES,
	DEFAULT_SCENARIO_OBJECTIVE,
	MAX_CONSEILLERS_PER_PLACE,
	MAX_SCENARIO_EDITS,
	POPULATION_MIN_LIMITS,
	SCENARIO_CODE_PATTERN,
	SCENARIO_LEVELS,
	type CandidateRule,
	type CandidateRuleId,
	type CapacityEdit,
	type ScenarioEdits,
	type ScenarioLevel,
	type ScenarioParams,
	type ScenarioTerritory,
	type SiteRef
} from './scenario';

/** A valid request: the scenario, its hand edits and the output options. */
export interface SimulationRequest {
	params: ScenarioParams;
	edits: ScenarioEdits;
	/** Add the per-commune detail to the answer. */
	detailCommunes: boolean;
}

export type RequestParse = ParseResult<SimulationRequest>;

/** Fields of the body. */
export const REQUEST_FIELDS = [
	'niveau',
	'code',
	'n',
	'objectif',
	'distance_km',
	'candidats',
	'ajouts',
	'retraits',
	'conseillers',
	'detail_communes'
] as const;

const MAX_SHOWN = 40;

/** A received value, quoted and shortened for a message. */
export function showValue(value: unknown): string {
	if (value === undefined) return 'rien';
	if (value === null) return 'null';
	let text: string;
	if (typeof value === 'string') text = `« ${value} »`;
	else {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = String(value);
		}
	}
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

const typeName = (value: unknown): string =>
	value === null
		? 'null'
		: Array.isArray(value)
			? 'une liste'
			: typeof value === 'string'
				? 'un texte'
				: typeof value === 'number'
					? 'un nombre'
					: typeof value === 'boolean'
						? 'un booléen'
						: 'un objet';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function territoryExists(index: TerritoryIndex, level: ScenarioLevel, code: string): boolean {
	const list =
		level === 'region' ? index.regions : level === 'departement' ? index.departements : index.epci;
	return list.some((t) => t.code === code);
}

function parseTerritory(
	body: Record<string, unknown>,
	index: TerritoryIndex,
	details: string[]
): ScenarioTerritory | null {
	const rawLevel = body.niveau;
	if (rawLevel === undefined) {
		details.push(`« niveau » obligatoire : ${SCENARIO_LEVELS.join(', ')}`);
		return null;
	}
	if (typeof rawLevel !== 'string') {
		details.push(`« niveau » doit être un texte (reçu : ${typeName(rawLevel)})`);
		return null;
	}
	const level = SCENARIO_LEVELS.find((l) => l === rawLevel.trim().toLowerCase());
	if (!level) {
		details.push(
			`« niveau » ${showValue(rawLevel)} inconnu : valeurs acceptées ${SCENARIO_LEVELS.join(', ')}`
		);
		return null;
	}
	const rawCode = body.code;
	if (level === 'france') {
		if (rawCode !== undefined && rawCode !== null && rawCode !== 'france' && rawCode !== 'FR') {
			details.push(`« code » ${showValue(rawCode)} inattendu avec niveau « france » (omettez-le)`);
			return null;
		}
		return { level: 'france', code: null };
	}
	if (rawCode === undefined || rawCode === null) {
		details.push(`« code » obligatoire avec niveau « ${level} »`);
		return null;
	}
	if (typeof rawCode !== 'string') {
		details.push(`« code » doit être un texte (reçu : ${typeName(rawCode)}), par exemple "02"`);
		return null;
	}
	const code = rawCode.trim().toUpperCase();
	if (!SCENARIO_CODE_PATTERN[level].test(code)) {
		const example = { region: '32', departement: '02', epci: '200071983' }[level];
		details.push(
			`« code » ${showValue(rawCode)} invalide pour le niveau « ${level} » (par exemple ${example})`
		);
		return null;
	}
	if (!territoryExists(index, level, code)) {
		details.push(
			`${level === 'region' ? 'région' : level === 'departement' ? 'département' : 'EPCI'} « ${code} » inconnu(e) (codes du COG 2026)`
		);
		return null;
	}
	return { level, code };
}

function parseN(value: unknown, details: string[]): number | null {
	const range = `un entier entre ${SITES_LIMITS.min} et ${SITES_LIMITS.max}`;
	if (value === undefined) {
		details.push(`« n » obligatoire : nombre de nouveaux postes, ${range}`);
		return null;
	}
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		details.push(`« n » doit être ${range} (reçu : ${typeName(value)} ${showValue(value)})`);
		return null;
	}
	if (!Number.isInteger(value) || value < SITES_LIMITS.min || value > SITES_LIMITS.max) {
		details.push(`« n » doit être ${range} (reçu : ${showValue(value)})`);
		return null;
	}
	return value;
}

function parseObjective(value: unknown, details: string[]): ScenarioObjective | null {
	if (value === undefined) return DEFAULT_SCENARIO_OBJECTIVE;
	if (typeof value !== 'string' || !(SCENARIO_OBJECTIVES as readonly string[]).includes(value)) {
		details.push(
			`« objectif » ${showValue(value)} inconnu : « capacite » (renforcer là où chaque conseiller a le plus de personnes à accompagner, par défaut), « couverture » (couverture maximale) ou « distance » (distance moyenne minimale)`
		);
		return null;
	}
	return value as ScenarioObjective;
}

function parseCoverage(value: unknown, details: string[]): number | null {
	if (value === undefined) return DEFAULT_COVERAGE_KM;
	if (
		typeof value !== 'number' ||
		!Number.isFinite(value) ||
		value <= COVERAGE_KM_LIMITS.above ||
		value > COVERAGE_KM_LIMITS.max
	) {
		details.push(
			`« distance_km » doit être un nombre de kilomètres supérieur à ${COVERAGE_KM_LIMITS.above} et au plus ${COVERAGE_KM_LIMITS.max} (reçu : ${showValue(value)})`
		);
		return null;
	}
	return value;
}

function parseCandidates(value: unknown, details: string[]): CandidateRule | null {
	if (value === undefined) return { rule: 'toutes', populationMin: null };
	if (!isRecord(value)) {
		details.push(
			`« candidats » doit être un objet { regle, population_min? } (reçu : ${typeName(value)})`
		);
		return null;
	}
	let ok = true;
	for (const key of Object.keys(value)) {
		if (key !== 'regle' && key !== 'population_min') {
			details.push(`« candidats.${key} » inconnu (champs acceptés : regle, population_min)`);
			ok = false;
		}
	}
	const rule = value.regle;
	if (typeof rule !== 'string' || !(CANDIDATE_RULES as readonly string[]).includes(rule)) {
		details.push(
			`« candidats.regle » ${showValue(rule)} inconnue : valeurs acceptées ${CANDIDATE_RULES.join(', ')}`
		);
		return null;
	}
	const min = value.population_min;
	if (rule !== 'population_min') {
		if (min !== undefined && min !== null) {
			details.push(`« candidats.population_min » ne s’utilise qu’avec la règle « population_min »`);
			ok = false;
		}
		return ok ? { rule: rule as CandidateRuleId, populationMin: null } : null;
	}
	if (
		typeof min !== 'number' ||
		!Number.isInteger(min) ||
		min < POPULATION_MIN_LIMITS.min ||
		min > POPULATION_MIN_LIMITS.max
	) {
		details.push(
			`« candidats.population_min » doit être un nombre entier d’habitants entre ${formatInteger(POPULATION_MIN_LIMITS.min)} et ${formatInteger(POPULATION_MIN_LIMITS.max)} (reçu : ${showValue(min)})`
		);
		return null;
	}
	return ok ? { rule: 'population_min', populationMin: min } : null;
}

function parseAdded(value: unknown, details: string[]): SiteRef[] | null {
	if (value === undefined) return [];
	if (!Array.isArray(value)) {
		details.push(`« ajouts » doit être une liste (reçu : ${typeName(value)})`);
		return null;
	}
	if (value.length > MAX_SCENARIO_EDITS) {
		details.push(`« ajouts » : au plus ${MAX_SCENARIO_EDITS} sites (reçu : ${value.length})`);
		return null;
	}
	const out: SiteRef[] = [];
	let bad = 0;
	value.forEach((item, i) => {
		const at = `« ajouts[${i}] »`;
		if (!isRecord(item)) {
			if (bad++ < 5) details.push(`${at} : { code_commune }, { lieu } ou { lon, lat } attendu`);
			return;
		}
		if (typeof item.code_commune === 'string' && Object.keys(item).length === 1) {
			out.push({ kind: 'commune', code: item.code_commune.trim().toUpperCase() });
		} else if (typeof item.lieu === 'string' && Object.keys(item).length === 1) {
			out.push({ kind: 'lieu', id: item.lieu });
		} else if (
			typeof item.lon === 'number' &&
			typeof item.lat === 'number' &&
			Object.keys(item).length === 2 &&
			Math.abs(item.lon) <= 180 &&
			Math.abs(item.lat) <= 90
		) {
			out.push({ kind: 'point', lon: item.lon, lat: item.lat });
		} else if (bad++ < 5) {
			details.push(
				`${at} ${showValue(item)} : { code_commune: "02361" }, { lieu: "fs-12" } ou { lon, lat } en degrés WGS84 attendu`
			);
		}
	});
	if (bad > 5) details.push(`… et ${bad - 5} autre(s) ajout(s) invalide(s)`);
	return bad > 0 ? null : out;
}

function parseRemoved(value: unknown, details: string[]): string[] | null {
	if (value === undefined) return [];
	if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
		details.push(
			'« retraits » doit être une liste d’identifiants de lieux (textes, par exemple "fs-12")'
		);
		return null;
	}
	if (value.length > MAX_SCENARIO_EDITS) {
		details.push(`« retraits » : au plus ${MAX_SCENARIO_EDITS} lieux (reçu : ${value.length})`);
		return null;
	}
	return [...new Set(value as string[])];
}

/** `conseillers: [{ lieu: "fs-12", nombre: 2 }]`: corrected numbers of conseillers of existing places. */
function parseCapacityEdits(value: unknown, details: string[]): CapacityEdit[] | null {
	if (value === undefined) return [];
	if (!Array.isArray(value)) {
		details.push(
			`« conseillers » doit être une liste de { lieu: "fs-12", nombre: 2 } (reçu : ${typeName(value)})`
		);
		return null;
	}
	if (value.length > MAX_SCENARIO_EDITS) {
		details.push(`« conseillers » : au plus ${MAX_SCENARIO_EDITS} lieux (reçu : ${value.length})`);
		return null;
	}
	const out = new Map<string, number>();
	let bad = 0;
	value.forEach((item, i) => {
		const ok =
			isRecord(item) &&
			Object.keys(item).length === 2 &&
			typeof item.lieu === 'string' &&
			item.lieu.trim() !== '' &&
			typeof item.nombre === 'number' &&
			Number.isFinite(item.nombre) &&
			item.nombre >= 0 &&
			item.nombre <= MAX_CONSEILLERS_PER_PLACE;
		if (ok) out.set((item.lieu as string).trim(), item.nombre as number);
		else if (bad++ < 5) {
			details.push(
				`« conseillers »[${i}] ${showValue(item)} : { lieu: "fs-12", nombre: 2 } attendu, nombre de conseillers entre 0 et ${MAX_CONSEILLERS_PER_PLACE}`
			);
		}
	});
	if (bad > 5) details.push(`… et ${bad - 5} autre(s) correction(s) invalide(s)`);
	return bad > 0 ? null : [...out].map(([id, conseillers]) => ({ id, conseillers }));
}

/**
 * Check a parsed JSON body and turn it into a scenario. Unknown fields, wrong types, N out of
 * 1–500, an unknown territory, objective or candidate rule, a distance out of (0, 200] km are
 * refused, all at once. `objectif`, `distance_km` and `candidats` default to couverture, 10 km and
 * all communes.
 * @example parseSimulationRequest({ niveau: 'departement', code: '02', n: 11 }, territories)
 */
export function parseSimulationRequest(body: unknown, index: TerritoryIndex): RequestParse {
	const details: string[] = [];
	if (!isRecord(body)) {
		details.push(
			`le corps doit être un objet JSON { niveau, code, n, objectif, distance_km, candidats } (reçu : ${typeName(body)})`
		);
	} else {
		for (const key of Object.keys(body)) {
			if (!(REQUEST_FIELDS as readonly string[]).includes(key)) {
				details.push(
					`champ inconnu ${showValue(key)} (champs acceptés : ${REQUEST_FIELDS.join(', ')})`
				);
			}
		}
		const territory = parseTerritory(body, index, details);
		const n = parseN(body.n, details);
		const objective = parseObjective(body.objectif, details);
		const coverageKm = parseCoverage(body.distance_km, details);
		const candidates = parseCandidates(body.candidats, details);
		const added = parseAdded(body.ajouts, details);
		const removed = parseRemoved(body.retraits, details);
		const conseillers = parseCapacityEdits(body.conseillers, details);
		const detail = body.detail_communes;
		if (detail !== undefined && typeof detail !== 'boolean') {
			details.push(`« detail_communes » doit valoir true ou false (reçu : ${showValue(detail)})`);
		}
		if (
			details.length === 0 &&
			territory &&
			n !== null &&
			objective &&
			coverageKm !== null &&
			candidates &&
			added &&
			removed &&
			conseillers
		) {
			return {
				ok: true,
				value: {
					params: { territory, n, objective, coverageKm, candidates },
					edits: { proposed: [], added, removed, conseillers },
					detailCommunes: detail === true
				}
			};
		}
	}
	return { ok: false, ...refusalOf(details) };
}
