/**
 * The search by postcode: what its table costs to download (kept out of the first screen: fetched
 * when a postcode is typed) and to attach, and how long a query takes over the 36,000 territories.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ARTIFACTS, type TerritoryIndex } from '../../../src/lib/territory/artifacts';
import { decodeCommuneTable } from '../../../src/lib/territory/commune-table';
import { formatDecimal } from '../../../src/lib/format/number';
import {
	buildSearchIndex,
	readPostcodeTable,
	searchTerritories,
	withPostcodes
} from '../../../src/lib/territory/search';
import { timeMedian } from '../measure';
import { printTimings } from '../timings';
import { formatTextTable } from '../text-table';
import { readArtifact, requireArtifacts, type BenchSection } from '../section';

const kilobytes = (bytes: number) => formatDecimal(bytes / 1024, 1);

export default {
	name: 'Recherche par code postal (codes-postaux.json, hors premier écran)',
	async run() {
		if (!(await requireArtifacts(ARTIFACTS.postcodes, ARTIFACTS.communes, ARTIFACTS.territories)))
			return;
		const text = await readArtifact(ARTIFACTS.postcodes);
		const bytes = Buffer.from(text);
		const brotli = brotliCompressSync(bytes, {
			params: {
				[constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
				[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT
			}
		}).length;
		console.log(
			formatTextTable(
				[
					{ title: 'fichier' },
					{ title: 'brut (ko)', align: 'right' },
					{ title: 'gzip -9 (ko)', align: 'right' },
					{ title: 'brotli 11 (ko)', align: 'right' },
					{ title: 'premier écran (ko)', align: 'right' }
				],
				[
					[
						ARTIFACTS.postcodes,
						kilobytes(bytes.length),
						kilobytes(gzipSync(bytes, { level: 9 }).length),
						kilobytes(brotli),
						// Fetched by the search box when the text looks like a postcode, never before.
						'0,0'
					]
				]
			)
		);
		const communes = decodeCommuneTable(JSON.parse(await readArtifact(ARTIFACTS.communes)));
		const territories = JSON.parse(await readArtifact(ARTIFACTS.territories)) as TerritoryIndex;
		const names = buildSearchIndex(communes, territories);
		const index = withPostcodes(names, readPostcodeTable(JSON.parse(text)));
		const queries = ['23000', '230', '01400', 'st etienne'];
		printTimings([
			{
				label: `lecture et rattachement de ${ARTIFACTS.postcodes}`,
				timing: await timeMedian(() => withPostcodes(names, readPostcodeTable(JSON.parse(text))))
			},
			...(await Promise.all(
				queries.map(async (q) => ({
					label: `requête « ${q} » (${searchTerritories(index, q, 8).length} résultats)`,
					timing: await timeMedian(() => searchTerritories(index, q, 8), 21, 2)
				}))
			))
		]);
	}
} satisfies BenchSection;
