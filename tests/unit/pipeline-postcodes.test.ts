import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCogReference } from '../../geodata/pipeline/cog-reference';
import {
	buildPostcodeTable,
	POSTCODE_REPORT,
	serializePostcodeTable
} from '../../geodata/pipeline/postcodes';
import { SOURCE_FILES } from '../../geodata/pipeline/sources-dir';
import { SourceDataError } from '../../geodata/lib/source-error';
import type { PostcodeTable } from '../../src/lib/territory/artifacts';

/** Cut from the real sources (tests/fixtures/pipeline/README.md): 10 communes + 2 of the COM. */
const SOURCES = fileURLToPath(new URL('../fixtures/pipeline/sources', import.meta.url));

const temps: string[] = [];
afterAll(() => {
	for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture sources whose COG entry `code` (commune-actuelle) gets `codesPostaux`. */
function sourcesWithPostcodes(code: string, codesPostaux: unknown): string {
	const dir = mkdtempSync(join(tmpdir(), 'postcodes-'));
	temps.push(dir);
	cpSync(SOURCES, dir, { recursive: true });
	const file = join(dir, SOURCE_FILES.cogCommunes);
	const entries = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
		code: string;
		type: string;
		codesPostaux?: unknown;
	}[];
	const entry = entries.find((e) => e.code === code && e.type === 'commune-actuelle')!;
	entry.codesPostaux = codesPostaux;
	writeFileSync(file, gzipSync(JSON.stringify(entries)));
	return dir;
}

describe('buildPostcodeTable (fixture sources)', () => {
	const step = buildPostcodeTable(readCogReference(SOURCES));

	it('maps each postcode to its communes of the 101 départements, never to a COM commune', () => {
		const { communes } = step.table;
		expect(communes['01000']).toEqual(['01053']);
		expect(communes['20000']).toEqual(['2A004']);
		expect(communes['97139']).toEqual(['97101']);
		// The 20 + 1 postcodes of Paris lead to the commune (its arrondissements are not communes).
		expect(Object.keys(communes).filter((p) => communes[p].includes('75056'))).toHaveLength(21);
		// 97701 Saint-Barthélemy (COM) is in the fixture's COG file but out of scope.
		expect(Object.values(communes).flat()).not.toContain('97701');
	});

	it('names the arrondissement behind each postcode of Paris and Marseille', () => {
		expect(step.table.arrondissements['75011']).toBe('Paris 11e Arrondissement');
		expect(step.table.arrondissements['75116']).toBe('Paris 16e Arrondissement');
		expect(step.table.arrondissements['13001']).toBe('Marseille 1er Arrondissement');
		expect(step.table.arrondissements['01000']).toBeUndefined();
	});

	it('reports pairs, distinct postcodes and coverage', () => {
		expect(step.coverage[POSTCODE_REPORT.coverage]).toEqual({ matched: 10, total: 10 });
		expect(step.rows[POSTCODE_REPORT.distinct]).toBe(Object.keys(step.table.communes).length);
		expect(step.rows[POSTCODE_REPORT.pairs]).toBe(Object.values(step.table.communes).flat().length);
		expect(step.unmatched).toEqual({});
	});

	it('serialises to JSON that reads back as the same table, one postcode per line', () => {
		const text = serializePostcodeTable(step.table);
		expect(JSON.parse(text) as PostcodeTable).toEqual(step.table);
		// In postcode order, `01000` first (an object would iterate `12320` first).
		const postcodes = text
			.split('\n')
			.filter((l) => /^"\d{5}":\[/.test(l))
			.map((l) => l.slice(1, 6));
		expect(postcodes).toEqual(Object.keys(step.table.communes).sort());
		expect(postcodes[0]).toBe('01000');
	});

	it('lists the communes of a shared postcode from the most populated', () => {
		const dir = sourcesWithPostcodes('15031', ['01000']);
		const { communes } = buildPostcodeTable(readCogReference(dir)).table;
		// Bourg-en-Bresse (42,372 inhabitants) before Celles (Cantal, a few hundred).
		expect(communes['01000']).toEqual(['01053', '15031']);
	});

	it('reports a commune without postcode', () => {
		const dir = sourcesWithPostcodes('15031', []);
		const built = buildPostcodeTable(readCogReference(dir));
		expect(built.unmatched[POSTCODE_REPORT.missing]).toEqual(['15031']);
		expect(built.coverage[POSTCODE_REPORT.coverage]).toEqual({ matched: 9, total: 10 });
	});

	it.each([
		[['2A004'], 'code postal invalide « 2A004 » (5 chiffres attendus)'],
		[['0100'], 'code postal invalide « 0100 »'],
		['01000', 'liste de codes postaux attendue']
	])('stops on a malformed codesPostaux %j with a French message', (value, message) => {
		const dir = sourcesWithPostcodes('01053', value);
		let error: unknown;
		try {
			readCogReference(dir);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(SourceDataError);
		expect((error as Error).message).toContain(message);
		expect((error as Error).message).toContain('codesPostaux');
	});
});
