import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { territoryReportPath } from '$lib/report/territory-ref';
import { ficheData, readFicheRequest } from '../../fiche-request.server';

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const request = await readFicheRequest(params, url);
	// A hand-typed variant (`Commune/2a004`) of an existing territory: send to the canonical address.
	if (request.level !== params.niveau || request.code !== params.code) {
		redirect(301, `${territoryReportPath(request.level, request.code)}${url.search}`);
	}
	// The report, its map and its scenario: computed in the task pool (`$lib/server/fiche-data.ts`).
	return (await ficheData(request, url, 'page', locals)).page!;
};
