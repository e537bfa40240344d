/**
 * Row-by-row validation of a file of places: name, type, coordinates or commune, duplicates of the
 * file and of the places already on the map; every refusal and warning in French with its line.
 */
import { haversineKm } from '../access/geodesy';
import {
	comparePlaceNameParts,
	SAME_PLACE_NAME_SCORE,
	splitPlaceName,
	type PlaceNameParts
} from '../mediation/place-names';
import { isInFrance, isLambert93, lambert93ToWgs84, readDecimal } from './coordinates';
import type { ImportContext, ImportedPlace, ImportReport } from './import-places';
import { classifyProgrammes, splitList, STANDARD_FIELDS } from './lieux-standard';
import type { RawRow } from './place-rows';

/** Distance from the stated commune's centre beyond which a place is flagged, km (issue 12). */
export const COMMUNE_DISTANCE_WARNING_KM = 20;
/** Distance under which a known place with a similar name is flagged as a duplicate, km. */
export const DUPLICATE_DISTANCE_KM = 0.2;

const INSEE_PATTERN = /^([013-9]\d|2[AB1-9])\d{3}$/;
const HTML_PATTERN = /<\/?[a-z!][^>]*>/i;

/** Places on a 0.01° grid (≈ 1 km), for the duplicate search. */
function gridOf(
	places: ImportContext['knownPlaces']
): Map<string, NonNullable<typeof places>[number][]> {
	const grid = new Map<string, NonNullable<typeof places>[number][]>();
	for (const p of places ?? []) {
		const key = `${Math.floor(p.lon * 100)}:${Math.floor(p.lat * 100)}`;
		const cell = grid.get(key);
		if (cell) cell.push(p);
		else grid.set(key, [p]);
	}
	return grid;
}

export function validateRows(
	rows: readonly RawRow[],
	report: ImportReport,
	context: ImportContext,
	standard: boolean,
	maxPlaces: number
): void {
	const seenIds = new Map<string, number>();
	const grid = gridOf(context.knownPlaces);
	const knownIds = new Set((context.knownPlaces ?? []).map((p) => p.id));
	let lambertRows = 0;
	let communeRows = 0;
	let tooMany = 0;
	// Known places' names are split once, the first time a row lies near them.
	const knownParts = new Map<string, PlaceNameParts>();
	const partsOf = (place: { id: string; nom: string }) => {
		let parts = knownParts.get(place.id);
		if (!parts) {
			parts = splitPlaceName(place.nom);
			knownParts.set(place.id, parts);
		}
		return parts;
	};
	const issue = (row: RawRow, field: string | null, value: string | null, reason: string) => ({
		line: row.line,
		column: field === null ? null : row.columnOf(field),
		value,
		reason
	});
	for (const row of rows) {
		const reject = (field: string | null, value: string | null, reason: string) => {
			report.rejected.push(issue(row, field, value, reason));
		};
		const warn = (field: string | null, value: string | null, reason: string) => {
			report.warnings.push(issue(row, field, value, reason));
		};
		const value = (field: string) => (row.get(field) ?? '').trim();

		// Fields of the standard: required ones reject the row, optional ones only warn.
		let invalid = false;
		if (standard) {
			for (const field of STANDARD_FIELDS) {
				const text = value(field.name);
				if (text === '') {
					if (field.required) {
						reject(field.name, null, `Champ obligatoire du standard vide : « ${field.name} ».`);
						invalid = true;
						break;
					}
					continue;
				}
				let problem: string | null = null;
				if (field.pattern && !field.pattern.test(text))
					problem = 'valeur hors du format du standard';
				else if (field.maxLength !== null && text.length > field.maxLength)
					problem = `plus de ${field.maxLength} caractères`;
				else if (field.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text))
					problem = 'date attendue au format AAAA-MM-JJ';
				if (problem) {
					if (field.required || field.name === 'code_insee') {
						reject(field.name, text, `« ${field.name} » : ${problem}.`);
						invalid = true;
						break;
					}
					warn(field.name, text, `« ${field.name} » : ${problem} (valeur ignorée).`);
				}
			}
			if (invalid) continue;
		}

		const nom = value('nom');
		if (nom === '') {
			reject('nom', null, 'Nom du lieu vide.');
			continue;
		}
		const fileId = value('id') || `ligne-${row.line}`;
		const firstLine = seenIds.get(fileId);
		if (firstLine !== undefined) {
			reject(
				'id',
				fileId,
				`Identifiant déjà utilisé (${report.unit} ${firstLine}) : seul le premier est gardé.`
			);
			continue;
		}

		let code: string | null = value('code_insee') || null;
		if (code && /^\d{4}$/.test(code)) code = `0${code}`; // Excel drops the leading zero of 01…09.
		if (code && !INSEE_PATTERN.test(code)) {
			reject('code_insee', code, 'Code INSEE invalide (5 caractères, ex. 59350 ou 2A004).');
			continue;
		}
		const outside = code && context.outOfScope ? context.outOfScope(code) : null;
		if (outside) {
			report.skipped.push(issue(row, 'code_insee', code, outside));
			continue;
		}
		const commune = code ? context.communes.get(code) : undefined;
		if (code && !commune) {
			warn('code_insee', code, 'Code INSEE absent du COG 2026 (commune fusionnée ou code erroné).');
		}

		// Coordinates: the GeoJSON geometry, else latitude/longitude, else X/Y, else the commune centre.
		let lon: number | null = null;
		let lat: number | null = null;
		let located: ImportedPlace['located'] = 'address';
		if (row.point !== undefined && row.point !== null) {
			[lon, lat] = row.point;
			if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
				reject('geometry', null, 'Coordonnées illisibles ou hors de l’emprise du Lambert-93.');
				continue;
			}
		} else {
			const latText = row.get('latitude');
			const lonText = row.get('longitude');
			const xText = row.get('x');
			const yText = row.get('y');
			const a = readDecimal(latText);
			const b = readDecimal(lonText);
			if (a !== null || b !== null) {
				if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b)) {
					const bad = a === null || Number.isNaN(a) ? 'latitude' : 'longitude';
					reject(
						bad,
						row.get(bad) ?? null,
						'Coordonnée illisible (un nombre est attendu, ex. 48,8566).'
					);
					continue;
				}
				if (isLambert93(b, a) || isLambert93(a, b)) {
					// Lambert-93 metres written in latitude/longitude columns.
					[lon, lat] = isLambert93(b, a) ? lambert93ToWgs84(b, a) : lambert93ToWgs84(a, b);
					lambertRows++;
				} else {
					lat = a;
					lon = b;
				}
			} else if (xText !== undefined && yText !== undefined && (xText.trim() || yText.trim())) {
				const x = readDecimal(xText);
				const y = readDecimal(yText);
				if (x === null || y === null || Number.isNaN(x) || Number.isNaN(y) || !isLambert93(x, y)) {
					reject(
						'x',
						`${xText} ; ${yText}`,
						'X/Y hors de l’emprise du Lambert-93 (EPSG:2154) de la métropole.'
					);
					continue;
				}
				[lon, lat] = lambert93ToWgs84(x, y);
				lambertRows++;
			}
		}
		if (lon === null || lat === null) {
			if (!commune) {
				reject(
					code ? 'code_insee' : 'latitude',
					code,
					code
						? 'Ni coordonnées ni commune connue : le lieu ne peut pas être placé.'
						: 'Ni coordonnées ni code INSEE : le lieu ne peut pas être placé.'
				);
				continue;
			}
			lon = commune.lon;
			lat = commune.lat;
			located = 'commune';
			communeRows++;
		} else if (!isInFrance(lon, lat)) {
			reject(
				'latitude',
				`${formatCoordinate(lat)} ; ${formatCoordinate(lon)}`,
				'Coordonnées hors de France (métropole et DROM) : latitude et longitude inversées ?'
			);
			continue;
		} else if (commune) {
			const km = haversineKm(lon, lat, commune.lon, commune.lat);
			if (km > COMMUNE_DISTANCE_WARNING_KM) {
				warn(
					'code_insee',
					code,
					`Le lieu est à ${Math.round(km).toLocaleString('fr-FR')} km du centre de ${commune.nom} (${code}), commune indiquée : coordonnées ou commune à vérifier.`
				);
			}
		}

		if (report.accepted.length >= maxPlaces) {
			tooMany++;
			continue;
		}
		seenIds.set(fileId, row.line);
		if (HTML_PATTERN.test(nom)) {
			warn(
				'nom',
				nom,
				'Le nom contient du balisage HTML : il sera affiché tel quel, comme du texte.'
			);
		}
		const id = `import-${fileId}`;
		if (knownIds.has(id)) warn('id', fileId, 'Ce lieu importé est déjà sur la carte.');
		const programmes = splitList(row.get('dispositif_programmes_nationaux'));
		const type = classifyProgrammes(programmes);
		const near = grid.get(`${Math.floor(lon * 100)}:${Math.floor(lat * 100)}`);
		let twin: (typeof near & object)[number] | undefined;
		if (near) {
			let ownParts: PlaceNameParts | null = null;
			for (const p of near) {
				if (haversineKm(lon, lat, p.lon, p.lat) > DUPLICATE_DISTANCE_KM) continue;
				ownParts ??= splitPlaceName(nom);
				if (comparePlaceNameParts(partsOf(p), ownParts) >= SAME_PLACE_NAME_SCORE) {
					// A twin of the same type is the one the place replaces; keep looking for it.
					if (!twin || (twin.type !== type && p.type === type)) twin = p;
					if (twin.type === type) break;
				}
			}
		}
		if (twin) {
			warn(
				'nom',
				nom,
				twin.type === type
					? `Doublon probable d’un lieu déjà connu : « ${twin.nom} » (${twin.id}), à moins de 200 m : le lieu importé le remplace dans les calculs (compté une fois).`
					: `Doublon probable d’un lieu déjà connu : « ${twin.nom} » (${twin.id}), à moins de 200 m, d’un autre dispositif : les deux sont comptés, comme deux dispositifs à une même adresse.`
			);
		}
		report.accepted.push({
			id,
			nom,
			type,
			programmes,
			lon: round6(lon),
			lat: round6(lat),
			commune: commune ? code : null,
			located,
			adresse:
				[value('adresse'), value('code_postal'), value('commune')].filter(Boolean).join(' ') ||
				null,
			horaires: value('horaires') || null,
			date: value('date_maj') || null,
			line: row.line,
			duplicateOf: twin && twin.type === type ? twin.id : null
		});
	}
	if (lambertRows > 0 && report.format !== 'geojson') {
		report.notices.push(
			`Coordonnées en Lambert-93 (EPSG:2154) détectées d’après leurs valeurs (${lambertRows.toLocaleString('fr-FR')} lieux) : reprojetées en WGS84.`
		);
	}
	if (communeRows > 0) {
		report.notices.push(
			`${communeRows.toLocaleString('fr-FR')} lieux sans coordonnées placés au centre de leur commune (code INSEE).`
		);
	}
	if (tooMany > 0) {
		report.rejected.push({
			line: rows[rows.length - 1]?.line ?? 0,
			column: null,
			value: null,
			reason: `Au plus ${maxPlaces.toLocaleString('fr-FR')} lieux par import : ${tooMany.toLocaleString('fr-FR')} lieux de plus n’ont pas été lus.`
		});
	}
}

function round6(x: number): number {
	return Math.round(x * 1e6) / 1e6;
}

function formatCoordinate(x: number): string {
	return x.toLocaleString('fr-FR', { maximumFractionDigits: 5 });
}
