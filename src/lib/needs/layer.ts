/**
 * What the map layer « Personnes éloignées du numérique (estimation) » shows per territory: the
 * estimate of `remoteLayerValues` plus a point where its proportional circle is drawn, and the
 * plain-French wording of the estimate for the tooltip and the details panel.
 *
 * Circle centres: a commune's own centre (close to the town hall, geo.api.gouv.fr); above the
 * commune, the population-weighted centre of its communes. That point sits where people live (Lille
 * rather than the middle of the Nord), needs no polygon (the 7 communes without one still count)
 * and is computed from the commune table alone, in the same pass as the estimate.
 */
import { groupCommunesByLevel } from '../territory/aggregate';
import type { CommuneRecord, Level } from '../territory/commune';
import type { TerritoryIndex } from '../territory/artifacts';
import { formatInteger, formatPercent } from '../format/number';
import { estimateFranceTotal, remoteLayerValues, type RemoteLayerValue } from './aggregate';
import type { RemoteEstimateSet } from './model';

/** One territory of the layer: the estimate and where its circle goes (WGS84 degrees). */
export interface RemoteLayerPoint extends RemoteLayerValue {
	/** null when none of its communes has a centre (does not happen with the 2026 table). */
	lon: number | null;
	lat: number | null;
}

/** Everything the layer needs at one level (plain data: it crosses the worker boundary). */
export interface RemoteLayerLevel {
	level: Level;
	points: RemoteLayerPoint[];
	/**
	 * France as a whole (every commune of the table), for the first screen's headline. Its band is
	 * recomputed from the communes' variances: summing the territories' bands would overstate it.
	 */
	france: Omit<RemoteLayerValue, 'drivers'> & {
		/** Départements left out of the total because they are not estimated (« non estimé »). */
		notEstimated: string[];
	};
}

/**
 * The population-weighted centre of each territory of `level` (for communes, their own centre).
 * Communes without a centre are skipped; a territory of 0 inhabitants gets the plain mean of its
 * communes' centres. Longitudes are averaged as numbers: no territory crosses the antimeridian.
 * @returns centres keyed by territory code, WGS84 degrees
 */
export function locateWeightedCentres(
	communes: readonly CommuneRecord[],
	level: Level
): Map<string, { lon: number; lat: number }> {
	const centres = new Map<string, { lon: number; lat: number }>();
	if (level === 'commune') {
		for (const c of communes)
			if (c.lon !== null && c.lat !== null) centres.set(c.code, { lon: c.lon, lat: c.lat });
		return centres;
	}
	for (const [code, group] of groupCommunesByLevel(communes, level)) {
		let weight = 0;
		let lon = 0;
		let lat = 0;
		let count = 0;
		let plainLon = 0;
		let plainLat = 0;
		for (const c of group) {
			if (c.lon === null || c.lat === null) continue;
			weight += c.population;
			lon += c.population * c.lon;
			lat += c.population * c.lat;
			count++;
			plainLon += c.lon;
			plainLat += c.lat;
		}
		if (weight > 0) centres.set(code, { lon: lon / weight, lat: lat / weight });
		else if (count > 0) centres.set(code, { lon: plainLon / count, lat: plainLat / count });
	}
	return centres;
}

/**
 * The layer at one level: `remoteLayerValues` (with the drivers' sentences) and the circle centres.
 * Takes about a second for the communes (drivers of 35,000 communes): run it in the worker.
 */
export function computeRemoteLayer(
	set: RemoteEstimateSet,
	communes: readonly CommuneRecord[],
	level: Level,
	territories: TerritoryIndex
): RemoteLayerLevel {
	const centres = locateWeightedCentres(communes, level);
	const points = remoteLayerValues(set, communes, level, territories).map((v) => {
		const centre = centres.get(v.code);
		return { ...v, lon: centre?.lon ?? null, lat: centre?.lat ?? null };
	});
	const total = estimateFranceTotal(set, communes);
	const leftOut = new Set(
		communes.filter((_, i) => set.communes[i].fiabilite === 'non_estime').map((c) => c.dep)
	);
	return {
		level,
		points,
		france: {
			code: total.code,
			eloignes: total.eloignes,
			bas: total.bas,
			haut: total.haut,
			part: total.part,
			fiabilite: total.fiabilite,
			notEstimated: territories.departements.filter((d) => leftOut.has(d.code)).map((d) => d.nom)
		}
	};
}

/**
 * A head count rounded to what the model can tell: 2 significant digits, and to the nearest 10
 * at least (`1 234` → `1 200`, `47` → `50`, `4` → `0`). The count is first rounded to the person,
 * as `/api/estimations` publishes it, so both round the same number.
 * @param persons estimated persons
 */
export function roundHeadCount(persons: number): number {
	const whole = Math.round(persons);
	if (whole <= 0) return 0;
	const step = Math.max(10, 10 ** (Math.floor(Math.log10(whole)) - 1));
	return Math.round(whole / step) * step;
}

/** French wording of a rounded head count: « environ 1 200 », « moins de 10 ». */
export function formatHeadCount(persons: number): string {
	const rounded = roundHeadCount(persons);
	return rounded === 0 && Math.round(persons) < 5
		? 'moins de 10'
		: `environ ${formatInteger(rounded)}`;
}

/** The lines shown for a territory in the tooltip and the details panel, in plain French. */
export interface RemoteEstimateText {
	/** « environ 12 000 personnes de 15 ans ou plus éloignées du numérique » */
	estimate: string;
	/** « entre 9 800 et 15 000 » */
	band: string;
	/** « soit 17,2 % des 15 ans et plus » (or « part inconnue (aucun habitant de 15 ans ou plus) »). */
	share: string;
	/** The drivers' sentences, most important first. */
	drivers: string[];
}

/** French wording of a territory that is not estimated (Mayotte: no survey). */
export const NOT_ESTIMATED_TEXT =
	'non estimé : aucune enquête sur l’illectronisme dans ce territoire, l’atlas ne publie pas de chiffre';
/** French note of an extrapolated estimate (Guyane). */
export const EXTRAPOLATED_TEXT =
	'extrapolé : aucun chiffre publié pour ce territoire, fourchette large';

/** Describe one territory's estimate in French (counts rounded by `roundHeadCount`). */
export function describeRemoteEstimate(value: RemoteLayerValue): RemoteEstimateText {
	if (value.eloignes === null || value.bas === null || value.haut === null) {
		return {
			estimate: NOT_ESTIMATED_TEXT,
			band: 'aucune',
			share: 'part non estimée',
			drivers: []
		};
	}
	const low = roundHeadCount(value.bas);
	const high = roundHeadCount(value.haut);
	return {
		estimate: `${formatHeadCount(value.eloignes)} personnes de 15 ans ou plus éloignées du numérique`,
		band: `entre ${formatInteger(low)} et ${formatInteger(high)}`,
		share:
			value.part === null
				? 'part inconnue (aucun habitant de 15 ans ou plus)'
				: `soit ${formatPercent(value.part)} des 15 ans et plus`,
		drivers: value.fiabilite === 'extrapole' ? [EXTRAPOLATED_TEXT, ...value.drivers] : value.drivers
	};
}

/**
 * The tooltip lines of a territory's estimate: the estimate, its band, the share and the drivers.
 * @param value null while its level is being computed
 */
export function listRemoteEstimateLines(value: RemoteLayerValue | null): string[] {
	if (!value) return ['Estimation : calcul en cours…'];
	const text = describeRemoteEstimate(value);
	if (value.fiabilite === 'non_estime') return [`Estimation : ${text.estimate}`];
	return [
		`Estimation : ${text.estimate}`,
		`Fourchette : ${text.band}`,
		`Part : ${text.share.replace(/^soit /, '')}`,
		...text.drivers
	];
}
