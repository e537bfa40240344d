/**
 * Benchmark of the accessibility measures over all communes and all mediation places: the indexed
 * E2SFCA and nearest-place search against the naive all-pairs loops, in the same run, with a check
 * that both give the same numbers (issue 5: target ≥ 30× for the E2SFCA).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { computeAccessibility, computeAccessibilityNaive } from '../../../src/lib/access/e2sfca';
import { findNearestPlaces, findNearestPlacesNaive } from '../../../src/lib/access/nearest';
import { DEFAULT_ACCESS_PARAMETERS, MEDIATOR_TYPES } from '../../../src/lib/access/parameters';
import {
	buildDemandPoints,
	buildSupplyPoints,
	type DemandPoint,
	type SupplyPoint
} from '../../../src/lib/access/points';
import { formatDecimal, formatInteger } from '../../../src/lib/format/number';
import { parseCsv } from '../../../geodata/lib/csv';
import { ARTIFACTS, type MediatorProperties } from '../../../src/lib/territory/artifacts';
import type { CommuneRecord } from '../../../src/lib/territory/commune';
import { decodeCommuneTable } from '../../../src/lib/territory/commune-table';
import { estimateRemotePopulation } from '../../../src/lib/needs/model';
import { timeMedian } from '../measure';
import { artifactPath, type BenchSection } from '../section';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/**
 * Stand-in demand, used only when the artifacts are missing (the needs model needs the commune
 * table): population × 15.4 %, INSEE's 2021 national share of people aged 15+ in illectronisme
 * (Insee Première 1953), applied to the whole population. Printed as such with every figure.
 */
const STAND_IN_SHARE = 0.154;

/** The naive nearest search runs on every n-th commune only (all communes take ~10 s). */
const NEAREST_SAMPLE_STEP = 10;

export interface AccessBenchInputs {
	demand: DemandPoint[];
	supply: SupplyPoint[];
	/** The decoded commune table when the artifacts exist (the ranking bench reuses it). */
	communes: CommuneRecord[] | null;
	/** Needs estimate per commune code (people éloignés and people aged 15+), with the artifacts. */
	needs: Map<string, { eloignes: number; base: number }> | null;
	/** What the demand is, printed with every figure. */
	demandLabel: string;
	/** Where the points come from. */
	inputLabel: string;
}

function readJson(path: string): unknown {
	return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * From the committed artifacts (`communes.json`, `mediateurs.geojson`); the demand is the needs
 * model's central estimate (src/lib/needs/model.ts).
 */
function loadFromArtifacts(): AccessBenchInputs {
	const communes = decodeCommuneTable(readJson(artifactPath(ARTIFACTS.communes)));
	const estimates = estimateRemotePopulation(communes).communes;
	const needs = new Map(
		estimates.map((e) => [e.code, { eloignes: e.eloignes, base: e.pop15 }] as const)
	);
	const mediators = readJson(artifactPath(ARTIFACTS.mediators)) as FeatureCollection<
		Point,
		MediatorProperties
	>;
	const { points } = buildDemandPoints(communes, (c) => needs.get(c.code)?.eloignes ?? null);
	const supply = buildSupplyPoints(
		mediators.features as Feature<Point, MediatorProperties>[],
		DEFAULT_ACCESS_PARAMETERS.supply
	);
	return {
		demand: points,
		supply,
		communes,
		needs,
		demandLabel: `personnes éloignées estimées par le modèle des besoins (remote-population.ts), total ${formatInteger(points.reduce((s, p) => s + p.demand, 0))}`,
		inputLabel: `${ARTIFACTS.communes} + ${ARTIFACTS.mediators}`
	};
}

const SOURCE_FILES = [
	'admin/communes-centres-surface.csv',
	'mediation/france-services-20240801.csv',
	'mediation/cnfs-lieux-activite-202207.geojson',
	'mediation/lieux-mediation-numerique-nord-pas-de-calais-assembleurs-2023.geojson',
	'mediation/offre-mediation-par-commune-2026.csv'
];

/**
 * From the raw sources when the artifacts are not built: commune centres and populations from
 * geo.api.gouv.fr; France services 2024, CNFS places 2022 and Nord–Pas-de-Calais places 2023 at their
 * coordinates; CNFS posts 2023 and Aidants Connect structures 2024 at their commune's centre. Not
 * deduplicated (the pipeline does that), so overlapping places are counted more than once.
 */
function loadFromSources(dir: string): AccessBenchInputs {
	const read = (file: string) => readFileSync(join(dir, file), 'utf8');
	const rules = DEFAULT_ACCESS_PARAMETERS.supply;
	const centreOf = new Map<string, [number, number]>();
	const demand: DemandPoint[] = [];
	for (const { values } of parseCsv(read(SOURCE_FILES[0]), SOURCE_FILES[0]).rows) {
		const lon = Number(values.lon);
		const lat = Number(values.lat);
		if (values.lon === '' || values.lat === '' || !Number.isFinite(lon) || !Number.isFinite(lat))
			continue;
		centreOf.set(values.code_insee, [lon, lat]);
		const population = Number(values.population_geoapi) || 0;
		demand.push({ code: values.code_insee, lon, lat, demand: population * STAND_IN_SHARE });
	}
	const supply: SupplyPoint[] = [];
	const add = (id: string, type: SupplyPoint['type'], lon: number, lat: number, supply_: number) =>
		supply.push({ id, type, lon, lat, supply: supply_ });
	for (const { values } of parseCsv(read(SOURCE_FILES[1]), SOURCE_FILES[1]).rows) {
		const lon = Number(values.longitude);
		const lat = Number(values.latitude);
		if (values.longitude === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) continue;
		add(`fs-${values.id_fs}`, 'france-services', lon, lat, rules['france-services'].perPlace);
	}
	const geojsonTypes = [
		[SOURCE_FILES[2], 'conseiller-numerique-lieu'],
		[SOURCE_FILES[3], 'autre-lieu-mediation']
	] as const;
	for (const [file, type] of geojsonTypes) {
		(JSON.parse(read(file)) as FeatureCollection<Point>).features.forEach((f, i) => {
			const [lon, lat] = f.geometry.coordinates;
			add(`${type}-${i}`, type, lon, lat, rules[type].perPlace);
		});
	}
	for (const { values } of parseCsv(read(SOURCE_FILES[4]), SOURCE_FILES[4]).rows) {
		const centre = centreOf.get(values.code_insee);
		if (!centre) continue;
		const posts = Number(values.n_postes_cnfs_valides_2023) || 0;
		if (posts > 0)
			add(`poste-${values.code_insee}`, 'conseiller-numerique-poste', ...centre, posts);
		const structures = Number(values.n_structures_aidants_connect_2024) || 0;
		for (let i = 0; i < structures; i++) {
			add(
				`ac-${values.code_insee}-${i}`,
				'aidants-connect',
				...centre,
				rules['aidants-connect'].perPlace
			);
		}
	}
	return {
		demand,
		supply,
		communes: null,
		needs: null,
		demandLabel: `population geo.api × ${formatDecimal(STAND_IN_SHARE, 3)} (SUBSTITUT : ni le modèle des besoins ni les artefacts ne sont là)`,
		inputLabel: `sources brutes (${dir}), sans dédoublonnage des lieux`
	};
}

/** The real inputs: the artifacts when built, else the raw sources; null when neither is there. */
export function loadAccessBenchInputs(): AccessBenchInputs | null {
	if (
		existsSync(artifactPath(ARTIFACTS.communes)) &&
		existsSync(artifactPath(ARTIFACTS.mediators))
	) {
		return loadFromArtifacts();
	}
	const candidates = [
		process.env.GEODATA_SOURCES,
		join(ROOT, 'geodata', 'sources'),
		join(ROOT, '..', 'shared', 'geodata-sources')
	];
	for (const dir of candidates) {
		if (dir && SOURCE_FILES.every((file) => existsSync(join(dir, file))))
			return loadFromSources(dir);
	}
	return null;
}

function maxAbsDifference(a: Float64Array, b: Float64Array): number {
	let max = 0;
	for (let i = 0; i < a.length; i++) {
		if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
		if (!Number.isNaN(a[i])) max = Math.max(max, Math.abs(a[i] - b[i]));
	}
	return max;
}

const ms = (value: number) => `${formatDecimal(value, 0)} ms`;

export default {
	name: 'Accessibilité à la médiation : E2SFCA et lieu le plus proche, indexé contre toutes paires',
	async run() {
		const inputs = loadAccessBenchInputs();
		if (!inputs) {
			console.log(
				`artefact absent : ${artifactPath(ARTIFACTS.mediators)} (et sources brutes introuvables)`
			);
			return;
		}
		const { demand, supply } = inputs;
		const byType = MEDIATOR_TYPES.map((t) => `${t} ${supply.filter((s) => s.type === t).length}`);
		console.log(`entrées : ${inputs.inputLabel}`);
		console.log(
			`${formatInteger(demand.length)} communes, ${formatInteger(supply.length)} lieux (${byType.join(', ')})`
		);
		console.log(`demande : ${inputs.demandLabel}`);

		const indexedTiming = await timeMedian(() => computeAccessibility(demand, supply), 5);
		const indexed = computeAccessibility(demand, supply);
		const naiveStart = performance.now();
		const naive = computeAccessibilityNaive(demand, supply);
		const naiveMs = performance.now() - naiveStart;
		const scoreDiff = maxAbsDifference(indexed.score, naive.score);
		const maxScore = indexed.score.reduce((m, v) => Math.max(m, v), 0);
		console.log(
			`E2SFCA indexé (kdbush) : ${ms(indexedTiming.medianMs)} (médiane de 5, ${formatInteger(indexed.pairs)} paires lieu–commune ≤ 20 km) ; ` +
				`naïf toutes paires : ${ms(naiveMs)} (1 mesure) ; rapport ${formatDecimal(naiveMs / indexedTiming.medianMs, 1)}× (cible ≥ 30×)`
		);
		console.log(
			`accord E2SFCA : écart absolu max ${scoreDiff.toExponential(2)} (score max ${formatDecimal(maxScore, 1)} pour 10 000), ` +
				`paires ${indexed.pairs === naive.pairs ? 'identiques' : `DIFFÉRENTES (${naive.pairs})`}`
		);
		if (!(scoreDiff <= 1e-9 * Math.max(1, maxScore)) || indexed.pairs !== naive.pairs) {
			throw new Error('E2SFCA : les versions indexée et naïve ne donnent pas les mêmes résultats.');
		}

		const nearestTiming = await timeMedian(() => findNearestPlaces(demand, supply), 3);
		const nearest = findNearestPlaces(demand, supply);
		const sampleIds = demand.map((_, i) => i).filter((i) => i % NEAREST_SAMPLE_STEP === 0);
		const naiveNearestStart = performance.now();
		const nearestNaive = findNearestPlacesNaive(
			sampleIds.map((i) => demand[i]),
			supply
		);
		const naiveNearestMs = performance.now() - naiveNearestStart;
		let nearestDiff = 0;
		sampleIds.forEach((i, s) => {
			nearestDiff = Math.max(
				nearestDiff,
				maxAbsDifference(
					Float64Array.of(nearest.overallKm[i]),
					Float64Array.of(nearestNaive.overallKm[s])
				),
				...MEDIATOR_TYPES.map((t) =>
					maxAbsDifference(
						Float64Array.of(nearest.byTypeKm[t][i]),
						Float64Array.of(nearestNaive.byTypeKm[t][s])
					)
				)
			);
		});
		const perCommuneRatio =
			naiveNearestMs / sampleIds.length / (nearestTiming.medianMs / demand.length);
		console.log(
			`lieu le plus proche (5 types + global) indexé : ${ms(nearestTiming.medianMs)} (médiane de 3) ; ` +
				`naïf sur 1 commune sur ${NEAREST_SAMPLE_STEP} : ${ms(naiveNearestMs)} ; rapport par commune ${formatDecimal(perCommuneRatio, 1)}× ; ` +
				`écart max ${nearestDiff.toExponential(2)} km`
		);
		if (!(nearestDiff <= 1e-9))
			throw new Error('Lieu le plus proche : les versions indexée et naïve divergent.');
	}
} satisfies BenchSection;
