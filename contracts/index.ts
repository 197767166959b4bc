/** contracts: zod schemas and their inferred types, shared by functions, infra, web and tenants. zod only. */
export * from './src/roles';
export * from './src/errors';
export * from './src/divisions';
export * from './src/tenant';
export * from './src/claims';
export * from './src/mqtt';
export * from './src/supervision';
export * from './src/health';
export * from './src/api';
export * from './src/case';
export * from './src/catalogue';
export * from './src/evaluation';
export * from './src/basedata';
export * from './src/devices';
export * from './src/alarms';
export * from './src/monitoring-api';
