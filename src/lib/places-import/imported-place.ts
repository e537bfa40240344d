/**
 * An imported place as the rest of the page sees it (the map layer, the filters, the ranking, the
 * saved scenarios), without the file reader: `import-places.ts` reads files with `proj4` for
 * Lambert-93 and other systems, 43 kB compressed the first screen does not need.
 */
import type { Feature, Point } from 'geojson';
import type { MediatorProperties, MediatorType } from '../territory/artifacts';

/** Dataset id of imported places in attributions and in the mediator filter. */
export const IMPORTED_SOURCE_ID = 'donnees-importees';

/** Most places one import (and one saved scenario) holds: France counts ≈ 20 000 mediation places. */
export const MAX_IMPORTED_PLACES = 20_000;

/** A place accepted from the file. */
export interface ImportedPlace {
	/** Id in the Atlas: `import-` + the file's id (or its line when the file has none). */
	id: string;
	nom: string;
	type: MediatorType;
	/** National programmes as written in the file. */
	programmes: string[];
	/** WGS84 degrees. */
	lon: number;
	lat: number;
	/** INSEE commune code, when the file gives one. */
	commune: string | null;
	/** `commune`: the file gave no coordinates, the place sits at its commune's centre. */
	located: 'address' | 'commune';
	adresse: string | null;
	horaires: string | null;
	/** `date_maj` of the standard, when given (yyyy-mm-dd). */
	date: string | null;
	/** Line (CSV) or feature number (GeoJSON) in the file. */
	line: number;
	/**
	 * Id of the known place of the same type this place duplicates (same name, within
	 * `DUPLICATE_DISTANCE_KM`): the analysis counts the imported place instead of it (see
	 * `imported-supply.ts`). Absent or null: a place of its own. Absent in scenarios saved before it.
	 */
	duplicateOf?: string | null;
}

/** An imported place as a point of the mediators layer (source `donnees-importees`). */
export function toMediatorFeature(place: ImportedPlace): Feature<Point, MediatorProperties> {
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [place.lon, place.lat] },
		properties: {
			id: place.id,
			type: place.type,
			nom: place.nom,
			adresse: place.adresse,
			commune: place.commune,
			located: place.located,
			source: IMPORTED_SOURCE_ID,
			date: place.date,
			horaires: place.horaires,
			effectif: null
		}
	};
}

/** Number of places per type, in the order types first appear. */
export function countPlacesByType(
	places: readonly Pick<ImportedPlace, 'type'>[]
): [MediatorType, number][] {
	const counts = new Map<MediatorType, number>();
	for (const p of places) counts.set(p.type, (counts.get(p.type) ?? 0) + 1);
	return [...counts];
}
