/**
 * The committed artifacts and the imported-places fixtures as the tests read them: a `fetch` over
 * `static/data/` (what the workers and the page load), and a fixture file read by the browser's own
 * import code.
 */
import { readFileSync } from 'node:fs';
import { readPlacesFile } from '$lib/places-import/import-places';
import { compactImportContext, expandImportContext } from '$lib/places-import/import-context';
import type { CommuneRecord } from '$lib/territory/commune';

/** `fetch` of `/data/<file>` from `static/data/`; a French 404 for a file that is not there. */
export const staticFetch = (async (input: RequestInfo | URL) => {
	try {
		return new Response(readFileSync(`static/data/${String(input).replace(/^\/data\//, '')}`));
	} catch {
		return new Response('introuvable', { status: 404 });
	}
}) as typeof fetch;

/** Read `tests/fixtures/places-import/<name>` against these communes and known places. */
export function readImportFixture(
	name: string,
	communes: readonly CommuneRecord[],
	known: Parameters<typeof compactImportContext>[1] = []
): ReturnType<typeof readPlacesFile> {
	return readPlacesFile(
		name,
		readFileSync(new URL(`../fixtures/places-import/${name}`, import.meta.url)),
		expandImportContext(compactImportContext(communes, known))
	);
}
