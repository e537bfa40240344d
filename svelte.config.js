import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { finishBuild } from './scripts/server/finish-build.js';

const node = adapter({ out: 'build', precompress: true });

/**
 * The optional remote basemap (see README) is the only origin besides our own that the page may
 * fetch from; its style may name tile and glyph hosts of its own, to be added here when used.
 */
/** @type {any[]} CSP sources (`https://…` origins) */
const basemapOrigin = (() => {
	try {
		return process.env.PUBLIC_BASEMAP_STYLE_URL
			? [new URL(process.env.PUBLIC_BASEMAP_STYLE_URL).origin]
			: [];
	} catch {
		return [];
	}
})();

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// adapter-node, then our own steps: every artifact precompressed and hashed, and the
		// hardened server entry (scripts/server/) in place of the adapter's.
		adapter: {
			name: node.name,
			async adapt(builder) {
				await node.adapt(builder);
				await finishBuild('build', builder);
			}
		},
		// Scripts only from our origin plus the hashes SvelteKit computes for its inline bootstrap:
		// no 'unsafe-inline' for scripts. Styles keep 'unsafe-inline' for the `style=` attributes
		// Svelte and MapLibre write. Workers (MapLibre, ranking, siting) are our own files; MapLibre
		// draws images from blob: and data: URLs.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:', ...basemapOrigin],
				'font-src': ['self'],
				'connect-src': ['self', ...basemapOrigin],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
