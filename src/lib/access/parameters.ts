/**
 * Parameters of the mediation accessibility measure (E2SFCA): distance-decay bands and the supply
 * each kind of place stands for, with documented defaults that a user may change. Validation returns
 * every problem at once, in French, so the UI and the API can show them together.
 */
import type { MediatorType } from '../territory/artifacts';
import { formatDecimal } from '../format/number';

/** One distance band of the decay function: places up to `maxKm` (inclusive) weigh `weight`. */
export interface DecayBand {
	/** Upper bound of the band, km, straight line. The lower bound is the previous band's `maxKm` (or 0). */
	maxKm: number;
	/** Weight W(d) in [0, 1] applied to supply and demand in this band. */
	weight: number;
}

/** How many "équivalents conseiller" one place of a given type stands for. */
export interface SupplyRule {
	/** Équivalents conseiller counted for one place (when `useEffectif` is off or the source gives none). */
	perPlace: number;
	/** Use the place's own `effectif` (posts or agents declared by the source) when it is known. */
	useEffectif: boolean;
}

export interface AccessParameters {
	/** Decay bands sorted by increasing `maxKm`; beyond the last band a place is out of reach. */
	bands: DecayBand[];
	supply: Record<MediatorType, SupplyRule>;
}

/** Every mediator type, in the order used for per-type outputs. */
export const MEDIATOR_TYPES = [
	'france-services',
	'conseiller-numerique-lieu',
	'conseiller-numerique-poste',
	'aidants-connect',
	'autre-lieu-mediation'
] as const satisfies readonly MediatorType[];

/** French names of the types, for messages and labels. */
export const MEDIATOR_TYPE_LABELS: Record<MediatorType, string> = {
	'france-services': 'France services',
	'conseiller-numerique-lieu': 'lieu d’activité de conseiller numérique',
	'conseiller-numerique-poste': 'poste de conseiller numérique',
	'aidants-connect': 'structure Aidants Connect',
	'autre-lieu-mediation': 'autre lieu de médiation numérique'
};

/**
 * Default decay: the three zones and Gaussian weights of Luo & Qi (2009, Health & Place 15(4),
 * 1100–1107: 1.00 / 0.68 / 0.22 for 0–10, 10–20 and 20–30 minutes), with the zone limits turned into
 * straight-line km. 20 km is the outer limit because the France services promise is a service "à moins
 * de 30 minutes" of every resident, and 20 km straight ≈ 26 km of road (detour factor ≈ 1.3, the usual
 * ratio between road and straight-line distance in France) ≈ 30 minutes at a rural average of
 * ≈ 50 km/h; 5 and 10 km are ≈ 8 and ≈ 16 minutes on the same basis. The DREES APL uses the same
 * kind of step function (1, 2/3, 1/3 up to 20 minutes for GPs), with road times we do not have.
 */
export const DEFAULT_DECAY_BANDS: readonly DecayBand[] = [
	{ maxKm: 5, weight: 1 },
	{ maxKm: 10, weight: 0.68 },
	{ maxKm: 20, weight: 0.22 }
];

/**
 * Default supply per place, in équivalents conseiller (full-time mediators):
 * - conseiller numérique post: its `effectif` (posts validated by the COSELEC, ANCT list of
 *   5 April 2023), else 1 — one post is one conseiller;
 * - France services: 2 — the France services charter (circular of 1 July 2019 creating France
 *   services) requires at least two trained multi-skilled agents on site; used unless the source
 *   declares its agents. They help with all procedures, online ones included: 2 is an upper bound of
 *   their digital-help time;
 * - conseiller numérique place of activity (2022 permanences): 0 — the conseillers who hold these
 *   permanences are already counted by their posts; counting the place too would count them twice.
 *   The place still counts for the distance to the nearest place;
 * - Aidants Connect structure: 0.5 — a convention, not a published figure: aidants are social
 *   workers or reception staff authorised to act on someone's behalf, for whom this is a part of their
 *   job; no full-time equivalent is published;
 * - other mediation place (Nord–Pas-de-Calais census): 0.5 — the same convention: associations,
 *   libraries and tiers-lieux listed without staff numbers.
 */
export const DEFAULT_SUPPLY_RULES: Readonly<Record<MediatorType, SupplyRule>> = {
	'conseiller-numerique-poste': { perPlace: 1, useEffectif: true },
	'france-services': { perPlace: 2, useEffectif: true },
	'conseiller-numerique-lieu': { perPlace: 0, useEffectif: false },
	'aidants-connect': { perPlace: 0.5, useEffectif: false },
	'autre-lieu-mediation': { perPlace: 0.5, useEffectif: false }
};

export const DEFAULT_ACCESS_PARAMETERS: Readonly<AccessParameters> = {
	bands: DEFAULT_DECAY_BANDS.map((band) => ({ ...band })),
	supply: structuredClone(DEFAULT_SUPPLY_RULES) as Record<MediatorType, SupplyRule>
};

/** Largest catchment accepted, km: beyond it "reaching a place" means nothing and the work grows as r². */
export const MAX_CATCHMENT_KM = 100;
/** Most bands accepted. */
export const MAX_DECAY_BANDS = 10;
/** Largest supply accepted for one place, équivalents conseiller. */
export const MAX_SUPPLY_PER_PLACE = 100;

/** Outcome of a validation: the value, or every problem in French. */
export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Weight W(d) of a place at `distanceKm` under `bands` (step function), 0 beyond the last band.
 * @example decayWeight(7, DEFAULT_DECAY_BANDS) // 0.68
 */
export function decayWeight(distanceKm: number, bands: readonly DecayBand[]): number {
	for (const band of bands) if (distanceKm <= band.maxKm) return band.weight;
	return 0;
}

/** Catchment radius d0, km: the upper bound of the last band. */
export function catchmentRadiusKm(bands: readonly DecayBand[]): number {
	return bands.length === 0 ? 0 : bands[bands.length - 1].maxKm;
}

/**
 * Supply of one place, équivalents conseiller: its `effectif` when the rule says to use it and the
 * source gives a positive one, else the rule's `perPlace`.
 */
export function supplyOfPlace(
	type: MediatorType,
	effectif: number | null,
	rules: Readonly<Record<MediatorType, SupplyRule>>
): number {
	const rule = rules[type];
	if (rule.useEffectif && effectif !== null && Number.isFinite(effectif) && effectif > 0) {
		return effectif;
	}
	return rule.perPlace;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateBands(input: unknown, errors: string[]): DecayBand[] {
	if (!Array.isArray(input)) {
		errors.push('Les tranches de distance doivent être une liste de { maxKm, weight }.');
		return [];
	}
	if (input.length === 0) errors.push('Il faut au moins une tranche de distance.');
	if (input.length > MAX_DECAY_BANDS) {
		errors.push(`Trop de tranches de distance : ${input.length} (au plus ${MAX_DECAY_BANDS}).`);
	}
	const bands: DecayBand[] = [];
	input.forEach((raw, i) => {
		const n = i + 1;
		if (!isRecord(raw)) {
			errors.push(`Tranche ${n} : { maxKm, weight } attendu.`);
			return;
		}
		const { maxKm, weight } = raw;
		let ok = true;
		if (typeof maxKm !== 'number' || !Number.isFinite(maxKm) || maxKm <= 0) {
			errors.push(`Tranche ${n} : la distance maximale doit être un nombre de km positif.`);
			ok = false;
		} else if (maxKm > MAX_CATCHMENT_KM) {
			errors.push(
				`Tranche ${n} : ${formatDecimal(maxKm, 0)} km dépasse la limite de ${MAX_CATCHMENT_KM} km.`
			);
			ok = false;
		}
		if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 1) {
			errors.push(`Tranche ${n} : le poids doit être un nombre entre 0 et 1.`);
			ok = false;
		}
		if (!ok) return;
		const previous = bands[bands.length - 1];
		if (previous && previous.maxKm >= (maxKm as number)) {
			errors.push(`Tranche ${n} : les distances doivent être croissantes.`);
		}
		if (previous && previous.weight < (weight as number)) {
			errors.push(
				`Tranche ${n} : le poids ne peut pas augmenter avec la distance (${formatDecimal(previous.weight, 2)} puis ${formatDecimal(weight as number, 2)}).`
			);
		}
		bands.push({ maxKm: maxKm as number, weight: weight as number });
	});
	if (bands.length > 0 && bands[0].weight === 0) {
		errors.push('La première tranche doit avoir un poids positif.');
	}
	return bands;
}

function validateSupply(input: unknown, errors: string[]): Record<MediatorType, SupplyRule> {
	const supply = structuredClone(DEFAULT_SUPPLY_RULES) as Record<MediatorType, SupplyRule>;
	if (input === undefined) return supply;
	if (!isRecord(input)) {
		errors.push('L’offre par type de lieu doit être un objet.');
		return supply;
	}
	for (const key of Object.keys(input)) {
		if (!(MEDIATOR_TYPES as readonly string[]).includes(key)) {
			errors.push(`Type de lieu inconnu : « ${key} » (attendus : ${MEDIATOR_TYPES.join(', ')}).`);
			continue;
		}
		const type = key as MediatorType;
		const raw = input[key];
		const label = MEDIATOR_TYPE_LABELS[type];
		if (!isRecord(raw)) {
			errors.push(`Offre « ${label} » : { perPlace, useEffectif } attendu.`);
			continue;
		}
		if (raw.perPlace !== undefined) {
			const v = raw.perPlace;
			if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_SUPPLY_PER_PLACE) {
				errors.push(
					`Offre « ${label} » : l’offre par lieu doit être un nombre entre 0 et ${MAX_SUPPLY_PER_PLACE}.`
				);
			} else supply[type].perPlace = v;
		}
		if (raw.useEffectif !== undefined) {
			if (typeof raw.useEffectif !== 'boolean') {
				errors.push(`Offre « ${label} » : useEffectif doit valoir true ou false.`);
			} else supply[type].useEffectif = raw.useEffectif;
		}
	}
	return supply;
}

/**
 * Check user-supplied parameters; missing parts take the defaults. Returns every problem found, in
 * French, or the complete parameters.
 * @example validateAccessParameters({ bands: [{ maxKm: 15, weight: 1 }] })
 */
export function validateAccessParameters(input: unknown): Validation<AccessParameters> {
	const errors: string[] = [];
	if (input !== undefined && !isRecord(input)) {
		return { ok: false, errors: ['Les paramètres d’accessibilité doivent être un objet.'] };
	}
	const raw = input ?? {};
	const bands =
		raw.bands === undefined
			? DEFAULT_DECAY_BANDS.map((b) => ({ ...b }))
			: validateBands(raw.bands, errors);
	const supply = validateSupply(raw.supply, errors);
	for (const key of Object.keys(raw)) {
		if (key !== 'bands' && key !== 'supply') errors.push(`Paramètre inconnu : « ${key} ».`);
	}
	return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { bands, supply } };
}
