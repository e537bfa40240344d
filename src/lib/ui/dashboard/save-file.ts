/**
 * Hand a file written in the page (CSV, GeoJSON, JSON) to the browser as a download. Browser-only
 * (it uses the document); shared by the panels that write their files themselves.
 */
export function saveTextFile(text: string, type: string, name: string): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	document.body.append(link);
	link.click();
	link.remove();
	// Revoked a moment later: some browsers read the URL after the click returns.
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
