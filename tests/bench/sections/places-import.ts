/**
 * Issue 12: parse and validate 20 000 rows of the national standard « Lieux de médiation
 * numérique », as the import worker does (same function, with the commune centres and the 14 737
 * known places for the duplicate check). The rows cycle the standard's example and the
 * Nord–Pas-de-Calais 2023 compilation (tests/fixtures/places-import/standard-rows.ts): real values
 * only. Measured in Node; the browser worker runs the same code. Target ≤ 2 s.
 */
import { readFileSync } from 'node:fs';
import type { FeatureCollection, Point } from 'geojson';
import { readPlacesFile } from '../../../src/lib/places-import/import-places';
import {
	compactImportContext,
	expandImportContext
} from '../../../src/lib/places-import/import-context';
import { ARTIFACTS, type MediatorProperties } from '../../../src/lib/territory/artifacts';
import { decodeCommuneTable } from '../../../src/lib/territory/commune-table';
import { formatDecimal, formatInteger } from '../../../src/lib/format/number';
import { standardCsv } from '../../fixtures/places-import/standard-rows';
import { timeMedian } from '../measure';
import { artifactPath, requireArtifacts, type BenchSection } from '../section';

const ROWS = 20_000;

export default {
	name: 'Import de lieux : 20 000 lignes du standard « Lieux de médiation numérique »',
	async run() {
		if (!(await requireArtifacts(ARTIFACTS.communes, ARTIFACTS.mediators))) return;
		const communes = decodeCommuneTable(
			JSON.parse(readFileSync(artifactPath(ARTIFACTS.communes), 'utf8'))
		);
		const mediators = JSON.parse(
			readFileSync(artifactPath(ARTIFACTS.mediators), 'utf8')
		) as FeatureCollection<Point, MediatorProperties>;
		const known = mediators.features.map((f) => ({
			id: f.properties.id,
			nom: f.properties.nom,
			lon: f.geometry.coordinates[0],
			lat: f.geometry.coordinates[1]
		}));
		const compact = compactImportContext(communes, known);
		const bytes = new TextEncoder().encode(standardCsv(ROWS, ';'));
		let report = readPlacesFile('bench.csv', bytes, expandImportContext(compact));
		// What the worker does per file: expand the context it received, then read the bytes.
		const timing = await timeMedian(() => {
			report = readPlacesFile('bench.csv', bytes, expandImportContext(compact));
		}, 5);
		console.log(
			`fichier : ${formatInteger(ROWS)} lignes, ${formatDecimal(bytes.length / 1024 / 1024, 1)} Mo (UTF-8, « ; »)`
		);
		console.log(
			`lus : ${formatInteger(report.accepted.length)} acceptés, ${formatInteger(report.rejected.length)} rejetés, ${formatInteger(report.warnings.length)} avertissements (comparés à ${formatInteger(known.length)} lieux connus)`
		);
		console.log(
			`lecture + validation : médiane ${formatInteger(timing.medianMs)} ms (min ${formatInteger(timing.minMs)}, max ${formatInteger(timing.maxMs)}, ${timing.runs} passages) — objectif ≤ 2 000 ms`
		);
	}
} satisfies BenchSection;
