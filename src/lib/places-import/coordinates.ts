/**
 * Where an imported place may lie: WGS84 or Lambert-93 (EPSG:2154) coordinates, read with a
 * decimal point or comma, checked against the extents of mainland France and the five DROM.
 */
import proj4 from 'proj4';

/** EPSG:2154 (RGF93 v1 / Lambert-93), the definition published by IGN / epsg.io. */
const LAMBERT_93 =
	'+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs';

const toWgs84 = proj4(LAMBERT_93, 'EPSG:4326');

/** Lambert-93 → [lon, lat] WGS84 degrees. */
export function lambert93ToWgs84(x: number, y: number): [number, number] {
	const [lon, lat] = toWgs84.forward([x, y]);
	return [lon, lat];
}

/**
 * Whether (x, y) lies in the Lambert-93 extent of mainland France with Corsica (EPSG:2154 bounds,
 * rounded out: x 0–1 300 000 m, y 6 000 000–7 200 000 m). No WGS84 pair falls in it.
 */
export function isLambert93(x: number, y: number): boolean {
	return x >= 0 && x <= 1_300_000 && y >= 6_000_000 && y <= 7_200_000;
}

/** A number written with a decimal point or a decimal comma ("48,8566"); null when empty or not a number. */
export function readDecimal(text: string | undefined): number | null {
	if (text === undefined) return null;
	const trimmed = text.trim().replace(/\s/g, '');
	if (trimmed === '') return null;
	const normalised = trimmed.replace(',', '.');
	if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalised)) return Number.NaN;
	return Number(normalised);
}

export { isInFrance } from './france-boxes';
