/**
 * Process settings for `npm start`, imported first so they apply before any module reads them: quieter logs
 * on a developer's console (LOG_LEVEL overrides), and the AWS SDK's Node-version notice shown once in the
 * README instead of on every start.
 */
process.env.LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_DEV ??= 'true';
const emit = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning')) return;
  (emit as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
export {};
