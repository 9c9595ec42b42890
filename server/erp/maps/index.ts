/** The ERP entity maps: load and validate a folder of YAML maps, and apply them to records. */
export { loadMaps, loadMapsOrThrow, loadMapFile, resolveMapsDir, formatProblems, formatProblem, MapConfigError, type LoadResult } from './load.js';
export { toErp, fromErp, integrationKey, matches, diff, changedFields, resolveConflict, mapDirections, erpReadFields, sameValue } from './engine.js';
export { createLinkLookup, type LinkLookup } from './lookup.js';
export { summarize } from './summary.js';
export type * from './types.js';
