/**
 * Whether a point lies where the Atlas covers, without `proj4` (the saved scenarios check their
 * places with it in the dashboard, whose first screen must not download the projection library).
 */

/** [west, south, east, north] WGS84 boxes of the territories the Atlas covers, rounded out. */
const FRANCE_BOXES: { name: string; box: [number, number, number, number] }[] = [
	{ name: 'France métropolitaine', box: [-5.6, 41.2, 9.8, 51.2] },
	{ name: 'Guadeloupe', box: [-61.9, 15.8, -60.9, 16.6] },
	{ name: 'Martinique', box: [-61.3, 14.3, -60.7, 14.95] },
	{ name: 'Guyane', box: [-54.7, 2.0, -51.5, 6.0] },
	{ name: 'La Réunion', box: [55.1, -21.5, 55.9, -20.8] },
	{ name: 'Mayotte', box: [44.9, -13.1, 45.4, -12.5] }
];

/** Whether a WGS84 point lies in mainland France, Corsica or a DROM. */
export function isInFrance(lon: number, lat: number): boolean {
	return FRANCE_BOXES.some(
		({ box }) => lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3]
	);
}
