import { describe, expect, it } from 'vitest';
import { DATASET_SOURCES } from '../../geodata/pipeline/dataset-sources';

/** The dataset ids shared by sources.json, MediatorProperties.source and the indicators. */
const IDS = [
	'cog-2026',
	'laposte-codes-postaux',
	'admin-express-2018',
	'communes-centres',
	'grille-densite',
	'typologies-anct',
	'frr-2025',
	'zrr-2021',
	'arcep-fibre-2025',
	'arcep-mci-2022',
	'ifn-2023',
	'filosofi-2021',
	'qpv-2024',
	'qpv-2015-occitanie',
	'rp2021-nord',
	'france-services-2024',
	'cnfs-lieux-2022',
	'cnfs-postes-2023',
	'aidants-connect-2024',
	'lieux-npdc-2023',
	'offre-mediation-2026',
	'illectronisme-insee'
];

describe('DATASET_SOURCES', () => {
	it('describes exactly the shared dataset ids, once each', () => {
		expect(DATASET_SOURCES.map((d) => d.id).sort()).toEqual([...IDS].sort());
	});

	it('gives every dataset a producer, title, vintage, licence, https URL, caveat and attribution', () => {
		for (const d of DATASET_SOURCES) {
			for (const field of [
				d.producer,
				d.title,
				d.vintage,
				d.licence,
				d.attribution,
				d.caveat ?? ''
			]) {
				expect(field.trim(), d.id).not.toBe('');
			}
			expect(d.url, d.id).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}(\/|$)/);
		}
	});

	it('says "non précisée" where PROVENANCE states no licence', () => {
		const licence = (id: string) => DATASET_SOURCES.find((d) => d.id === id)?.licence;
		for (const id of ['ifn-2023', 'aidants-connect-2024', 'lieux-npdc-2023', 'frr-2025']) {
			expect(licence(id)).toMatch(/^non précisée/);
		}
		expect(licence('arcep-fibre-2025')).toBe('Licence Ouverte 2.0');
		expect(DATASET_SOURCES.find((d) => d.id === 'arcep-fibre-2025')?.attribution).toBe(
			'ARCEP, 2025 (T3 probable)'
		);
	});
});
