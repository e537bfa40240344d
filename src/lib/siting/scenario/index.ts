/**
 * The scenario layer of the siting engine: from the dataset (communes with their estimated people
 * éloignés, mediation places) and a planner's request (territory, N, objective, coverage distance,
 * candidate rule, hand edits) to the engine's points, and back to the result shown by the simulation
 * panel and returned by `POST /api/simulation` (one JSON shape for both).
 *
 * Definitions (also returned in `methode`, so the UI and the API say the same thing):
 * - demand: the communes of the territory (those with a centre), each weighted by its estimated
 *   people éloignés du numérique (needs model, persons aged 15+). Demand outside the territory is not
 *   the planner's responsibility and is left out of the objective and the figures;
 * - existing places: every mediation place of `mediateurs.geojson`, all five types (France services,
 *   conseiller numérique places and posts, Aidants Connect structures, other mediation places), in
 *   the whole country: a place across the territory's border still serves its communes, and the
 *   nearest place of a commune may be farther than the coverage distance (mean distance). With the
 *   `france_services_sans_conseiller` rule the France services without a conseiller numérique are
 *   not counted as places (see `CANDIDATE_RULE_TEXT`);
 * - candidates: see `CandidateRuleId`;
 * - distances: great-circle km between commune centres and places (see `nearest.ts`);
 * - accessibility: the E2SFCA score of `src/lib/access` (équivalents conseiller pour 10 000 personnes
 *   éloignées), each new site adding one conseiller (`NEW_SITE_SUPPLY`), averaged over the
 *   territory's communes weighted by their people éloignés.
 *
 * One module per concern: `dataset.ts` (columns and lookups), `parameters.ts` (the request and its
 * edits), `territory.ts` (demand, candidates, sites as points), `prepare.ts` (everything before the
 * optimisation), `accessibility.ts` (E2SFCA of the territory, capacity model), `run.ts` and
 * `run-capacity.ts` (the engines), `build-result.ts` and `result.ts` (the JSON), `texts.ts`.
 * This index re-exports what the rest of the app uses.
 */
export * from './dataset';
export * from './parameters';
export * from './result';
export { describeCandidateRule, describeExistingPlaces } from './texts';
export { editsOfResult, evaluateSimulation, runSimulation } from './run';
