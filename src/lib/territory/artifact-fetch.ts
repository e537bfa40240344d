/**
 * Fetch one artifact (`/data/…`) and parse it as JSON, for the page and for the Web Workers
 * (needs estimate, ranking, siting) alike.
 * @throws Error (French) naming the file: HTTP error, network failure or invalid JSON.
 */
export async function fetchArtifact(fetcher: typeof fetch, url: string): Promise<unknown> {
	let response: Response;
	try {
		response = await fetcher(url);
	} catch (error) {
		throw new Error(
			`Impossible de télécharger ${url} (${error instanceof Error ? error.message : 'erreur réseau'}).`,
			{ cause: error }
		);
	}
	if (!response.ok) {
		throw new Error(
			`Impossible de télécharger ${url} (erreur HTTP ${response.status}). Les données ont-elles été construites (npm run geodata:build) ?`
		);
	}
	try {
		return await response.json();
	} catch (error) {
		throw new Error(`Le fichier ${url} n’est pas un JSON valide.`, { cause: error });
	}
}
