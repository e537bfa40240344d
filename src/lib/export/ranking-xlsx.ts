/**
 * The ranking export as an XLSX workbook: the CSV's columns on a « Classement » sheet (codes as
 * text), and the parameters, method and sources on a « Sources » sheet.
 */
import type { XlsxProvenance, XlsxTable } from './xlsx';
import {
	rankingDatasetIds,
	rankingMetadata,
	rankingParameters,
	rowsBetween,
	RANKING_COLUMNS,
	type RankingExport
} from './ranking-export';
import type { DatasetSource } from '../territory/artifacts';
import type { RankedRow } from '../ranking/ranked-table';

/** The table and the Sources sheet of a ranking export's workbook (write it with xlsx.ts). */
export function rankingXlsx(data: RankingExport): {
	table: XlsxTable<RankedRow>;
	provenance: XlsxProvenance;
} {
	const parameters = rankingParameters(data.query, data.table);
	const metadata = rankingMetadata(data);
	const datasets = rankingDatasetIds(data.geometry)
		.map((id) => data.datasets.find((d) => d.id === id))
		.filter((d): d is DatasetSource => d !== undefined);
	return {
		table: {
			sheet: 'Classement',
			columns: RANKING_COLUMNS,
			rows: rowsBetween(data, 0, data.positions.length)
		},
		provenance: {
			title: metadata.titre,
			lines: [
				['Généré le', metadata.genere_le],
				['Requête', parameters.requete],
				['Niveau', parameters.niveau],
				['Filtre région', parameters.region ?? 'aucun'],
				['Filtre département', parameters.departement ?? 'aucun'],
				['Poids', parameters.poids],
				['Rangs comptés', parameters.groupe_applique],
				['Normalisation', metadata.methode.normalisation],
				['Score', metadata.methode.score],
				['Valeurs manquantes', metadata.methode.valeurs_manquantes],
				['Lignes', `${metadata.nombre_lignes} sur ${metadata.nombre_territoires} territoires`],
				...(data.scenario ? [['Scénario', data.scenario.text] as const] : []),
				['Méthode', '/sources'],
				...RANKING_COLUMNS.map((c) => [`Colonne ${c.header}`, c.description] as const)
			],
			datasets
		}
	};
}
