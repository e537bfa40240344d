// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** Time of the task pool's work for this request, ms (a fiche's data), for `Server-Timing`. */
			poolMs?: number;
		}
	}
}

export {};
