/**
 * From a scenario's parameters to the engine's points: the territory's communes (demand), the places
 * a candidate rule re-labels, the candidate sites, and hand-edited sites resolved to points.
 */
import { around } from 'geokdbush';
import type { CandidateSite, DemandPoint, ExistingPlace } from '../model';
import { distanceKm } from '../nearest';
import type { SitingContext } from './dataset';
import {
	MAX_POINT_TO_COMMUNE_KM,
	SCENARIO_LEVEL_LABELS,
	siteToken,
	type CandidateRule,
	type CandidateRuleId,
	type ScenarioLevel,
	type ScenarioTerritory,
	type SiteRef
} from './parameters';
import type { SimulationSite } from './result';
import { km } from './texts';

export interface ResolvedTerritory {
	level: ScenarioLevel;
	code: string | null;
	nom: string;
	/** All communes of the territory (indices into the dataset). */
	members: number[];
	/** Members with a centre: the demand points, in this order. */
	withCentre: number[];
	population: number;
	eloignes: number;
	unknownEstimates: number;
}

function territoryName(context: SitingContext, territory: ScenarioTerritory): string | null {
	if (territory.level === 'france') return 'France';
	return context.territoryEntries.get(`${territory.level}:${territory.code}`)?.nom ?? null;
}

export function resolveTerritory(
	context: SitingContext,
	territory: ScenarioTerritory
): ResolvedTerritory | string {
	const nom = territoryName(context, territory);
	if (nom === null) {
		return `${SCENARIO_LEVEL_LABELS[territory.level].toLowerCase()} « ${territory.code} » inconnu(e) (codes du COG 2026)`;
	}
	const { communes } = context.dataset;
	const key: Record<Exclude<ScenarioLevel, 'france'>, (i: number) => string | null> = {
		region: (i) => communes.reg[i],
		departement: (i) => communes.dep[i],
		epci: (i) => communes.epci[i]
	};
	const members: number[] = [];
	const withCentre: number[] = [];
	let population = 0;
	let eloignes = 0;
	let unknownEstimates = 0;
	for (let i = 0; i < communes.code.length; i++) {
		if (territory.level !== 'france' && key[territory.level](i) !== territory.code) continue;
		members.push(i);
		population += communes.population[i];
		const e = communes.eloignes[i];
		if (Number.isFinite(e)) eloignes += e;
		else unknownEstimates++;
		if (Number.isFinite(communes.lon[i]) && Number.isFinite(communes.lat[i])) withCentre.push(i);
	}
	if (members.length === 0) return `le territoire « ${nom} » n’a aucune commune`;
	return {
		level: territory.level,
		code: territory.code,
		nom,
		members,
		withCentre,
		population,
		eloignes,
		unknownEstimates
	};
}

export function demandOf(context: SitingContext, territory: ResolvedTerritory): DemandPoint[] {
	const { communes } = context.dataset;
	return territory.withCentre.map((i) => ({
		code: communes.code[i],
		lon: communes.lon[i],
		lat: communes.lat[i],
		weight: Number.isFinite(communes.eloignes[i]) ? communes.eloignes[i] : 0
	}));
}

/**
 * Places a candidate rule re-labels as sites to reinforce: with `france_services_sans_conseiller`,
 * the France services without a conseiller nearby. They are part of the present ("avant" is the same
 * whatever the rule) and leave the places of "après" like an edit, shown in a notice.
 */
export function relabelledPlaces(context: SitingContext, rule: CandidateRuleId): number[] {
	if (rule !== 'france_services_sans_conseiller') return [];
	const out: number[] = [];
	for (let j = 0; j < context.withoutConseiller.length; j++) {
		if (context.withoutConseiller[j]) out.push(j);
	}
	return out;
}

export function placePoint(context: SitingContext, j: number): ExistingPlace {
	const { places } = context.dataset;
	return { id: places.id[j], lon: places.lon[j], lat: places.lat[j] };
}

export function candidatesOf(
	context: SitingContext,
	territory: ResolvedTerritory,
	rule: CandidateRule,
	removed: ReadonlySet<string>
): CandidateSite[] {
	const { communes, places } = context.dataset;
	if (rule.rule === 'france_services_sans_conseiller') {
		const inTerritory = new Set(territory.members.map((i) => communes.code[i]));
		const out: CandidateSite[] = [];
		for (let j = 0; j < places.id.length; j++) {
			const commune = places.commune[j];
			if (!context.withoutConseiller[j] || removed.has(places.id[j])) continue;
			if (commune === null || !inTerritory.has(commune)) continue;
			out.push({ id: places.id[j], code: commune, lon: places.lon[j], lat: places.lat[j] });
		}
		return out;
	}
	const threshold = rule.rule === 'population_min' ? (rule.populationMin ?? 0) : -Infinity;
	return territory.withCentre
		.filter((i) => communes.population[i] >= threshold)
		.map((i) => ({
			id: communes.code[i],
			code: communes.code[i],
			lon: communes.lon[i],
			lat: communes.lat[i]
		}));
}

export interface ResolvedSite {
	token: string;
	origin: 'proposition' | 'ajout';
	code: string;
	nom: string;
	lieu: SimulationSite['lieu'];
	lon: number;
	lat: number;
}

function nearestCommune(context: SitingContext, lon: number, lat: number): number {
	const [k] = around(context.communeTree, lon, lat, 1);
	return k === undefined ? -1 : context.centreCommunes[k];
}

/** A site reference as a point with its commune, or a French problem. */
export function resolveSite(
	context: SitingContext,
	ref: SiteRef,
	origin: ResolvedSite['origin']
): ResolvedSite | string {
	const { communes, places } = context.dataset;
	const token = siteToken(ref);
	if (ref.kind === 'commune') {
		const i = context.communeIndex.get(ref.code);
		if (i === undefined) return `commune « ${ref.code} » inconnue (codes du COG 2026)`;
		if (!Number.isFinite(communes.lon[i])) {
			return `la commune « ${ref.code} » (${communes.nom[i]}) n’a pas de centre connu : placez le site sur la carte`;
		}
		return {
			token,
			origin,
			code: ref.code,
			nom: communes.nom[i],
			lieu: null,
			lon: communes.lon[i],
			lat: communes.lat[i]
		};
	}
	if (ref.kind === 'lieu') {
		const j = context.placeIndex.get(ref.id);
		if (j === undefined) return `lieu « ${ref.id} » inconnu`;
		const code = places.commune[j];
		const i =
			code !== null
				? (context.communeIndex.get(code) ?? nearestCommune(context, places.lon[j], places.lat[j]))
				: nearestCommune(context, places.lon[j], places.lat[j]);
		return {
			token,
			origin,
			code: i >= 0 ? communes.code[i] : (code ?? ''),
			nom: i >= 0 ? communes.nom[i] : '',
			lieu: { id: places.id[j], nom: places.nom[j], type: places.type[j] },
			lon: places.lon[j],
			lat: places.lat[j]
		};
	}
	const i = nearestCommune(context, ref.lon, ref.lat);
	if (
		i < 0 ||
		distanceKm(ref.lon, ref.lat, communes.lon[i], communes.lat[i]) > MAX_POINT_TO_COMMUNE_KM
	) {
		return `le point ${token.replace('_', ', ')} est à plus de ${km(MAX_POINT_TO_COMMUNE_KM)} de toute commune`;
	}
	return {
		token,
		origin,
		code: communes.code[i],
		nom: communes.nom[i],
		lieu: null,
		lon: ref.lon,
		lat: ref.lat
	};
}

export function placesInTerritory(
	context: SitingContext,
	territory: ResolvedTerritory,
	indices: readonly number[]
): number {
	if (territory.level === 'france') return indices.length;
	const codes = new Set(territory.members.map((i) => context.dataset.communes.code[i]));
	let count = 0;
	for (const j of indices) {
		const c = context.dataset.places.commune[j];
		if (c !== null && codes.has(c)) count++;
	}
	return count;
}
