import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{ languageOptions: { globals: { ...globals.browser, ...globals.node } } },
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		// Type-aware rules where a type mistake is a bug the compiler lets through: a forgotten
		// promise (an error nobody sees, a race in a test), or a promise where a callback's result
		// is ignored.
		files: ['src/**/*.ts', 'src/**/*.svelte', 'tests/**/*.ts', 'geodata/**/*.ts'],
		languageOptions: { parserOptions: { projectService: true } },
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/await-thenable': 'error'
		}
	},
	{
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector: "MemberExpression[object.name='Math'][property.name='random']",
					message: 'Never invent data: no Math.random in app or pipeline code.'
				}
			]
		}
	},
	{
		// Import boundary: the pure domains of src/lib run in the browser, the server, the pipeline and
		// the benchmarks, so they import no Svelte, no MapLibre, no SvelteKit and no UI folder, and use
		// no DOM global. (`*.svelte.ts` page state and the UI folders are exempt; so is `server/`, the
		// SvelteKit glue.) Workers are pure too: they use `self`, not `window`.
		files: ['src/lib/**/*.ts'],
		ignores: ['src/lib/**/*.svelte.ts', 'src/lib/ui/**', 'src/lib/map/**', 'src/lib/server/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['svelte', 'svelte/*', '*.svelte', '$app/*', '@sveltejs/*', 'maplibre-gl'],
							message:
								'Pure module (ARCHITECTURE.md §2): no Svelte, SvelteKit or MapLibre here; move the UI part to a UI folder.'
						},
						{
							group: ['**/ui/**', '**/map/*', '$lib/ui/**', '$lib/map/*'],
							message: 'Pure module (ARCHITECTURE.md §2): it may not depend on a UI folder.'
						}
					]
				}
			],
			'no-restricted-globals': [
				'error',
				...['window', 'document', 'localStorage', 'sessionStorage', 'HTMLElement'].map((name) => ({
					name,
					message: 'Pure module (ARCHITECTURE.md §2): no DOM here; pass what is needed in.'
				}))
			]
		}
	},
	{ files: ['tests/**'], rules: { 'no-restricted-syntax': 'off' } },
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'static/data/', 'geodata/sources/'] }
);
