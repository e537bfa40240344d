/**
 * The simulation's dataset, from the analysis worker to the siting worker over a `MessageChannel`
 * the page sets up (one channel per siting worker): the analysis worker builds the `SitingDataset`
 * from the analysis it already has (one needs-model run per page, issue 14) and posts it on its
 * end; the siting worker waits for it on the other. The ≈ 3 MB are copied from worker to worker,
 * never through the page's main thread.
 */
import type { SitingDataset } from '$lib/siting/scenario/dataset';

/** What the analysis worker posts on the channel: the dataset, or why it could not (French). */
export type DatasetMessage = { ok: true; dataset: SitingDataset } | { ok: false; message: string };

/** The analysis worker's end of the channel. */
export interface DatasetSender {
	postMessage(message: DatasetMessage): void;
	close(): void;
}

/** The siting worker's end of the channel. */
export interface DatasetReceiver {
	addEventListener(type: 'message', listener: (event: { data: DatasetMessage }) => void): void;
	start(): void;
	close(): void;
}

/**
 * Wait for the one message of the channel.
 * @throws Error with the analysis worker's French message when it could not build the dataset
 */
export function receiveDataset(port: DatasetReceiver): Promise<SitingDataset> {
	return new Promise((resolve, reject) => {
		port.addEventListener('message', ({ data }) => {
			port.close();
			if (data.ok) resolve(data.dataset);
			else reject(new Error(data.message));
		});
		port.start();
	});
}
