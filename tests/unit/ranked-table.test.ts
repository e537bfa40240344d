import { beforeAll, describe, expect, it } from 'vitest';
import { loadServerAnalysis } from '$lib/server/analysis';
import {
	epciParentsOf,
	isInFilter,
	rankTable,
	sortPositions,
	SORT_KEYS,
	type PreparedCache,
	type RankedRow,
	type RankedTable,
	type RankedTableRequest,
	type RankingSource
} from '$lib/ranking/ranked-table';
import { CRITERION_IDS, formatCriterionValue } from '$lib/ranking/criteria';
import { formatRankOrdinal } from '$lib/ranking/explain';
import { DEFAULT_WEIGHTS, WEIGHT_PRESETS, type Weights } from '$lib/ranking/weights';

let source: RankingSource;

beforeAll(async () => {
	const { analysis } = await loadServerAnalysis();
	source = {
		rowsAt: (level) => analysis.rowsAt(level),
		preparedAt: (level) => analysis.preparedAt(level),
		epciParents: epciParentsOf(analysis.inputs.communes)
	};
});

const noFilter = { region: null, departement: null };
const preset = (id: string): Weights => WEIGHT_PRESETS.find((p) => p.id === id)!.weights;

function request(overrides: Partial<RankedTableRequest>): RankedTableRequest {
	return {
		level: 'commune',
		filter: noFilter,
		weights: DEFAULT_WEIGHTS,
		group: 'france',
		normalisation: 'filtre',
		...overrides
	};
}

/** Ranks follow positions as a competition ranking: 1, then p + 1 unless the score ties. */
function expectCompetitionRanks(rows: readonly RankedRow[]) {
	expect(rows[0].rank).toBe(1);
	for (let p = 1; p < rows.length; p++) {
		expect(rows[p].score).toBeLessThanOrEqual(rows[p - 1].score + 1e-9);
		if (rows[p].rank !== p + 1) {
			// A shared rank only between scores equal at the sort's 2^-32 resolution (score is ×100).
			expect(rows[p].rank).toBe(rows[p - 1].rank);
			expect(rows[p - 1].score - rows[p].score).toBeLessThan(1e-7);
		}
	}
}

describe('rankTable, toute la France (groupe france)', () => {
	let table: RankedTable;
	let rows: RankedRow[];
	// The lazy analysis runs the needs model here (its leave-one-out refits take seconds on a loaded
	// 2-core machine).
	beforeAll(() => {
		table = rankTable(source, request({}));
		rows = table.rows();
	}, 120_000);

	it('classe les 34 875 communes : positions = permutation 1…n, rangs de compétition', () => {
		expect(table.size).toBe(34_875);
		const seen = new Uint8Array(table.size + 1);
		for (const r of rows) seen[r.position]++;
		expect(seen[0]).toBe(0);
		expect(seen.subarray(1).every((c) => c === 1)).toBe(true);
		expect(new Set(rows.map((r) => r.territory.code)).size).toBe(34_875);
		expectCompetitionRanks(rows);
		expect(rows.every((r) => r.groupSize === 34_875)).toBe(true);
		expect(table.group).toBe('france');
		expect(table.normalisation).toBe('filtre');
		expect(table.note).toBeNull();
	});

	it('les contributions s’additionnent en score et un poids nul ne contribue pas', () => {
		for (const r of rows.filter((_, p) => p % 997 === 0)) {
			const sum = CRITERION_IDS.reduce((s, id) => s + r.criteria[id].contribution, 0);
			expect(sum).toBeCloseTo(r.score, 9);
			for (const id of CRITERION_IDS) {
				expect(r.criterionContribution(id)).toBe(r.criteria[id].contribution);
				expect(r.criterionValue(id)).toBe(r.criteria[id].value);
			}
		}
		const fibreOnly = rankTable(source, request({ weights: { ...preset('reseau'), fibre: 0 } }));
		const row = fibreOnly.rowAt(0);
		expect(row.criteria.fibre.weight).toBe(0);
		expect(row.criteria.fibre.contribution).toBe(0);
		expect(row.criteria.fibre.text).not.toBe(''); // the value is still shown
	});

	it('les nombres de l’explication sont ceux des cellules du tableau', () => {
		// Every number the sentence quotes is one of the row's cells, once the fixed wording (units:
		// "pour 10 000 personnes", "15 ans", "4G") is taken out.
		const numbers = (text: string) =>
			text.match(/\d[\d\u202f\u00a0]*(?:,\d+)?/g)?.map((n) => n.trim()) ?? [];
		let quoted = 0;
		for (const r of rows.filter((_, p) => p % 101 === 0 || p < 200)) {
			const [head, body] = r.explanation.split(' : ');
			expect(head).toBe(`Classée ${formatRankOrdinal(r.rank, true)} en France`);
			const cells = new Set(CRITERION_IDS.flatMap((id) => numbers(r.criteria[id].text)));
			for (const n of numbers(body.replace(/pour 10\s000 personnes|15 ans|4G/g, ''))) {
				expect(cells.has(n), `${n} dans « ${r.explanation} »`).toBe(true);
				quoted++;
			}
			// The three largest contributions are quoted with their exact cell text.
			const top = CRITERION_IDS.filter(
				(id) => !r.criteria[id].missing && r.criteria[id].contribution > 0
			)
				.sort((a, b) => r.criteria[b].contribution - r.criteria[a].contribution)
				.slice(0, 3);
			for (const id of top) expect(body).toContain(r.criteria[id].text);
			for (const id of CRITERION_IDS) {
				expect(r.criteria[id].text).toBe(formatCriterionValue(id, r.territory));
			}
		}
		expect(quoted).toBeGreaterThan(500);
	});

	it('changer les poids change l’ordre', () => {
		const rural = rankTable(source, request({ weights: preset('rural') }));
		const qpv = rankTable(source, request({ weights: preset('qpv') }));
		const top = (t: RankedTable) => Array.from({ length: 20 }, (_, p) => t.rowAt(p).territory.code);
		expect(top(rural)).not.toEqual(top(qpv));
		// Priorité QPV: the top 20 communes all host a QPV.
		expect(
			top(qpv).every((code) => (qpv.rowAt(qpv.positionOf(code)).criteria.qpv.value ?? 0) > 0)
		).toBe(true);
	});

	it('positionOf retrouve un territoire, rowAt refuse une position hors du tableau', () => {
		const p = table.positionOf('59350');
		expect(table.rowAt(p).territory.nom).toBe('Lille');
		expect(table.positionOf('99999')).toBe(-1);
		expect(() => table.rowAt(table.size)).toThrow(RangeError);
	});
});

describe('rankTable avec un filtre', () => {
	it('normalisation « filtre » : 647 communes du Nord classées 1…647 « du département »', () => {
		const table = rankTable(source, request({ filter: { region: null, departement: '59' } }));
		expect(table.size).toBe(647);
		expect(table.prepared.rows).toHaveLength(647);
		expect(table.group).toBe('departement');
		expect(table.note).toMatch(/dans le département/);
		const rows = table.rows();
		expect(rows.every((r) => r.territory.dep === '59' && r.groupSize === 647)).toBe(true);
		expectCompetitionRanks(rows);
		expect(rows[0].explanation).toMatch(/^Classée 1re du département : /);
		// Normalised within the Nord: some commune of the Nord has the full need on each criterion.
		for (const id of ['eloignes', 'acces', 'distance'] as const) {
			expect(Math.max(...rows.map((r) => r.criteria[id].need))).toBe(1);
		}
	});

	it('normalisation « france » : les mêmes communes, avec leur rang et leur score nationaux', () => {
		const national = rankTable(source, request({}));
		const table = rankTable(
			source,
			request({ filter: { region: null, departement: '59' }, normalisation: 'france' })
		);
		expect(table.size).toBe(647);
		expect(table.group).toBe('france');
		expect(table.prepared.rows).toHaveLength(34_875);
		const rows = table.rows();
		for (const r of rows.slice(0, 50)) {
			const same = national.rowAt(national.positionOf(r.territory.code));
			expect(r.rank).toBe(same.rank);
			expect(r.score).toBe(same.score);
			expect(r.explanation).toBe(same.explanation);
		}
		expect(rows.map((r) => r.position)).toEqual(rows.map((_, p) => p + 1));
		expect(rows[0].explanation).toMatch(/en France : /);
	});

	it('groupe département en normalisation « france » : rangs dans le département, comme sans filtre', () => {
		const all = rankTable(source, request({ group: 'departement', normalisation: 'france' }));
		const nord = rankTable(
			source,
			request({
				group: 'departement',
				normalisation: 'france',
				filter: { region: null, departement: '59' }
			})
		);
		const ranks = nord.rows().map((r) => r.rank);
		expect(ranks[0]).toBe(1);
		expect(ranks).toEqual(nord.rows().map((r) => all.rowAt(all.positionOf(r.territory.code)).rank));
	});

	it('une région : 3 782 communes des Hauts-de-France, rangs « de la région »', () => {
		const table = rankTable(source, request({ filter: { region: '32', departement: null } }));
		expect(table.size).toBe(3782);
		expect(table.group).toBe('region');
		expect(table.rowAt(0).explanation).toMatch(/^Classée 1re de la région : /);
		const byDep = rankTable(
			source,
			request({ filter: { region: '32', departement: null }, group: 'departement' })
		);
		expect(byDep.group).toBe('departement');
		expect(
			new Set(
				byDep
					.rows()
					.filter((r) => r.rank === 1)
					.map((r) => r.territory.dep)
			)
		).toEqual(new Set(['02', '59', '60', '62', '80']));
	});

	it('EPCI : toutes celles qui ont une commune dans le filtre, classées ensemble', () => {
		const nord = rankTable(
			source,
			request({ level: 'epci', filter: { region: null, departement: '59' } })
		);
		expect(nord.size).toBe(17);
		// The Métropole du Grand Paris (main département 75) is listed under each of its départements.
		for (const dep of ['75', '92', '93', '94']) {
			const t = rankTable(
				source,
				request({ level: 'epci', filter: { region: null, departement: dep } })
			);
			expect(t.positionOf('200054781')).toBeGreaterThanOrEqual(0);
		}
		// CC du Ternois: main département 62, communes in 62 and 80.
		const somme = rankTable(
			source,
			request({ level: 'epci', filter: { region: null, departement: '80' } })
		);
		const ternois = somme.rowAt(somme.positionOf('200069672'));
		expect(ternois.territory.dep).toBe('62');
		expect(ternois.groupSize).toBe(somme.size);
		expect(somme.group).toBe('departement');
		expect(isInFilter(ternois.territory, { region: null, departement: '80' })).toBe(false); // main parent only
	});

	it('un filtre d’un seul territoire retombe sur la normalisation nationale', () => {
		const paris = rankTable(source, request({ filter: { region: null, departement: '75' } }));
		expect(paris.size).toBe(1);
		expect(paris.normalisation).toBe('france');
		expect(paris.note).toMatch(/qu’un territoire/);
		expect(paris.rowAt(0).territory.nom).toBe('Paris');
		expect(paris.rowAt(0).groupSize).toBe(34_875);
		const nord = rankTable(
			source,
			request({
				level: 'departement',
				filter: { region: null, departement: '59' },
				group: 'region'
			})
		);
		expect(nord.size).toBe(1);
		expect(nord.rowAt(0).groupSize).toBe(5);
		expect(nord.rowAt(0).explanation).toMatch(/^Classé \d+(er|e) de la région : /);
	});

	it('garde les ensembles normalisés dans le cache fourni', () => {
		const cache: PreparedCache = new Map();
		const a = rankTable(source, request({ filter: { region: '32', departement: null } }), cache);
		const b = rankTable(
			source,
			request({ filter: { region: '32', departement: null }, weights: preset('qpv') }),
			cache
		);
		expect(cache.size).toBe(1);
		expect(b.prepared).toBe(a.prepared);
		expect(b.rowAt(0).territory.code).not.toBe(a.rowAt(0).territory.code);
	});

	it('refuse un groupe que le niveau n’a pas', () => {
		expect(() => rankTable(source, request({ level: 'region', group: 'departement' }))).toThrow(
			/ne se classe pas par « departement »/
		);
	});
});

describe('sortPositions', () => {
	let table: RankedTable;
	beforeAll(() => {
		table = rankTable(source, request({ filter: { region: '32', departement: null } }));
	}, 120_000);

	it.each(SORT_KEYS.map((k) => [k]))(
		'trie par %s dans les deux sens, inconnus en dernier',
		(key) => {
			for (const direction of ['asc', 'desc'] as const) {
				const positions = sortPositions(table, key, direction);
				expect(new Set(positions).size).toBe(table.size);
				const value = (p: number): number | string | null => {
					const r = table.rowAt(p);
					if (key === 'rang') return r.position;
					if (key === 'score') return r.score;
					if (key === 'code') return r.territory.code;
					if (key === 'nom') return r.territory.nom;
					if (key === 'population') return r.territory.population;
					return r.criterionValue(key);
				};
				const values = Array.from(positions, value);
				const known = values.filter((v) => v !== null);
				// Unknown values come last.
				expect(values.slice(known.length).every((v) => v === null)).toBe(true);
				for (let k = 1; k < known.length; k++) {
					const [a, b] = [known[k - 1]!, known[k]!];
					const cmp =
						typeof a === 'string'
							? a.localeCompare(b as string, 'fr', { sensitivity: 'base', numeric: true })
							: a - (b as number);
					if (direction === 'asc') expect(cmp).toBeLessThanOrEqual(0);
					else expect(cmp).toBeGreaterThanOrEqual(0);
				}
			}
		}
	);

	it('rang croissant = ordre du classement ; égalités dans l’ordre du classement', () => {
		expect(Array.from(sortPositions(table, 'rang'))).toEqual(
			Array.from({ length: table.size }, (_, p) => p)
		);
		const byQpv = sortPositions(table, 'qpv', 'desc');
		// Among communes without QPV (value 0), the ranking order is kept.
		const zeros = Array.from(byQpv).filter((p) => table.rowAt(p).criterionValue('qpv') === 0);
		expect(zeros).toEqual([...zeros].sort((a, b) => a - b));
	});
});
