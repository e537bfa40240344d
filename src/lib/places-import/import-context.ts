/**
 * What the import compares rows with, in a compact form that crosses to the worker in one
 * structured clone: commune centres (COG 2026) and the places already on the map.
 */
import type { CommuneRecord } from '../territory/commune';
import type { Feature, Point } from 'geojson';
import type { MediatorProperties, MediatorType } from '../territory/artifacts';
import type { ImportContext } from './import-places';

/** Commune centres and known places as parallel arrays (≈ 35 000 + 15 000 entries). */
export interface CompactImportContext {
	communeCodes: string[];
	communeNames: string[];
	/** lon, lat interleaved, WGS84 degrees. */
	communeCentres: Float64Array;
	placeIds: string[];
	placeNames: string[];
	/** Type of each known place (null when the caller did not give it). */
	placeTypes: (MediatorType | null)[];
	/** lon, lat interleaved, WGS84 degrees. */
	placeCoordinates: Float64Array;
}

/** The places on the map, as the import compares rows with them (duplicates of a known place). */
export function knownPlacesOfMediators(
	mediators: readonly Feature<Point, MediatorProperties>[]
): { id: string; nom: string; lon: number; lat: number; type: MediatorType }[] {
	return mediators.map((f) => ({
		id: f.properties.id,
		nom: f.properties.nom,
		type: f.properties.type,
		lon: f.geometry.coordinates[0],
		lat: f.geometry.coordinates[1]
	}));
}

/** Compact the commune table (communes without a centre are left out) and the known places. */
export function compactImportContext(
	communes: readonly Pick<CommuneRecord, 'code' | 'nom' | 'lon' | 'lat'>[],
	places: readonly { id: string; nom: string; lon: number; lat: number; type?: MediatorType }[]
): CompactImportContext {
	const located = communes.filter((c) => c.lon !== null && c.lat !== null);
	const communeCentres = new Float64Array(located.length * 2);
	located.forEach((c, i) => {
		communeCentres[2 * i] = c.lon as number;
		communeCentres[2 * i + 1] = c.lat as number;
	});
	const placeCoordinates = new Float64Array(places.length * 2);
	places.forEach((p, i) => {
		placeCoordinates[2 * i] = p.lon;
		placeCoordinates[2 * i + 1] = p.lat;
	});
	return {
		communeCodes: located.map((c) => c.code),
		communeNames: located.map((c) => c.nom),
		communeCentres,
		placeIds: places.map((p) => p.id),
		placeNames: places.map((p) => p.nom),
		placeTypes: places.map((p) => p.type ?? null),
		placeCoordinates
	};
}

/** The lookup form `readPlacesFile` uses. */
export function expandImportContext(compact: CompactImportContext): ImportContext {
	const communes = new Map<string, { nom: string; lon: number; lat: number }>();
	compact.communeCodes.forEach((code, i) => {
		communes.set(code, {
			nom: compact.communeNames[i],
			lon: compact.communeCentres[2 * i],
			lat: compact.communeCentres[2 * i + 1]
		});
	});
	const knownPlaces = compact.placeIds.map((id, i) => ({
		id,
		nom: compact.placeNames[i],
		lon: compact.placeCoordinates[2 * i],
		lat: compact.placeCoordinates[2 * i + 1],
		type: compact.placeTypes?.[i] ?? undefined
	}));
	return { communes, knownPlaces };
}
