/**
 * The analysis Web Worker, one per dashboard page: the estimate layer and the national headline,
 * the ranking tab, its downloads and the details panel's accessibility, all on one state (the
 * commune table read once, the needs model run once). Handlers in `handlers.ts`; the page talks to
 * it through `client.ts` over `workers/rpc.ts`.
 */
import { serve } from '../rpc';
import { createAnalysisHandlers } from './handlers';

serve(createAnalysisHandlers(fetch));
