/**
 * The worker module of the export pool (`export-tasks.ts`): writing a workbook of 34,875 communes
 * takes several seconds of CPU in exceljs, which must not stall the other requests. It holds no
 * data: it receives the evaluated cells and returns the file's bytes. Imported on the main thread
 * only to learn its own URL (that dynamic import makes the build emit it as its own chunk).
 */
import { isMainThread } from 'node:worker_threads';
import { serveWorkerTasks } from './worker-pool';
import { writePlainXlsx, type XlsxPlainTable, type XlsxProvenance } from '../export/xlsx';

/** URL of this module, for `new Worker`. */
export const exportTasksEntry = import.meta.url;

/** Payloads and results of the tasks (structured clones). */
export interface ExportTasks {
	xlsx: {
		payload: { table: XlsxPlainTable; provenance: XlsxProvenance };
		result: Uint8Array<ArrayBuffer>;
	};
}

if (!isMainThread) {
	serveWorkerTasks({
		xlsx: ({ table, provenance }: ExportTasks['xlsx']['payload']) =>
			writePlainXlsx(table, provenance)
	});
}
