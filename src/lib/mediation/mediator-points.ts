/**
 * The mediation places as the map draws them (`mediateurs-points.json`): position, type, source
 * list and placement of each place of `mediateurs.geojson`, in the same order, in integer columns.
 * The first screen draws, clusters, filters and counts the places from it (about 80 kB brotli
 * instead of 550 kB, issue 14); names, addresses, hours and staff stay in `mediateurs.geojson`,
 * fetched when a place's details are asked for.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import { ARTIFACTS, type MediatorProperties, type MediatorType } from '../territory/artifacts';
import { MEDIATOR_TYPES } from './mediator-types';

/** What the map needs of one place to draw, cluster, filter and count it. */
export interface MediatorPointProperties {
	/** Position of the place in `mediateurs.geojson`'s features: where its details are. */
	index: number;
	type: MediatorType;
	/** Dataset id in sources.json. */
	source: string;
	located: MediatorProperties['located'];
}

export type MediatorPointFeature = Feature<Point, MediatorPointProperties>;

/** Version of the layout below; a decoder refuses any other. */
export const MEDIATOR_POINTS_VERSION = 1;

/**
 * Coordinates are stored as integers of millionths of a degree (about 0.1 m): the sources publish
 * at most six decimals, and `n / 1e6` gives back exactly the number read from six decimals.
 */
const COORDINATE_SCALE = 1_000_000;

const LOCATIONS: readonly MediatorProperties['located'][] = ['address', 'commune'];

/**
 * Contents of `mediateurs-points.json`: one entry per place in each column, place `i` being
 * feature `i` of `mediateurs.geojson`. Columnar integers compress far better than repeated keys.
 */
export interface MediatorPointsArtifact {
	version: typeof MEDIATOR_POINTS_VERSION;
	/** Number of places. */
	count: number;
	/** Coordinates are degrees × `scale`. */
	scale: number;
	/** The names the `type`, `source` and `located` columns index. */
	names: {
		type: MediatorType[];
		source: string[];
		located: MediatorProperties['located'][];
	};
	/** Longitude then latitude of each place, degrees × `scale`: `[lon0, lat0, lon1, lat1, …]`. */
	coordinates: number[];
	/** Index into `names.type`. */
	type: number[];
	/** Index into `names.source`. */
	source: number[];
	/** Index into `names.located`. */
	located: number[];
}

/**
 * The points of the places of `mediateurs.geojson`, for the pipeline.
 * @throws Error (French, naming the place) when a coordinate has more than six decimals: this
 *   file could not give it back as the source has it
 */
export function encodeMediatorPoints(
	collection: FeatureCollection<Point, MediatorProperties>
): MediatorPointsArtifact {
	const sources: string[] = [];
	const artifact: MediatorPointsArtifact = {
		version: MEDIATOR_POINTS_VERSION,
		count: collection.features.length,
		scale: COORDINATE_SCALE,
		names: { type: [...MEDIATOR_TYPES], source: sources, located: [...LOCATIONS] },
		coordinates: [],
		type: [],
		source: [],
		located: []
	};
	for (const { geometry, properties } of collection.features) {
		for (const degrees of geometry.coordinates.slice(0, 2)) {
			const scaled = Math.round(degrees * COORDINATE_SCALE);
			if (!Number.isFinite(degrees) || scaled / COORDINATE_SCALE !== degrees) {
				throw new Error(
					`Lieu ${properties.id} : la coordonnée ${degrees} a plus de six décimales, ${ARTIFACTS.mediatorPoints} ne peut pas la garder telle quelle.`
				);
			}
			artifact.coordinates.push(scaled);
		}
		if (!sources.includes(properties.source)) sources.push(properties.source);
		artifact.type.push(MEDIATOR_TYPES.indexOf(properties.type));
		artifact.source.push(sources.indexOf(properties.source));
		artifact.located.push(LOCATIONS.indexOf(properties.located));
	}
	return artifact;
}

/** The artifact with one column per line: readable diffs, the same bytes once compressed. */
export function serializeMediatorPoints(artifact: MediatorPointsArtifact): string {
	const lines = Object.entries(artifact).map(
		([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`
	);
	return `{\n${lines.join(',\n')}\n}\n`;
}

/** A column of `count` indexes into a list of `size` names, or the French reason it is not. */
function checkIndexColumn(
	column: unknown,
	name: string,
	count: number,
	size: number
): string | null {
	if (!Array.isArray(column)) return `la colonne « ${name} » manque`;
	if (column.length !== count)
		return `la colonne « ${name} » a ${column.length} valeurs pour ${count} lieux`;
	const bad = column.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= size);
	return bad === -1
		? null
		: `la valeur ${JSON.stringify(column[bad])} du lieu n° ${bad + 1} dans la colonne « ${name} » ne désigne aucun des ${size} noms`;
}

/** Why `value` is not a `MediatorPointsArtifact`, in French; null when it is one. */
function findMalformation(value: unknown): string | null {
	if (value === null || typeof value !== 'object' || Array.isArray(value))
		return 'ce n’est pas un objet JSON';
	const artifact = value as Partial<MediatorPointsArtifact>;
	if (artifact.version !== MEDIATOR_POINTS_VERSION)
		return `version ${JSON.stringify(artifact.version)} au lieu de ${MEDIATOR_POINTS_VERSION}`;
	const { count, scale, names, coordinates } = artifact;
	if (!Number.isInteger(count) || count! < 0) return 'le nombre de lieux (« count ») manque';
	if (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale))
		return 'l’échelle des coordonnées (« scale ») manque';
	if (
		!names ||
		!Array.isArray(names.type) ||
		!Array.isArray(names.source) ||
		!Array.isArray(names.located)
	)
		return 'les listes de noms (« names ») manquent';
	const unknownType = names.type.find((t) => !MEDIATOR_TYPES.includes(t));
	if (unknownType !== undefined) return `type de lieu inconnu ${JSON.stringify(unknownType)}`;
	if (names.source.some((s) => typeof s !== 'string')) return 'une source n’est pas un texte';
	const unknownLocation = names.located.find((l) => !LOCATIONS.includes(l));
	if (unknownLocation !== undefined) return `placement inconnu ${JSON.stringify(unknownLocation)}`;
	if (!Array.isArray(coordinates)) return 'la colonne « coordinates » manque';
	if (coordinates.length !== 2 * count!)
		return `la colonne « coordinates » a ${coordinates.length} valeurs pour ${count} lieux (deux par lieu)`;
	const bad = coordinates.findIndex((v) => !Number.isInteger(v));
	if (bad !== -1)
		return `la coordonnée ${JSON.stringify(coordinates[bad])} du lieu n° ${(bad >> 1) + 1} n’est pas un entier`;
	return (
		checkIndexColumn(artifact.type, 'type', count!, names.type.length) ??
		checkIndexColumn(artifact.source, 'source', count!, names.source.length) ??
		checkIndexColumn(artifact.located, 'located', count!, names.located.length)
	);
}

/**
 * The points of a fetched `mediateurs-points.json`, as the map layer draws them; point `i` has
 * `properties.index === i`, the place's position in `mediateurs.geojson`.
 * @throws Error (French, naming the file and what is wrong) for a malformed file
 * @example decodeMediatorPoints(await response.json())[0].properties // { index: 0, type: 'aidants-connect', … }
 */
export function decodeMediatorPoints(value: unknown): MediatorPointFeature[] {
	const problem = findMalformation(value);
	if (problem !== null)
		throw new Error(
			`Le fichier ${ARTIFACTS.mediatorPoints} n’a pas le format attendu : ${problem}.`
		);
	const artifact = value as MediatorPointsArtifact;
	const { names, coordinates, scale } = artifact;
	const points: MediatorPointFeature[] = new Array<MediatorPointFeature>(artifact.count);
	for (let index = 0; index < artifact.count; index++) {
		points[index] = {
			type: 'Feature',
			geometry: {
				type: 'Point',
				coordinates: [coordinates[2 * index] / scale, coordinates[2 * index + 1] / scale]
			},
			properties: {
				index,
				type: names.type[artifact.type[index]],
				source: names.source[artifact.source[index]],
				located: names.located[artifact.located[index]]
			}
		};
	}
	return points;
}
