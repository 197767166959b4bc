/**
 * Base data (CMD-4 geocoding, CMD-5 base data, DAT-1): import validation, the tenant's spatial index (grid of a
 * point, components near it, address ↔ coordinates) and its storage. Routes call `importBody` and `loadIndex`;
 * case reporting calls `(await loadIndex(store)).gridAt(location)`.
 */
export { divisionProblem, resolveCrs, validateCsv, validateFeatureCollection, validateImport } from './import';
export type { GridLocator, ImportContext, ImportOptions, ImportResult } from './import';
export { REVERSE_GEOCODE_METRES, SpatialIndex } from './spatial-index';
export type { BaseDataSet } from './spatial-index';
export { batchWrite, clearIndexCache, contentHash, importBaseData, importBody, loadIndex, loadRecords } from './repository';
export type { StoreOutcome, WriteRequest } from './repository';
export { Gazetteer } from './geocode';
export { bigramSimilarity, normalizeAddress, splitHouseNumber } from './normalize';
export { csvLine, parseCsv } from './csv';
export { basedataKeys, KIND_TAG } from './keys';
export { boxAround, geometryBounds, geometryProblems } from './geometry';
export type { Bounds } from './geometry';
