import { cpSync, readFileSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCogReference } from '../../geodata/pipeline/cog-reference';
import { buildQpvByCommune } from '../../geodata/pipeline/qpv';
import { SOURCE_FILES } from '../../geodata/pipeline/sources-dir';
import { tempDir } from './temp-dirs';

const SOURCES = fileURLToPath(new URL('../fixtures/pipeline/sources', import.meta.url));

function withQpvFile(edit: (text: string) => string): string {
	const dir = tempDir('qpv-');
	cpSync(SOURCES, dir, { recursive: true });
	const path = join(dir, SOURCE_FILES.qpv);
	writeFileSync(path, edit(readFileSync(path, 'utf8')));
	return dir;
}

describe('buildQpvByCommune', () => {
	const cog = readCogReference(SOURCES);

	it('lists the QPV 2024 of each commune, sorted by code', () => {
		const { byCommune, rows, qpvCount } = buildQpvByCommune(SOURCES, cog);
		expect(byCommune['2A004']).toEqual([
			{ code: 'QN02A02M', nom: 'Salines - Cannes' },
			{ code: 'QN02A03N', nom: 'Nord rocade' }
		]);
		expect(byCommune['75056']).toHaveLength(21);
		expect(byCommune['97101'].map((q) => q.code)).toEqual(
			[...byCommune['97101'].map((q) => q.code)].sort()
		);
		expect(byCommune['01187']).toBeUndefined();
		expect(rows[SOURCE_FILES.qpv]).toBe(73);
		expect(qpvCount).toBe(73);
	});

	it('converts a former commune code to its COG 2026 commune', () => {
		const dir = withQpvFile((t) =>
			t.replace(
				'QN00101M,Grande Reyssouze Terre Des Fleurs,01053',
				'QN00101M,Grande Reyssouze Terre Des Fleurs,01330'
			)
		);
		const { byCommune, unmatched } = buildQpvByCommune(dir, readCogReference(dir));
		expect(byCommune['01187']).toEqual([
			{ code: 'QN00101M', nom: 'Grande Reyssouze Terre Des Fleurs' }
		]);
		expect(unmatched[`${SOURCE_FILES.qpv} : anciens codes convertis au COG 2026`]).toEqual([
			'01330→01187'
		]);
	});

	it('stops on an invalid QPV code, a duplicated pair or an unknown commune, naming file, line and field', () => {
		const badCode = withQpvFile((t) => t.replace('QN02A02M', 'Q2A02'));
		expect(() => buildQpvByCommune(badCode, cog)).toThrow(
			/fichier « qpv\/qpv-2024-liste-par-commune\.csv », ligne \d+, champ « code_qp » : code QPV invalide « Q2A02 »/
		);
		const duplicated = withQpvFile((t) => t + t.split('\n')[1] + '\n');
		expect(() => buildQpvByCommune(duplicated, cog)).toThrow(
			/ligne 75, champ « insee_com » : QPV « QN00101M » en double .*déjà ligne 2/
		);
		const unknown = withQpvFile((t) => t.replace(',2A004,', ',2A999,'));
		expect(() => buildQpvByCommune(unknown, cog)).toThrow(
			/champ « insee_com » : code commune « 2A999 » inconnu du COG 2026/
		);
	});
});
