/**
 * French typography for the model's sentences: a no-break space before `:`, `;`, `?`, `!` and `%`
 * and inside « », so a line never starts with a colon or a percent sign.
 * @example withFrenchSpacing('Pauvreté : 12 %') // 'Pauvreté\u00a0: 12\u00a0%'
 */
export function withFrenchSpacing(text: string): string {
	return text.replace(/ ([:;?!%»])/g, '\u00a0$1').replace(/« /g, '«\u00a0');
}
