import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	describeMissingCoverage,
	READER_NOTES,
	readerNoteOf
} from '../../src/lib/report/reader-notes';

const sources = JSON.parse(
	readFileSync(new URL('../../static/data/sources.json', import.meta.url), 'utf8')
) as { datasets: { id: string; caveat?: string }[] };

describe('reader notes of the fiche', () => {
	it('has a note for every dataset of sources.json', () => {
		for (const d of sources.datasets) expect(readerNoteOf(d.id), d.id).not.toBeNull();
	});

	it('holds no internal provenance text (checks to do, third-party copies, tools)', () => {
		const internal =
			/vérifier|à confirmer|vivrea|grist|widget|métabase|dépôt|projet|REPERE|@etalab|paquet|extraction secondaire|copie tierce/i;
		for (const [id, note] of Object.entries(READER_NOTES)) expect(note, id).not.toMatch(internal);
		// The internal caveats do hold such text: the notes replace them, they do not copy them.
		expect(sources.datasets.some((d) => internal.test(d.caveat ?? ''))).toBe(true);
	});
});

describe('describeMissingCoverage', () => {
	it.each([
		['autre-lieu-mediation', ['59'], null],
		['autre-lieu-mediation', ['59', '62'], null],
		[
			'autre-lieu-mediation',
			['23'],
			'données disponibles seulement pour le Nord et le Pas-de-Calais'
		],
		[
			'autre-lieu-mediation',
			['59', '80'],
			'données disponibles seulement pour le Nord et le Pas-de-Calais'
		],
		['autre-lieu-mediation', [], 'données disponibles seulement pour le Nord et le Pas-de-Calais'],
		['france-services', ['23'], null]
	] as const)('%s in %j', (type, deps, expected) => {
		expect(describeMissingCoverage(type, deps)).toBe(expected);
	});
});
