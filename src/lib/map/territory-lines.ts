/**
 * Line layout of every line layer drawn on a territory source (outlines, highlight, white zones,
 * QPV, rural zonings). MapLibre builds one line bucket per distinct layout of a source, so they all
 * share one. The join is a miter: a round join costs about 7 vertices per point where a miter
 * costs 2, which at commune level over France is the bulk of what the GPU receives, for lines at
 * most 3 px wide whose corners nobody can tell apart.
 */
export const TERRITORY_LINE_LAYOUT = { 'line-join': 'miter' } as const;
