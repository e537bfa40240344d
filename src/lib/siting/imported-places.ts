/**
 * The siting dataset with a user's imported places counted as existing places (issue 12), by the
 * rule of `places-import/imported-supply.ts` (added, or replacing their duplicate of the same type
 * with its supply). The worker derives it from the national dataset it already holds rather than
 * reading and estimating everything again: only the places and the E2SFCA scores change.
 */
import { computeAccessibility } from '../access/e2sfca';
import {
	DEFAULT_ACCESS_PARAMETERS,
	supplyOfPlace,
	type AccessParameters
} from '../access/parameters';
import type { DemandPoint, SupplyPoint } from '../access/points';
import type { ImportedPlace } from '../places-import/imported-place';
import {
	planImportedPlaces,
	type ImportedSupplySummary,
	type KnownPlaceRef
} from '../places-import/imported-supply';
import type { SitingDataset } from './scenario';

/**
 * The dataset's existing places with the imported ones, and the E2SFCA scores recomputed on them:
 * the same numbers as `buildSitingDataset(analyseTerritories({ …, mediators:
 * mergeImportedMediators(mediators, imported) }))`, without re-estimating the needs.
 * @param parameters decay bands and supply rules of the dataset's scores (the defaults)
 */
export function withImportedPlaces(
	dataset: SitingDataset,
	imported: readonly ImportedPlace[],
	parameters: Readonly<AccessParameters> = DEFAULT_ACCESS_PARAMETERS
): { dataset: SitingDataset; summary: ImportedSupplySummary } {
	if (imported.length === 0) return { dataset, summary: { imported: 0, replaced: 0 } };
	const { places, communes } = dataset;
	const known = new Map<string, KnownPlaceRef>();
	const indexOf = new Map<string, number>();
	places.id.forEach((id, j) => {
		known.set(id, { id, type: places.type[j] });
		indexOf.set(id, j);
	});
	const plan = planImportedPlaces(known, imported);
	const kept: number[] = [];
	for (let j = 0; j < places.id.length; j++) if (!plan.replaced.has(places.id[j])) kept.push(j);
	const total = kept.length + imported.length;
	const next: SitingDataset['places'] = {
		id: new Array<string>(total),
		type: new Array<SitingDataset['places']['type'][number]>(total),
		nom: new Array<string>(total),
		commune: new Array<string | null>(total),
		lon: new Float64Array(total),
		lat: new Float64Array(total),
		supply: new Float64Array(total)
	};
	kept.forEach((j, k) => {
		next.id[k] = places.id[j];
		next.type[k] = places.type[j];
		next.nom[k] = places.nom[j];
		next.commune[k] = places.commune[j];
		next.lon[k] = places.lon[j];
		next.lat[k] = places.lat[j];
		next.supply[k] = places.supply[j];
	});
	imported.forEach((p, i) => {
		const k = kept.length + i;
		const twin = plan.replaces[i];
		next.id[k] = p.id;
		next.type[k] = p.type;
		next.nom[k] = p.nom;
		next.commune[k] = p.commune;
		next.lon[k] = p.lon;
		next.lat[k] = p.lat;
		// A replaced place of the same type lends its supply (its effectif under the same rule).
		next.supply[k] =
			twin !== null
				? places.supply[indexOf.get(twin)!]
				: supplyOfPlace(p.type, null, parameters.supply);
	});

	// Demand as `buildDemandPoints` makes it: communes with a centre, unknown needs as 0.
	const demand: DemandPoint[] = [];
	const at: number[] = [];
	for (let i = 0; i < communes.code.length; i++) {
		if (!Number.isFinite(communes.lon[i]) || !Number.isFinite(communes.lat[i])) continue;
		const eloignes = communes.eloignes[i];
		demand.push({
			code: communes.code[i],
			lon: communes.lon[i],
			lat: communes.lat[i],
			demand: Number.isFinite(eloignes) ? eloignes : 0
		});
		at.push(i);
	}
	const supply: SupplyPoint[] = next.id.map((id, k) => ({
		id,
		type: next.type[k],
		lon: next.lon[k],
		lat: next.lat[k],
		supply: next.supply[k]
	}));
	const { score } = computeAccessibility(demand, supply, parameters);
	const accessScore = new Float64Array(communes.code.length).fill(NaN);
	at.forEach((i, d) => (accessScore[i] = score[d]));
	return {
		dataset: { ...dataset, communes: { ...communes, accessScore }, places: next },
		summary: { imported: imported.length, replaced: plan.replaced.size }
	};
}
