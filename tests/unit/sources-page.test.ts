import { describe, expect, it } from 'vitest';
import { load } from '../../src/routes/sources/+page.server';
import type { RemoteValidation } from '$lib/needs/validation';
import type { MethodDescription } from '$lib/needs/method';

/** The parts of the page data this test reads. */
interface Data {
	validation: RemoteValidation;
	fiabilite: { code: string; label: string }[];
	references: string[];
	method: MethodDescription;
}

describe('Sources et méthode: validation of the needs model', () => {
	it('lists every published figure with the model, its band and the cross-validation', async () => {
		const data = (await load({} as Parameters<typeof load>[0])) as unknown as Data;
		const rows = data.validation.rows;
		expect(rows.map((r) => r.reg)).toEqual([
			'32',
			'11',
			'75',
			'24',
			'94',
			'01',
			'02',
			'04',
			'03',
			'06'
		]);
		for (const r of rows.filter((x) => x.kind === 'reference-2019')) {
			expect(r.withinRounding, r.nom).toBe(true);
			expect(r.leaveOneOut, r.nom).not.toBeNull();
			expect(r.modelBasPct!).toBeLessThan(r.modelPct!);
		}
		expect(rows.find((r) => r.reg === '06')).toMatchObject({ kind: 'non-estime', modelPct: null });
		expect(rows.find((r) => r.reg === '03')?.kind).toBe('extrapole');
		expect(data.validation.crossValidation.nominal).toBe(0.9);
		expect(data.fiabilite.map((f) => f.code)).toEqual(['estime', 'extrapole', 'non_estime']);
		expect(data.references.join(' ')).toMatch(/Rao et I\. Molina.*Pfeffermann/s);
		expect(data.method.version).toBe('2.0.0');
		expect(data.method.limits.join(' ')).toMatch(/Corse/);
	}, 120_000);
});
