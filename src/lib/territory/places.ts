/**
 * Where the "Aller à" buttons take the map: mainland France and the five DROM (their polygons are
 * in their real positions, far from the mainland, so the user needs a way to reach them).
 */
import type { TerritoryEntry } from '$lib/territory/artifacts';

/** [west, south, east, north], WGS84 degrees. */
export type Bounds = [number, number, number, number];

/**
 * Approximate extent of mainland France with Corsica, used for the very first frame before the
 * territory index has loaded (then replaced by the union of the départements' boxes).
 */
export const MAINLAND_BOUNDS_FALLBACK: Bounds = [-5.2, 41.3, 9.6, 51.1];

/** The five DROM départements, in the INSEE order. */
export const OVERSEAS_DEPARTEMENTS: readonly string[] = ['971', '972', '973', '974', '976'];

export interface Place {
	id: string;
	label: string;
	bounds: Bounds;
}

/** Smallest box containing all the boxes (null if none). */
export function unionBounds(boxes: readonly (Bounds | null)[]): Bounds | null {
	let out: Bounds | null = null;
	for (const b of boxes) {
		if (!b) continue;
		out = out
			? [
					Math.min(out[0], b[0]),
					Math.min(out[1], b[1]),
					Math.max(out[2], b[2]),
					Math.max(out[3], b[3])
				]
			: [...b];
	}
	return out;
}

/**
 * The places of the quick-jump buttons: "France métropolitaine" (union of the 96 mainland
 * départements) then each DROM with its own name and box, from the territory index.
 */
export function listPlaces(departements: readonly TerritoryEntry[]): Place[] {
	const mainland = unionBounds(
		departements.filter((d) => !d.code.startsWith('97')).map((d) => d.bbox)
	);
	const places: Place[] = [
		{
			id: 'metropole',
			label: 'France métropolitaine',
			bounds: mainland ?? MAINLAND_BOUNDS_FALLBACK
		}
	];
	for (const code of OVERSEAS_DEPARTEMENTS) {
		const entry = departements.find((d) => d.code === code);
		if (entry?.bbox) places.push({ id: code, label: entry.nom, bounds: entry.bbox });
	}
	return places;
}
