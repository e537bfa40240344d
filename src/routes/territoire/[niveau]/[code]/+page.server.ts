import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { mediatorsOfCommunes } from '$lib/report/territory-report';
import { buildReportMap, mapLevelsOf } from '$lib/report/report-map';
import { IMPORTED_SOURCE_ID } from '$lib/places-import/imported-place';
import { lookupsOf } from '$lib/report/report-context';
import { readReportScenario } from '$lib/report/report-scenario';
import { territoryCsvPath, territoryReportPath } from '$lib/report/territory-ref';
import { DEFAULT_DASHBOARD_STATE, formatDashboardSearch } from '$lib/url/map-params';
import { loadLevelTopology } from '../../report-source.server';
import { ficheDownloadSearch, ficheReport, readFicheRequest } from '../../fiche-request.server';
import { savedScenarioUrl } from '$lib/report/report-saved-scenario';

/** Size of the map, px (about 16 × 11 cm on an A4 page). */
const MAP_WIDTH = 620;
const MAP_HEIGHT = 430;

export const load: PageServerLoad = async ({ params, url }) => {
	const request = await readFicheRequest(params, url);
	const { level, code, ctx, saved } = request;
	// A hand-typed variant (`Commune/2a004`) of an existing territory: send to the canonical address.
	if (level !== params.niveau || code !== params.code) {
		redirect(301, `${territoryReportPath(level, code)}${url.search}`);
	}
	const report = ficheReport(request);

	const members = lookupsOf(ctx).communesOf[level].get(code) ?? [];
	const epci = level === 'commune' ? (members[0]?.epci ?? null) : null;
	const levels = mapLevelsOf(level, epci !== null);
	const topologies = Object.fromEntries(
		await Promise.all(levels.map(async (l) => [l, await loadLevelTopology(l)] as const))
	);
	// The mapped area: the territory, or the EPCI around a commune.
	const area = epci !== null ? (lookupsOf(ctx).communesOf.epci.get(epci) ?? members) : members;
	const places = mediatorsOfCommunes(
		ctx,
		area.map((c) => c.code)
	).map((m) => ({
		lon: m.geometry.coordinates[0],
		lat: m.geometry.coordinates[1],
		type: m.properties.type,
		imported: m.properties.source === IMPORTED_SOURCE_ID
	}));
	const scenario = readReportScenario(
		saved ? savedScenarioUrl(url, saved.scenario.parameters) : url,
		ctx.analysis
	);
	const markers =
		scenario.status === 'done'
			? scenario.result.sites.map((site) => ({
					lon: site.lon,
					lat: site.lat,
					label: String(site.rang)
				}))
			: [];
	const map = buildReportMap({
		level,
		code,
		epci,
		subTerritories: report.subTerritories,
		places,
		markers,
		topologies,
		width: MAP_WIDTH,
		height: MAP_HEIGHT
	});

	const dashboard = formatDashboardSearch({
		...DEFAULT_DASHBOARD_STATE,
		selection: { level, code }
	});
	const withScenario =
		scenario.status === 'done'
			? `${dashboard}${dashboard ? '&' : '?'}${scenario.search}`
			: dashboard;
	// The map opens the saved scenario too (it brings its imported places back).
	const mapSearch = saved
		? `${withScenario}${withScenario ? '&' : '?'}${new URLSearchParams({ scenario: saved.note.id })}`
		: withScenario;
	return {
		report,
		map,
		mapPlaceCount: places.length,
		scenario,
		/** The saved scenario the fiche counts (« données importées »), or null. */
		saved: saved ? saved.note : null,
		links: {
			/** Query string of the map page selecting this territory (and the scenario, if any). */
			mapSearch,
			/** The downloads (same figures as the page: the saved scenario's, if any). */
			csv: `${territoryCsvPath(level, code)}${ficheDownloadSearch(request)}`,
			/** Query of the download links (`?scenario=<id>`, or empty). */
			downloadSearch: ficheDownloadSearch(request)
		}
	};
};
