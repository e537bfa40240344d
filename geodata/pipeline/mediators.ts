/**
 * Pipeline step: the mediation points (`static/data/mediateurs.geojson`) from five real lists
 * (PROVENANCE §4 and §8):
 * - France services, 1 August 2024 (ANCT): places at their own coordinates;
 * - conseiller numérique activity places, July 2022 (LaMednum export): places;
 * - Nord–Pas-de-Calais mediation places, 2023 (Les Assembleurs compilation): places, partly
 *   repeating the two lists above, deduplicated against them;
 * - conseiller numérique host structures validated by the COSELEC, 5 April 2023: one point per
 *   structure at its commune's centre (the file has no coordinates);
 * - Aidants Connect structures, 22 February 2024, active only: one point per structure at its
 *   commune's centre.
 * Points placed at a commune centre say so (`located: 'commune'`) and are never merged with places.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { MediatorProperties, MediatorType } from '../../src/lib/territory/artifacts';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import { parseCsv, readCommuneCode, readNumber, type CsvRow } from '../lib/csv';
import { SourceDataError } from '../lib/source-error';
import {
	assertFeatureCollectionInFrance,
	checkPosition,
	describePositionProblem
} from '../lib/coordinates';
import {
	findCommuneByPostalAddress,
	indexCommuneCodes,
	resolveCommuneCode,
	type CommuneCodeIndex,
	type DecoupageCommune
} from '../../src/lib/mediation/commune-codes';
import {
	findDuplicatePlaces,
	type DuplicateRule,
	type PlaceRecord
} from '../../src/lib/mediation/deduplicate';
import { formatWeekHours } from '../../src/lib/mediation/opening-hours';
import { classifyNpdcSource, pickMostSpecificType } from '../../src/lib/mediation/mediator-types';
import { readSourceJson, readSourceText, SOURCE_FILES } from './sources-dir';

/** Input files of this step, relative to the sources folder (same layout as `geodata/sources/`). */
export const MEDIATOR_FILES = {
	franceServices: 'mediation/france-services-20240801.csv',
	cnfsLieux: 'mediation/cnfs-lieux-activite-202207.geojson',
	npdc: 'mediation/lieux-mediation-numerique-nord-pas-de-calais-assembleurs-2023.geojson',
	cnfsPostes: 'mediation/cnfs-structures-coselec-20230405.csv',
	aidantsConnect: 'mediation/aidants-connect-structures-20240222.csv'
} as const;

/** Dataset ids (`sources.json`) of the five lists. */
const SOURCE_IDS = {
	franceServices: 'france-services-2024',
	cnfsLieux: 'cnfs-lieux-2022',
	npdc: 'lieux-npdc-2023',
	cnfsPostes: 'cnfs-postes-2023',
	aidantsConnect: 'aidants-connect-2024'
} as const;

/**
 * Which record of a duplicate group is kept: the one from the latest list (France services
 * 2024-08-01, then the NPdC compilation 2023-05-18, then CNFS places 2022-07-21). Record dates are
 * not comparable across lists (France services gives the label date, the others the update date).
 */
const LIST_RECENCY: Record<string, number> = {
	[SOURCE_IDS.franceServices]: 0,
	[SOURCE_IDS.npdc]: 1,
	[SOURCE_IDS.cnfsLieux]: 2
};

/** Vintage of the France services list, used as the date when a label date is unreadable. */
const FRANCE_SERVICES_LIST_DATE = '2024-08-01';

/** INSEE codes of the collectivités d'outre-mer (975 Saint-Pierre-et-Miquelon … 988 Nouvelle-Calédonie): outside the 101 départements the dashboard covers. */
const COM_PREFIXES = ['975', '977', '978', '984', '986', '987', '988'];

/** How many unknown codes per file the report lists. */
const MAX_UNMATCHED = 20;

export interface MediatorsBuild {
	collection: FeatureCollection<Point, MediatorProperties>;
	/** Rows (CSV) or features (GeoJSON) read per source file, for the data report. */
	rows: Record<string, number>;
	/** Unknown commune codes (or postal code + commune for the CNFS places) per source file, first ones. */
	unmatched: Record<string, string[]>;
	/** How many records merged into another, per rule (`identifiant`, `siret`, `distance-nom`). */
	dedup: Record<string, number>;
	/** Codes brought to their COG 2026 commune (arrondissement, former or délégué code), per source file. */
	recoded: Record<string, number>;
	/** Rows not turned into a point, per source file and reason (inactive, no commune code…). */
	skipped: Record<string, Record<string, number>>;
	/**
	 * Every accepted duplicate pair, for auditing: the ids of the two records, the id of the point
	 * their group became, and their distance in metres.
	 */
	merges: { rule: DuplicateRule; pair: [string, string]; kept: string; distanceM: number }[];
}

export interface MediatorsOptions {
	/** Former-code and postal-code index; read from the COG file of `sourcesDir` when absent. */
	communeCodes?: CommuneCodeIndex;
}

/** A point before deduplication: its properties, coordinates and what deduplication needs. */
interface Draft {
	properties: MediatorProperties;
	lon: number;
	lat: number;
	/** Present on places (records with their own coordinates), absent on commune-level points. */
	place?: PlaceRecord;
}

/** Bookkeeping shared by the readers. */
class BuildLog {
	readonly rows: Record<string, number> = {};
	readonly unmatched: Record<string, string[]> = {};
	readonly skipped: Record<string, Record<string, number>> = {};
	readonly recoded: Record<string, number> = {};

	noteUnmatched(file: string, what: string): void {
		const list = (this.unmatched[file] ??= []);
		if (list.length < MAX_UNMATCHED && !list.includes(what)) list.push(what);
	}

	skip(file: string, reason: string): void {
		const reasons = (this.skipped[file] ??= {});
		reasons[reason] = (reasons[reason] ?? 0) + 1;
	}
}

/**
 * Read the five mediation lists, place their points, deduplicate the places the NPdC compilation
 * repeats, and return the points sorted by type then id, coordinates rounded to 6 decimals
 * (about 0.1 m). Synchronous.
 * @param sourcesDir folder with the layout of `geodata/sources/`
 * @param communeByCode COG 2026 communes of the 101 départements (codes, centres for commune-level points)
 * @throws SourceDataError (French) naming the file, line or feature and field of a bad input:
 *   missing column, non-numeric count, coordinates in Lambert-93 or outside France, duplicate id.
 */
export function buildMediators(
	sourcesDir: string,
	communeByCode: ReadonlyMap<string, CommuneRecord>,
	options: MediatorsOptions = {}
): MediatorsBuild {
	const codes =
		options.communeCodes ??
		indexCommuneCodes(readSourceJson(sourcesDir, SOURCE_FILES.cogCommunes) as DecoupageCommune[]);
	const log = new BuildLog();
	const context: ReadContext = { sourcesDir, communeByCode, codes, log };

	const places = [
		...readFranceServices(context),
		...readCnfsPlaces(context),
		...readNpdcPlaces(context)
	];
	const { points: mergedPlaces, dedup, merges } = mergeDuplicatePlaces(places);
	const drafts = [...mergedPlaces, ...readCnfsPosts(context), ...readAidantsConnect(context)];

	const seen = new Set<string>();
	for (const d of drafts) {
		if (seen.has(d.properties.id)) {
			const list = (Object.keys(SOURCE_IDS) as (keyof typeof SOURCE_IDS)[]).find(
				(key) => SOURCE_IDS[key] === d.properties.source
			);
			throw new SourceDataError(`identifiant en double « ${d.properties.id} »`, {
				file: list ? MEDIATOR_FILES[list] : d.properties.source
			});
		}
		seen.add(d.properties.id);
	}
	drafts.sort(
		(a, b) =>
			compareText(a.properties.type, b.properties.type) ||
			compareText(a.properties.id, b.properties.id)
	);
	const features: Feature<Point, MediatorProperties>[] = drafts.map((d) => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [round6(d.lon), round6(d.lat)] },
		properties: d.properties
	}));
	return {
		collection: { type: 'FeatureCollection', features },
		rows: log.rows,
		unmatched: log.unmatched,
		dedup,
		recoded: log.recoded,
		skipped: log.skipped,
		merges
	};
}

interface ReadContext {
	sourcesDir: string;
	communeByCode: ReadonlyMap<string, CommuneRecord>;
	codes: CommuneCodeIndex;
	log: BuildLog;
}

// ---------------------------------------------------------------------------------------------
// Readers

function readFranceServices(ctx: ReadContext): Draft[] {
	const file = MEDIATOR_FILES.franceServices;
	const days = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'] as const;
	const table = parseCsv(readSourceText(ctx.sourcesDir, file), file, [
		'id_fs',
		'lib_fs',
		'adresse',
		'insee_com',
		'code_postal',
		'lib_com',
		'latitude',
		'longitude',
		...days.map((d) => `h_${d}`),
		'type_fs',
		'labellisation_fs'
	]);
	ctx.log.rows[file] = table.rows.length;
	const drafts: Draft[] = [];
	for (const row of table.rows) {
		const v = row.values;
		const code = readCommuneCode(row, 'insee_com', file);
		if (isOverseasCollectivity(code)) {
			ctx.log.skip(file, 'collectivité d’outre-mer');
			continue;
		}
		const [lon, lat] = readCsvPosition(row, file);
		const id = requireText(row, 'id_fs', file);
		const antenna = v.type_fs.trim() === 'Antenne' && !/antenne/i.test(v.lib_fs);
		drafts.push({
			lon,
			lat,
			properties: {
				id: `fs-${id}`,
				type: 'france-services',
				nom: cleanText(v.lib_fs) + (antenna ? ' (antenne)' : ''),
				adresse: joinAddress([v.adresse, v.complement_adresse], v.code_postal, v.lib_com),
				commune: resolveOrNote(ctx, code, file),
				located: 'address',
				source: SOURCE_IDS.franceServices,
				date: readFrenchDate(v.labellisation_fs) ?? FRANCE_SERVICES_LIST_DATE,
				horaires: formatWeekHours(Object.fromEntries(days.map((d) => [d, v[`h_${d}`]]))),
				effectif: null
			},
			place: {
				origin: SOURCE_IDS.franceServices,
				compiled: false,
				nativeId: id,
				copies: null,
				siret: null,
				nom: v.lib_fs,
				lon,
				lat
			}
		});
	}
	return drafts;
}

/** LaMednum-schema properties shared by the CNFS 2022 and NPdC 2023 files. */
interface LaMednumProperties {
	id?: unknown;
	nom?: unknown;
	commune?: unknown;
	code_postal?: unknown;
	adresse?: unknown;
	date_maj?: unknown;
	horaires?: unknown;
	pivot?: unknown;
	source?: unknown;
	code_insee_cog2026?: unknown;
}

function readLaMednumFile(
	ctx: ReadContext,
	file: string
): { feature: Feature<Point, LaMednumProperties>; index: number }[] {
	const collection = readSourceJson(ctx.sourcesDir, file);
	assertFeatureCollectionInFrance(collection, file);
	const features = (collection as FeatureCollection).features;
	ctx.log.rows[file] = features.length;
	return features.map((feature, index) => {
		if (feature.geometry?.type !== 'Point') {
			throw new SourceDataError(
				`géométrie de type Point attendue, « ${feature.geometry?.type} » trouvée`,
				{
					file,
					feature: index,
					field: 'geometry'
				}
			);
		}
		return { feature: feature as Feature<Point, LaMednumProperties>, index };
	});
}

function readCnfsPlaces(ctx: ReadContext): Draft[] {
	const file = MEDIATOR_FILES.cnfsLieux;
	return readLaMednumFile(ctx, file).map(({ feature, index }) => {
		const p = feature.properties ?? {};
		const [lon, lat] = feature.geometry.coordinates;
		const id = requireProperty(p, 'id', file, index);
		const postal = textOrNull(p.code_postal) ?? '';
		const communeName = textOrNull(p.commune) ?? '';
		// No INSEE code in this file (PROVENANCE §4): postal code + commune name, then nearest centre.
		const found = findCommuneByPostalAddress(ctx.codes, postal, communeName, [lon, lat], (code) =>
			centreOf(ctx.communeByCode.get(code))
		);
		const commune = found && ctx.communeByCode.has(found.code) ? found.code : null;
		if (!commune) ctx.log.noteUnmatched(file, `${postal} ${communeName}`.trim());
		const nom = requireProperty(p, 'nom', file, index);
		return {
			lon,
			lat,
			properties: {
				id: `cnfs-${id}`,
				type: 'conseiller-numerique-lieu' as const,
				nom: cleanText(nom),
				adresse: joinAddress([textOrNull(p.adresse)], postal, communeName),
				commune,
				located: 'address' as const,
				source: SOURCE_IDS.cnfsLieux,
				date: readIsoDate(p.date_maj),
				horaires: textOrNull(p.horaires),
				effectif: null
			},
			place: {
				origin: SOURCE_IDS.cnfsLieux,
				compiled: false,
				nativeId: id,
				copies: null,
				siret: readSiret(p.pivot),
				nom,
				lon,
				lat
			}
		};
	});
}

/** NPdC ids that copy a national record: `<id>-mediation-numerique-<list>`. */
const NPDC_COPY = /^(.+)-mediation-numerique-(france-services|conseiller-numerique)$/;

function readNpdcPlaces(ctx: ReadContext): Draft[] {
	const file = MEDIATOR_FILES.npdc;
	return readLaMednumFile(ctx, file).map(({ feature, index }) => {
		const p = feature.properties ?? {};
		const [lon, lat] = feature.geometry.coordinates;
		const id = requireProperty(p, 'id', file, index);
		const subSource = textOrNull(p.source) ?? 'inconnue';
		const rawCode = textOrNull(p.code_insee_cog2026);
		const commune = rawCode ? resolveOrNote(ctx, rawCode, file) : null;
		if (!rawCode) ctx.log.noteUnmatched(file, `(vide) ${id}`);
		const copy = NPDC_COPY.exec(id);
		const nom = requireProperty(p, 'nom', file, index);
		return {
			lon,
			lat,
			properties: {
				// The `-mediation-numerique-` infix is the same in every id: dropped to keep the file small.
				id: `npdc-${id.replace('-mediation-numerique-', '-')}`,
				type: classifyNpdcSource(subSource),
				nom: cleanText(nom),
				adresse: joinAddress(
					[textOrNull(p.adresse)],
					textOrNull(p.code_postal) ?? '',
					textOrNull(p.commune) ?? ''
				),
				commune,
				located: 'address' as const,
				source: SOURCE_IDS.npdc,
				date: readIsoDate(p.date_maj),
				horaires: textOrNull(p.horaires),
				effectif: null
			},
			place: {
				origin: `${SOURCE_IDS.npdc}/${subSource}`,
				compiled: true,
				nativeId: id,
				copies: copy
					? {
							origin:
								copy[2] === 'france-services' ? SOURCE_IDS.franceServices : SOURCE_IDS.cnfsLieux,
							nativeId: copy[1]
						}
					: null,
				siret: readSiret(p.pivot),
				nom,
				lon,
				lat
			}
		};
	});
}

function readCnfsPosts(ctx: ReadContext): Draft[] {
	const file = MEDIATOR_FILES.cnfsPostes;
	const columns = {
		name: 'Raison sociale',
		code: 'Code commune INSEE',
		count: 'Nombre de conseillers validés par le COSELEC',
		date: 'Date de validation en comité de sélection',
		siret: 'SIRET',
		address: 'Adresse'
	};
	const table = parseCsv(readSourceText(ctx.sourcesDir, file), file, Object.values(columns));
	ctx.log.rows[file] = table.rows.length;
	// One point per host structure: a structure validated at several committees has several rows.
	const structures = new Map<
		string,
		{ rows: CsvRow[]; code: string; count: number; date: string | null }
	>();
	for (const row of table.rows) {
		const code = readCommuneCode(row, columns.code, file);
		const count = readCount(row, columns.count, file);
		const siret = readSiret(row.values[columns.siret]);
		const key = `${siret ?? `ligne-${row.line}`}|${code}`;
		const date = readFrenchDate(row.values[columns.date]);
		const s = structures.get(key);
		if (s) {
			s.rows.push(row);
			s.count += count;
			if (date && (!s.date || date > s.date)) s.date = date;
		} else structures.set(key, { rows: [row], code, count, date });
	}
	const communesPerKey = new Map<string, number>();
	for (const key of structures.keys()) {
		const head = key.split('|')[0];
		communesPerKey.set(head, (communesPerKey.get(head) ?? 0) + 1);
	}
	const drafts: Draft[] = [];
	for (const [key, s] of structures) {
		const draft = placeAtCommuneCentre(ctx, file, s.code);
		if (!draft) continue;
		const first = s.rows[0].values;
		const head = key.split('|')[0];
		drafts.push({
			...draft,
			properties: {
				// The SIRET, plus the commune when one SIRET hosts posts in several communes.
				id: `cnfs-poste-${head}${(communesPerKey.get(head) ?? 0) > 1 ? `-${s.code}` : ''}`,
				type: 'conseiller-numerique-poste',
				nom: cleanText(first[columns.name]),
				// The structure's postal address, as text only: the point is the commune centre.
				adresse: cleanText(first[columns.address]) || null,
				commune: draft.commune,
				located: 'commune',
				source: SOURCE_IDS.cnfsPostes,
				date: s.date,
				horaires: null,
				effectif: s.count
			}
		});
	}
	return drafts;
}

function readAidantsConnect(ctx: ReadContext): Draft[] {
	const file = MEDIATOR_FILES.aidantsConnect;
	const columns = {
		id: 'ID',
		name: 'Name',
		active: 'Is Active',
		code: 'City Insee Code',
		address: 'Address',
		zip: 'Zip Code',
		city: 'City',
		count: "Nombre d'aidants"
	};
	const table = parseCsv(readSourceText(ctx.sourcesDir, file), file, Object.values(columns));
	ctx.log.rows[file] = table.rows.length;
	const drafts: Draft[] = [];
	for (const row of table.rows) {
		const v = row.values;
		const active = v[columns.active].trim().toLowerCase();
		if (active !== 'true' && active !== 'false') {
			throw new SourceDataError(`valeur « ${v[columns.active]} » : true ou false attendu`, {
				file,
				line: row.line,
				field: columns.active
			});
		}
		if (active === 'false') {
			ctx.log.skip(file, 'structure inactive');
			continue;
		}
		const count = readCount(row, columns.count, file);
		// Some structures have no INSEE code: they are counted, not placed by guessing from the postcode.
		if (v[columns.code].trim() === '') {
			ctx.log.skip(file, 'code commune absent');
			continue;
		}
		const code = readCommuneCode(row, columns.code, file);
		const draft = placeAtCommuneCentre(ctx, file, code);
		if (!draft) continue;
		const id = requireText(row, columns.id, file);
		const address = cleanText(v[columns.address]);
		drafts.push({
			...draft,
			properties: {
				id: `ac-${id}`,
				type: 'aidants-connect',
				nom: cleanText(v[columns.name]),
				adresse: address === '' ? null : address,
				commune: draft.commune,
				located: 'commune',
				source: SOURCE_IDS.aidantsConnect,
				date: null,
				horaires: null,
				effectif: count
			}
		});
	}
	return drafts;
}

/** A commune-level point at the centre of the (COG 2026) commune, or null (counted as skipped). */
function placeAtCommuneCentre(
	ctx: ReadContext,
	file: string,
	code: string
): { lon: number; lat: number; commune: string } | null {
	if (isOverseasCollectivity(code)) {
		ctx.log.skip(file, 'collectivité d’outre-mer');
		return null;
	}
	const commune = resolveOrNote(ctx, code, file);
	if (!commune) {
		ctx.log.skip(file, 'code commune inconnu');
		return null;
	}
	const centre = centreOf(ctx.communeByCode.get(commune));
	if (!centre) {
		ctx.log.skip(file, 'commune sans centre connu');
		return null;
	}
	return { lon: centre[0], lat: centre[1], commune };
}

// ---------------------------------------------------------------------------------------------
// Deduplication of places

function mergeDuplicatePlaces(places: Draft[]): {
	points: Draft[];
	dedup: Record<string, number>;
	merges: MediatorsBuild['merges'];
} {
	const records = places.map((d) => d.place as PlaceRecord);
	const { groups, links } = findDuplicatePlaces(records);
	const dedup: Record<DuplicateRule, number> = { identifiant: 0, siret: 0, 'distance-nom': 0 };
	for (const link of links) dedup[link.rule]++;

	const keptOf = new Map<number, number>();
	const points: Draft[] = [];
	const mergedInto = new Map<number, Draft>();
	for (const group of groups) {
		const ordered = [...group].sort((a, b) => compareKeepOrder(places[a], places[b]));
		const keep = places[ordered[0]];
		const others = ordered.slice(1).map((i) => places[i]);
		for (const i of group) keptOf.set(i, ordered[0]);
		const all = [keep, ...others];
		const alsoIn = [...new Set(others.map((o) => o.properties.source))]
			.filter((s) => s !== keep.properties.source)
			.sort();
		const properties: MediatorProperties = {
			...keep.properties,
			type: pickMostSpecificType(all.map((d) => d.properties.type as MediatorType)),
			// A field the kept record lacks is taken from the next record that has it.
			adresse: firstNonNull(all.map((d) => d.properties.adresse)),
			commune: firstNonNull(all.map((d) => d.properties.commune)),
			horaires: firstNonNull(all.map((d) => d.properties.horaires))
		};
		if (alsoIn.length > 0) properties.alsoIn = alsoIn;
		mergedInto.set(ordered[0], { ...keep, properties });
	}
	places.forEach((d, i) => {
		const kept = keptOf.get(i);
		if (kept === undefined || kept === i) points.push(mergedInto.get(i) ?? d);
	});
	const merges = links.map((link) => ({
		rule: link.rule,
		pair: [places[link.a].properties.id, places[link.b].properties.id] as [string, string],
		kept: places[keptOf.get(link.a) as number].properties.id,
		distanceM: Math.round(link.distanceM)
	}));
	return { points, dedup, merges };
}

/** Keep order in a duplicate group: latest list, then latest record date, then id. */
function compareKeepOrder(a: Draft, b: Draft): number {
	return (
		(LIST_RECENCY[a.properties.source] ?? 9) - (LIST_RECENCY[b.properties.source] ?? 9) ||
		compareText(b.properties.date ?? '', a.properties.date ?? '') ||
		compareText(a.properties.id, b.properties.id)
	);
}

// ---------------------------------------------------------------------------------------------
// Field readers

function resolveOrNote(ctx: ReadContext, code: string, file: string): string | null {
	const commune = resolveCommuneCode(code, (c) => ctx.communeByCode.has(c), ctx.codes);
	if (!commune) ctx.log.noteUnmatched(file, code);
	else if (commune !== code) ctx.log.recoded[file] = (ctx.log.recoded[file] ?? 0) + 1;
	return commune;
}

function isOverseasCollectivity(code: string): boolean {
	return COM_PREFIXES.some((prefix) => code.startsWith(prefix));
}

function centreOf(commune: CommuneRecord | undefined): [number, number] | null {
	return commune && commune.lon !== null && commune.lat !== null
		? [commune.lon, commune.lat]
		: null;
}

/** `[lon, lat]` from the `longitude`/`latitude` columns, checked to be WGS84 degrees in France. */
function readCsvPosition(row: CsvRow, file: string): [number, number] {
	const lon = readNumber(row, 'longitude', file);
	const lat = readNumber(row, 'latitude', file);
	const problem = checkPosition([lon, lat]);
	if (problem) {
		throw new SourceDataError(describePositionProblem(problem, [lon, lat]), {
			file,
			line: row.line,
			field: 'longitude, latitude'
		});
	}
	return [lon, lat];
}

/** A count of persons (conseillers, aidants): a whole number ≥ 0. */
function readCount(row: CsvRow, column: string, file: string): number {
	const value = readNumber(row, column, file);
	if (!Number.isInteger(value) || value < 0) {
		throw new SourceDataError(
			`effectif « ${row.values[column]} » : nombre entier positif ou nul attendu`,
			{
				file,
				line: row.line,
				field: column
			}
		);
	}
	return value;
}

function requireText(row: CsvRow, column: string, file: string): string {
	const value = (row.values[column] ?? '').trim();
	if (value === '')
		throw new SourceDataError('valeur obligatoire vide', { file, line: row.line, field: column });
	return value;
}

function requireProperty(
	p: LaMednumProperties,
	key: keyof LaMednumProperties,
	file: string,
	feature: number
): string {
	const value = textOrNull(p[key]);
	if (value === null)
		throw new SourceDataError('propriété obligatoire absente ou vide', {
			file,
			feature,
			field: key
		});
	return value;
}

function textOrNull(value: unknown): string | null {
	if (typeof value === 'number') return String(value);
	if (typeof value !== 'string') return null;
	const text = value.trim();
	return text === '' ? null : text;
}

/** Whitespace (including line breaks inside quoted CSV cells) collapsed to single spaces. */
function cleanText(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

/** « 5-9 Rue des Papetiers, 01200 Valserhône »; null when the street part is empty. */
function joinAddress(
	street: (string | null | undefined)[],
	postalCode: string,
	commune: string
): string | null {
	const streetText = street
		.map((s) => cleanText(s ?? ''))
		.filter(Boolean)
		.join(', ');
	if (streetText === '') return null;
	const town = cleanText(`${postalCode ?? ''} ${commune ?? ''}`);
	return town === '' ? streetText : `${streetText}, ${town}`;
}

/** `dd/mm/yyyy` anywhere in the text (« Espace labellisé 01/01/2020 ») → `yyyy-mm-dd`, or null. */
function readFrenchDate(text: string | undefined): string | null {
	const match = /(\d{2})\/(\d{2})\/(\d{4})/.exec(text ?? '');
	return match ? validIsoDate(`${match[3]}-${match[2]}-${match[1]}`) : null;
}

function readIsoDate(value: unknown): string | null {
	const text = textOrNull(value);
	return text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? validIsoDate(text) : null;
}

function validIsoDate(iso: string): string | null {
	const date = new Date(`${iso}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}

/**
 * A SIRET (14 digits) or null. Exports pad unknown SIRETs with zeros (`00000000000000`), write them
 * as floats (`13002603200016.0`) or put other text in the field (`…/APE:9411Z`, a 9-digit SIREN).
 */
function readSiret(value: unknown): string | null {
	const text = textOrNull(value)?.replace(/\.0$/, '').replace(/\s/g, '');
	const match = text ? /^(\d{14})(?:\/|$)/.exec(text) : null;
	return match && !/^0+$/.test(match[1]) ? match[1] : null;
}

function firstNonNull<T>(values: (T | null)[]): T | null {
	for (const v of values) if (v !== null) return v;
	return null;
}

function round6(x: number): number {
	return Math.round(x * 1e6) / 1e6;
}

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
