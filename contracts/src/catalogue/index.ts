/** CMD-3 classification: the GB/T 47678.5-2026 catalogue, tenant catalogues (legacy mappings, extensions), code checks. */
export * from './gbt47678-5-2026';
export * from './tenant-catalogue';
export * from './codes';
