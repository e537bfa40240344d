import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import {
	buildTerritoryReport,
	findTerritoryName,
	mediatorsOfCommunes
} from '$lib/report/territory-report';
import { buildReportMap, mapLevelsOf } from '$lib/report/report-map';
import { lookupsOf } from '$lib/report/report-context';
import { readReportScenario } from '$lib/report/report-scenario';
import {
	LEVEL_PLURAL,
	normaliseTerritoryCode,
	parseReportLevel,
	territoryCsvPath,
	territoryReportPath
} from '$lib/report/territory-ref';
import { DEFAULT_DASHBOARD_STATE, formatDashboardSearch } from '$lib/dashboard/params';
import {
	loadLevelTopology,
	loadReportContext,
	loadSavedScenarioReport
} from '../../report-source.server';
import { savedScenarioUrl } from '$lib/report/report-saved-scenario';

/** Size of the map, px (about 16 × 11 cm on an A4 page). */
const MAP_WIDTH = 620;
const MAP_HEIGHT = 430;

export const load: PageServerLoad = async ({ params, url }) => {
	const level = parseReportLevel(params.niveau);
	if (level === null) {
		error(404, {
			message: `Le niveau « ${params.niveau.slice(0, 40)} » n’existe pas : les fiches portent sur une commune, une intercommunalité (epci), un département ou une région.`
		});
	}
	const code = normaliseTerritoryCode(params.code);
	// A saved scenario (`?scenario=<id>`): its imported places count in every figure and on the map.
	const savedId = url.searchParams.get('scenario');
	const saved = savedId === null ? null : await loadSavedScenarioReport(savedId);
	if (saved === 'unavailable') {
		error(503, {
			message: 'La base des scénarios est indisponible pour le moment : réessayez plus tard.'
		});
	}
	if (savedId !== null && saved === null) {
		error(404, {
			message: `Aucun scénario enregistré sous l’identifiant « ${savedId.slice(0, 40)} » : vérifiez le lien, ou ouvrez la fiche sans scénario.`
		});
	}
	const ctx = saved ? saved.ctx : await loadReportContext();
	if (findTerritoryName(ctx, level, code) === null) {
		error(404, {
			message: `Aucun territoire ne porte le code « ${params.code.slice(0, 40)} » parmi les ${LEVEL_PLURAL[level]} du COG 2026.`
		});
	}
	// A hand-typed variant (`Commune/2a004`) of an existing territory: send to the canonical address.
	if (level !== params.niveau || code !== params.code) {
		redirect(301, `${territoryReportPath(level, code)}${url.search}`);
	}
	const report = buildTerritoryReport(ctx, level, code, { now: new Date() });
	if (report === null) {
		error(404, { message: `Pas de données pour ce territoire (${code.slice(0, 40)}).` });
	}

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
		type: m.properties.type
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
			csv: territoryCsvPath(level, code)
		}
	};
};
