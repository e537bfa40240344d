/**
 * Read a JSON request body with a size cap, whatever the server in front (adapter-node has its own
 * `BODY_SIZE_LIMIT`, `vite dev` and `vite preview` have none): the body is read as a stream and
 * reading stops as soon as the cap is passed, so a 10 MB body costs no more than the cap.
 */

/** Outcome: the parsed value, or the HTTP status and French messages of the refusal. */
export type JsonBody =
	| { ok: true; value: unknown }
	| { ok: false; status: 400 | 413; erreur: string; details: string[] };

const refuse = (status: 400 | 413, detail: string): JsonBody => ({
	ok: false,
	status,
	erreur: `Requête invalide : ${detail}.`,
	details: [detail]
});

const kiB = (bytes: number) => `${Math.round(bytes / 1024)} ko`;

/**
 * Read `request`'s body as JSON: `content-type` must be `application/json` (or `…+json`), the body
 * at most `maxBytes`, UTF-8 and valid, non-empty JSON.
 * @param maxBytes largest body accepted, bytes
 * @returns the value, or 400 (content type, encoding, syntax, empty) / 413 (too large) with a French message
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<JsonBody> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
		return refuse(
			400,
			`le corps doit être du JSON avec l’en-tête « Content-Type: application/json » (reçu : ${type === '' ? 'aucun' : `« ${type.slice(0, 60)} »`})`
		);
	}
	const tooLarge = () =>
		refuse(413, `corps trop volumineux : ${kiB(maxBytes)} au plus sont acceptés`);
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
	if (request.body === null) return refuse(400, 'corps vide : un objet JSON est attendu');

	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel().catch(() => undefined);
			return tooLarge();
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return refuse(400, 'le corps n’est pas du texte UTF-8 valide');
	}
	if (text.trim() === '') return refuse(400, 'corps vide : un objet JSON est attendu');
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		// The engine's message is in English: keep only where the error is.
		const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
		return refuse(
			400,
			`JSON invalide : erreur de syntaxe${position ? ` vers le caractère ${Number(position[1]) + 1}` : ''}`
		);
	}
}
