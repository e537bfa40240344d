import { cpSync, readFileSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../geodata/pipeline/build';
import { SOURCE_FILES } from '../../geodata/pipeline/sources-dir';
import { MEDIATOR_FILES } from '../../geodata/pipeline/mediators';
import {
	ARTIFACTS,
	type SourcesArtifact,
	type QpvByCommune,
	type TerritoryIndex
} from '../../src/lib/territory/artifacts';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import { SourceDataError } from '../../geodata/lib/source-error';
import { tempDir, snapshot } from './temp-dirs';

const FIXTURE = fileURLToPath(new URL('../fixtures/pipeline/sources', import.meta.url));
const GENERATED = '2026-11-28T00:00:00.000Z';

/** A copy of the fixture sources with one file edited. */
function sourcesWith(file: string, edit: (text: string) => string): string {
	const dir = tempDir('sources-');
	cpSync(FIXTURE, dir, { recursive: true });
	const path = join(dir, file);
	writeFileSync(path, edit(readFileSync(path, 'utf8')));
	return dir;
}

/** Replace the `n`-th data line (1 = first row after the header) with `edit(line)`. */
const editRow = (n: number, edit: (line: string) => string) => (text: string) => {
	const lines = text.split('\n');
	lines[n] = edit(lines[n]);
	return lines.join('\n');
};

describe('runPipeline on the fixture sources', () => {
	let out: string;
	let lines: string[];

	beforeAll(async () => {
		out = tempDir('out-');
		lines = [];
		await runPipeline({
			sourcesDir: FIXTURE,
			outDir: out,
			log: (l) => lines.push(l),
			generated: GENERATED
		});
	});

	it('writes every artifact of ARTIFACTS', () => {
		const written = Object.keys(snapshot(out)).sort();
		const expected = [
			ARTIFACTS.communes,
			ARTIFACTS.territories,
			ARTIFACTS.territoriesFirstScreen,
			ARTIFACTS.mediators,
			ARTIFACTS.mediatorPoints,
			ARTIFACTS.qpv,
			ARTIFACTS.sources,
			ARTIFACTS.postcodes,
			...Object.values(ARTIFACTS.geometry)
		].sort();
		expect(written).toEqual(expected);
	});

	it('writes a commune table the app can decode, and matching QPV, territories and sources', () => {
		const read = (file: string) => JSON.parse(readFileSync(join(out, file), 'utf8'));
		const communes = decodeCommuneTable(read(ARTIFACTS.communes));
		expect(communes).toHaveLength(10);
		expect(read(ARTIFACTS.communes).generated).toBe(GENERATED);
		const paris = communes.find((c) => c.code === '75056');
		expect(paris?.qpvCount).toBe((read(ARTIFACTS.qpv) as QpvByCommune)['75056'].length);
		expect(
			(read(ARTIFACTS.territories) as TerritoryIndex).departements.map((d) => d.code)
		).toContain('2A');
		const sources = read(ARTIFACTS.sources) as SourcesArtifact;
		expect(sources.datasets).toHaveLength(22);
		expect(sources.report.coverage.fibre).toEqual({ matched: 8, total: 10 });
		expect(sources.report.rows[SOURCE_FILES.fibre]).toBe(8);
		const mediators = read(ARTIFACTS.mediators);
		expect(mediators.type).toBe('FeatureCollection');
		expect(mediators.features.length).toBeGreaterThan(0);
	});

	it('prints a French data report with coverage and unmatched codes', () => {
		expect(lines).toContain('  fibre : 8 / 10 communes');
		expect(lines.some((l) => l.includes('collectivités d’outre-mer') && l.includes('97701'))).toBe(
			true
		);
		expect(
			lines.some((l) => l.startsWith(`  ${ARTIFACTS.communes} : `) && l.includes('gzip'))
		).toBe(true);
	});
});

describe('runPipeline stops on a bad source and leaves the previous artifacts untouched', () => {
	let out: string;
	let before: ReturnType<typeof snapshot>;

	beforeAll(async () => {
		out = tempDir('out-kept-');
		await runPipeline({ sourcesDir: FIXTURE, outDir: out, log: () => {}, generated: GENERATED });
		before = snapshot(out);
	});

	async function expectFailure(sourcesDir: string, message: string | RegExp) {
		const run = runPipeline({ sourcesDir, outDir: out, log: () => {} });
		await expect(run).rejects.toBeInstanceOf(SourceDataError);
		await expect(run).rejects.toThrow(message);
		expect(snapshot(out)).toEqual(before);
	}

	it('a CSV row with a missing column', async () => {
		// Row 2 of the FttH file loses its last cell.
		const dir = sourcesWith(
			SOURCE_FILES.fibre,
			editRow(2, (l) => l.slice(0, l.lastIndexOf(',')))
		);
		await expectFailure(
			dir,
			`fichier « ${SOURCE_FILES.fibre} », ligne 3, champ « fibre_pct_locaux_raccordables_ftth » : 3 valeurs pour 4 colonnes`
		);
	});

	it('a non-numeric share', async () => {
		const dir = sourcesWith(
			SOURCE_FILES.fibre,
			editRow(1, (l) => l.replace(/,[\d.]+$/, ',quatre-vingt'))
		);
		await expectFailure(
			dir,
			`fichier « ${SOURCE_FILES.fibre} », ligne 2, champ « fibre_pct_locaux_raccordables_ftth » : valeur non numérique « quatre-vingt »`
		);
	});

	it('a share outside [0, 100]', async () => {
		const dir = sourcesWith(
			SOURCE_FILES.fibre,
			editRow(1, (l) => l.replace(/,[\d.]+$/, ',180'))
		);
		await expectFailure(
			dir,
			/ligne 2, champ « fibre_pct_locaux_raccordables_ftth » : pourcentage hors de \[0, 100\]/
		);
	});

	it('an unknown commune code', async () => {
		const dir = sourcesWith(
			SOURCE_FILES.densite,
			editRow(4, (l) => l.replace(/^[^,]+,/, '01999,'))
		);
		await expectFailure(
			dir,
			`fichier « ${SOURCE_FILES.densite} », ligne 5, champ « insee_com » : code commune « 01999 » inconnu du COG 2026`
		);
	});

	it('a duplicated code', async () => {
		const dir = sourcesWith(
			SOURCE_FILES.fibre,
			(t) => t.trimEnd() + '\n' + t.split('\n')[1] + '\n'
		);
		await expectFailure(
			dir,
			/fichier « connectivity\/arcep-fibre-ftth-pct-locaux-par-commune\.csv », ligne 10, champ « code_insee » : code « 01053 » en double \(déjà ligne 2\)/
		);
	});

	it('an unknown density label', async () => {
		const dir = sourcesWith(
			SOURCE_FILES.densite,
			editRow(1, (l) => l.replace(/,[^,]+$/, ',Très urbain'))
		);
		await expectFailure(
			dir,
			/ligne 2, champ « niveau_densite » : niveau de densité inconnu « Très urbain »/
		);
	});

	it('a GeoJSON point outside France', async () => {
		const dir = sourcesWith(MEDIATOR_FILES.cnfsLieux, (t) => {
			const fc = JSON.parse(t);
			fc.features[2].geometry.coordinates = [-73.9857, 40.7484];
			return JSON.stringify(fc);
		});
		await expectFailure(
			dir,
			/fichier « mediation\/cnfs-lieux-activite-202207\.geojson », entité n° 2, champ « geometry » : coordonnées hors de France/
		);
	});

	it('a GeoJSON in Lambert-93 metres', async () => {
		const dir = sourcesWith(MEDIATOR_FILES.cnfsLieux, (t) => {
			const fc = JSON.parse(t);
			fc.features[0].geometry.coordinates = [652_469, 6_862_035];
			return JSON.stringify(fc);
		});
		await expectFailure(
			dir,
			/fichier « mediation\/cnfs-lieux-activite-202207\.geojson », entité n° 0, champ « geometry » : coordonnées en Lambert-93/
		);
	});
});
