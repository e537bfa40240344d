/**
 * Read a dropped file in the import worker. The size is checked before the file is read, so a
 * 60 MB file never reaches memory; the bytes are transferred, not copied.
 */
import { checkImportSize } from './decode-text';
import type { CompactImportContext } from './import-context';
import type { ImportReport } from './import-places';
import type { ImportWorkerRequest, ImportWorkerResponse } from './places-import.worker';
import ImportWorker from './places-import.worker?worker';

/** A report, or a French reason the file could not be read at all. */
export type ImportOutcome = { report: ImportReport; ms: number } | { failure: string };

/**
 * Validate `file` against `context` in a fresh worker, terminated afterwards (imports are rare, a
 * worker kept alive would hold the commune table for nothing).
 */
export async function validateFileInWorker(
	file: File,
	context: CompactImportContext
): Promise<ImportOutcome> {
	const sizeError = checkImportSize(file.size);
	if (sizeError) return { failure: sizeError };
	const bytes = await file.arrayBuffer();
	const worker = new ImportWorker();
	try {
		return await new Promise<ImportOutcome>((resolve) => {
			worker.addEventListener('message', (event: MessageEvent<ImportWorkerResponse>) => {
				const data = event.data;
				resolve(
					'failure' in data ? { failure: data.failure } : { report: data.report, ms: data.ms }
				);
			});
			worker.addEventListener('error', (event) =>
				resolve({
					failure: `Lecture du fichier impossible : ${event.message ?? 'erreur du worker'}.`
				})
			);
			const request: ImportWorkerRequest = { id: 1, fileName: file.name, bytes, context };
			worker.postMessage(request, [bytes]);
		});
	} finally {
		worker.terminate();
	}
}
