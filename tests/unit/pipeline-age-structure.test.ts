import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	findAgeStructureFile,
	parseAgeStructure,
	readAgeStructure
} from '../../geodata/pipeline/age-structure';
import { SourceDataError } from '../../geodata/lib/source-error';
import { tempDir } from './temp-dirs';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/pipeline/insee-age', import.meta.url));
const FILE = 'base-cc-evol-struct-pop-2021.csv';

describe('readAgeStructure', () => {
	it('reads the INSEE layout: 15–44 = 1529 + 3044, 75+ = 7589 + 90P, year from P21_', () => {
		const byCode = readAgeStructure(FIXTURE_DIR);
		expect(byCode?.size).toBe(3);
		expect(byCode?.get('59001')).toEqual({
			year: 2021,
			pop15to44: 155,
			pop45to59: 88,
			pop60to74: 85,
			pop75plus: 43
		});
		// Weighted census counts keep their decimals until the join rounds them.
		expect(byCode?.get('59002')?.pop15to44).toBeCloseTo(1550, 9);
	});

	it('returns null when the sources have no such file', () => {
		const empty = tempDir('age-none-');
		expect(readAgeStructure(empty)).toBeNull();
	});

	it('finds the file in any sub-folder, and refuses two candidates', () => {
		const dir = tempDir('age-find-');
		mkdirSync(join(dir, 'population', 'insee'), { recursive: true });
		writeFileSync(join(dir, 'population', 'insee', FILE), readFileSync(join(FIXTURE_DIR, FILE)));
		expect(findAgeStructureFile(dir)).toBe(`population/insee/${FILE}`);
		writeFileSync(join(dir, 'base-cc-evol-struct-pop-2020.csv'), 'CODGEO;P20_POP\n');
		expect(() => findAgeStructureFile(dir)).toThrow(/plusieurs fichiers INSEE/);
	});

	it('accepts the older P<yy>_POP75P column and picks the latest census', () => {
		const text =
			'CODGEO;P10_POP;P16_POP;P16_POP1529;P16_POP3044;P16_POP4559;P16_POP6074;P16_POP75P\n2A004;1;100;10;20;30;25;15\n';
		expect(parseAgeStructure(text, 'x.csv').get('2A004')).toEqual({
			year: 2016,
			pop15to44: 30,
			pop45to59: 30,
			pop60to74: 25,
			pop75plus: 15
		});
	});

	it('names file, line and column of a bad cell, a missing column or a duplicated code', () => {
		const header =
			'CODGEO;P21_POP;P21_POP1529;P21_POP3044;P21_POP4559;P21_POP6074;P21_POP7589;P21_POP90P';
		const bad = () => parseAgeStructure(`${header}\n59001;459;71;abc;88;85;40;3\n`, FILE);
		expect(bad).toThrow(SourceDataError);
		expect(bad).toThrow(
			`fichier « ${FILE} », ligne 2, champ « P21_POP3044 » : valeur non numérique « abc »`
		);
		expect(() => parseAgeStructure('CODGEO;P21_POP;P21_POP1529\n', FILE)).toThrow(
			/ligne 1, champ « P21_POP3044 »/
		);
		const twice = `${header}\n59001;1;1;1;1;1;1;1\n59001;1;1;1;1;1;1;1\n`;
		expect(() => parseAgeStructure(twice, FILE)).toThrow(
			/ligne 3, champ « CODGEO » : code commune « 59001 » en double \(déjà ligne 2\)/
		);
	});
});
