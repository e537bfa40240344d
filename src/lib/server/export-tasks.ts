/**
 * The server's pool for heavy exports (XLSX workbooks), created on first use: one worker, so one
 * core stays for the requests, and a short queue (`ATLAS_EXPORT_QUEUE`, default 4) beyond which a
 * client gets a French 503 with `Retry-After`. Finished answers are cached (response-cache.ts), so
 * the pool sees each distinct export once.
 */
import { json } from '@sveltejs/kit';
import { createWorkerPool, workerPoolFailure, type WorkerPool } from './worker-pool';
import type { ExportTasks } from './export-tasks.worker';
import { plainXlsxTable, type XlsxProvenance, type XlsxTable } from '../export/xlsx';

const shared: { pool?: Promise<WorkerPool> } = {};

function exportPool(): Promise<WorkerPool> {
	const queue = Number(process.env.ATLAS_EXPORT_QUEUE);
	shared.pool ??= import('./export-tasks.worker').then(({ exportTasksEntry }) =>
		createWorkerPool({
			entry: exportTasksEntry,
			size: 1,
			maxQueue: Number.isInteger(queue) && queue > 0 ? queue : 4,
			timeLimitMs: 120_000
		})
	);
	return shared.pool;
}

/**
 * An XLSX workbook written in the export pool.
 * @returns the bytes, or the French error answer (503 when the pool is full, 504 past its time limit)
 */
export async function xlsxInWorker<T>(
	table: XlsxTable<T>,
	provenance: XlsxProvenance
): Promise<{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; response: Response }> {
	const payload: ExportTasks['xlsx']['payload'] = { table: plainXlsxTable(table), provenance };
	try {
		const bytes = await (await exportPool()).run<ExportTasks['xlsx']['result']>('xlsx', payload);
		return { ok: true, bytes: new Uint8Array(bytes) };
	} catch (error) {
		const failure = workerPoolFailure(error, 'L’export XLSX');
		return {
			ok: false,
			response: json(failure.body, { status: failure.status, headers: failure.headers })
		};
	}
}
