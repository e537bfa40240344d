/**
 * Issue 15, « one story »: the ranking marks the territories where the simulation's sites fall,
 * and a ranked territory opens the simulation on itself (a commune: on its EPCI). On the real
 * commune table.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	describeProposedSites,
	proposedSitesByTerritory,
	proposedSitesMark,
	simulationTerritoryOf
} from '$lib/ranking/with-scenario';
import { decodeCommuneTable } from '$lib/territory/commune-table';

const communes = new Map(
	decodeCommuneTable(JSON.parse(readFileSync('static/data/communes.json', 'utf8'))).map((c) => [
		c.code,
		c
	])
);
// Guéret and Aubusson (Creuse, two EPCI), Amiens (Somme), and a commune code that does not exist.
const GUERET = communes.get('23096')!;
const AUBUSSON = communes.get('23008')!;
const AMIENS = communes.get('80021')!;
const sites = [GUERET, GUERET, AUBUSSON, AMIENS, { code: '99999' }].map((c) => ({
	code_commune: c.code
}));

describe('simulated sites in the ranking', () => {
	it('counts the sites of each territory at every level, leaving out unknown communes', () => {
		expect(GUERET.epci).not.toBe(AUBUSSON.epci);
		expect(proposedSitesByTerritory(sites, communes, 'commune')).toEqual(
			new Map([
				['23096', 2],
				['23008', 1],
				['80021', 1]
			])
		);
		expect(proposedSitesByTerritory(sites, communes, 'epci')).toEqual(
			new Map([
				[GUERET.epci, 2],
				[AUBUSSON.epci, 1],
				[AMIENS.epci, 1]
			])
		);
		expect(proposedSitesByTerritory(sites, communes, 'departement')).toEqual(
			new Map([
				['23', 3],
				['80', 1]
			])
		);
		expect(proposedSitesByTerritory(sites, communes, 'region')).toEqual(
			new Map([
				['75', 3],
				['32', 1]
			])
		);
	});

	it('says it in French', () => {
		expect(describeProposedSites(5, 3, 'commune')).toBe(
			'Les 5 postes de la simulation tombent dans 3 communes (lignes marquées « + postes simulés »).'
		);
		expect(describeProposedSites(1, 1, 'epci')).toBe(
			'Le poste de la simulation tombe dans un seul territoire (lignes marquées « + postes simulés »).'
		);
		expect(describeProposedSites(12, 2, 'epci')).toContain('dans 2 intercommunalités');
		expect(proposedSitesMark(1)).toBe('+1 poste simulé');
		expect(proposedSitesMark(2)).toBe('+2 postes simulés');
	});

	it('opens the simulation on the ranked territory, on its EPCI for a commune', () => {
		expect(simulationTerritoryOf({ level: 'departement', code: '23' }, communes)).toEqual({
			level: 'departement',
			code: '23'
		});
		expect(simulationTerritoryOf({ level: 'commune', code: '23096' }, communes)).toEqual({
			level: 'epci',
			code: GUERET.epci
		});
		// The four single-commune islands have no EPCI: no simulation territory.
		const island = [...communes.values()].find((c) => c.epci === null)!;
		expect(simulationTerritoryOf({ level: 'commune', code: island.code }, communes)).toBeNull();
	});
});
