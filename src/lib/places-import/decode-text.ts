/**
 * Turn the bytes of a dropped file into text: UTF-8 with or without BOM, or Windows-1252 (what Excel
 * writes in France when it saves "CSV (séparateur : point-virgule)"). A file that is not text at all
 * (an image or a spreadsheet renamed `.csv`) is refused here, before any parsing.
 */

/** Which decoding was used, for the report ("encodage détecté : …"). */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'windows-1252';

export type DecodedText =
	{ ok: true; text: string; encoding: TextEncodingName } | { ok: false; message: string };

/** Largest file read, bytes: 50 Mo holds ≈ 100 000 rows of the standard, five times France's count. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** French size, e.g. "60,0 Mo". */
export function formatMegabytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} Mo`;
}

/**
 * Refuse a file by its size alone, before reading it (a 60 MB file never reaches memory).
 * @param maxBytes the largest size accepted (default `MAX_IMPORT_BYTES`, the browser's)
 * @returns a French message, or null when the size is acceptable
 */
export function checkImportSize(bytes: number, maxBytes: number = MAX_IMPORT_BYTES): string | null {
	if (bytes === 0) return 'Le fichier est vide.';
	if (bytes > maxBytes) {
		return `Fichier trop volumineux : ${formatMegabytes(bytes)} (au plus ${formatMegabytes(maxBytes)}). Découpez-le par département ou région.`;
	}
	return null;
}

/** Signatures of common binary formats users rename by mistake. */
const BINARY_SIGNATURES: { bytes: number[]; name: string }[] = [
	{ bytes: [0x50, 0x4b, 0x03, 0x04], name: 'une archive ZIP ou un classeur Excel (.xlsx, .ods)' },
	{ bytes: [0xd0, 0xcf, 0x11, 0xe0], name: 'un classeur Excel ancien (.xls)' },
	{ bytes: [0x25, 0x50, 0x44, 0x46], name: 'un PDF' },
	{ bytes: [0x89, 0x50, 0x4e, 0x47], name: 'une image PNG' },
	{ bytes: [0xff, 0xd8, 0xff], name: 'une image JPEG' },
	{ bytes: [0x1f, 0x8b], name: 'une archive gzip' }
];

/**
 * Decode the bytes of a text file. Invalid UTF-8 falls back to Windows-1252 (every byte is a
 * character there, so accents typed in Excel come out right); NUL bytes or control characters mean
 * the file is not text.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
	for (const signature of BINARY_SIGNATURES) {
		if (signature.bytes.every((b, i) => bytes[i] === b)) {
			return {
				ok: false,
				message: `Ce fichier n’est pas un fichier texte : c’est ${signature.name}. Enregistrez-le au format CSV (séparateur point-virgule) ou GeoJSON.`
			};
		}
	}
	// Text files have no NUL and almost no C0 controls besides tab, CR and LF.
	const probe = bytes.subarray(0, Math.min(bytes.length, 65_536));
	let controls = 0;
	for (const b of probe) {
		if (b === 0) controls += 1000;
		else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) controls += 1;
	}
	if (controls > Math.max(8, probe.length / 1000)) {
		return {
			ok: false,
			message:
				'Ce fichier n’est pas un fichier texte (il contient des octets binaires). Enregistrez-le au format CSV (séparateur point-virgule) ou GeoJSON.'
		};
	}
	const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	try {
		const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
		return { ok: true, text, encoding: hasBom ? 'utf-8-bom' : 'utf-8' };
	} catch {
		return { ok: true, text: decodeWindows1252(bytes), encoding: 'windows-1252' };
	}
}

/**
 * Characters of bytes 0x80–0x9F in Windows-1252 (WHATWG encoding table); the other bytes are
 * Latin-1. Written out because Node's `TextDecoder('windows-1252')` without full ICU decodes
 * Latin-1 and turns « – » or « œ » into control characters.
 */
const CP1252_HIGH =
	'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
	'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Decode Windows-1252 bytes (every byte is one character). */
export function decodeWindows1252(bytes: Uint8Array): string {
	const parts: string[] = [];
	const chunk = 8192;
	for (let start = 0; start < bytes.length; start += chunk) {
		const codes = Array.from(bytes.subarray(start, start + chunk), (b) =>
			b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b
		);
		parts.push(String.fromCharCode(...codes));
	}
	return parts.join('');
}

/** French name of an encoding for the report. */
export const ENCODING_LABELS: Record<TextEncodingName, string> = {
	'utf-8': 'UTF-8',
	'utf-8-bom': 'UTF-8 (avec BOM)',
	'windows-1252': 'Windows-1252 (Excel, accents convertis)'
};
