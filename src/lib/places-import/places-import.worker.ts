/**
 * Web Worker that reads and validates a dropped file of places off the main thread (20 000 rows of
 * the standard take about a second). One request, one answer: see `import-client.ts`.
 */
import { readPlacesFile, type ImportReport } from './import-places';
import { expandImportContext, type CompactImportContext } from './import-context';

export interface ImportWorkerRequest {
	id: number;
	fileName: string;
	bytes: ArrayBuffer;
	context: CompactImportContext;
}

export type ImportWorkerResponse =
	{ id: number; report: ImportReport; ms: number } | { id: number; failure: string };

self.onmessage = (event: MessageEvent<ImportWorkerRequest>) => {
	const { id, fileName, bytes, context } = event.data;
	const start = performance.now();
	try {
		const report = readPlacesFile(fileName, new Uint8Array(bytes), expandImportContext(context));
		const response: ImportWorkerResponse = { id, report, ms: performance.now() - start };
		self.postMessage(response);
	} catch (error) {
		const response: ImportWorkerResponse = {
			id,
			failure: `Lecture du fichier impossible : ${error instanceof Error ? error.message : String(error)}`
		};
		self.postMessage(response);
	}
};
