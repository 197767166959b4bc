/**
 * The folder import rules of ARCHITECTURE.md ("may import"), checked on every source file: arrows only point
 * down, contracts import zod only, web never imports functions or infra.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const TOP = ['contracts', 'functions', 'infra', 'web', 'tenants'] as const;
type Top = (typeof TOP)[number];
const MAY_IMPORT: Record<Top, Top[]> = {
  contracts: [],
  functions: ['contracts'],
  infra: ['contracts', 'functions', 'tenants'], // see docs/adr/004
  web: ['contracts'],
  tenants: ['contracts'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'dist', 'cdk.out'].includes(name)) return [];
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);

describe('folder boundaries (ARCHITECTURE.md)', () => {
  for (const top of TOP) {
    it(`${top}/ imports only ${MAY_IMPORT[top].join(', ') || 'zod'} among the project folders`, () => {
      const violations: string[] = [];
      for (const file of sources(path.join(ROOT, top))) {
        for (const spec of importsOf(file)) {
          if (spec.startsWith('.')) {
            const resolved = path.relative(ROOT, path.resolve(path.dirname(file), spec));
            const target = resolved.split(path.sep)[0] as Top;
            // Tests may also use the test harness and the local services they run against (stand-ins).
            const testAllowed = /\.test\.tsx?$/.test(file) && (resolved.startsWith('test/') || resolved.startsWith('infra/local/'));
            if (target !== top && !MAY_IMPORT[top].includes(target) && !testAllowed) violations.push(`${path.relative(ROOT, file)} → ${spec}`);
          } else if (top === 'contracts' && !spec.startsWith('zod') && !(/\.test\.ts$/.test(file) && ['vitest', 'fast-check'].includes(spec))) {
            violations.push(`${path.relative(ROOT, file)} → ${spec} (contracts may import zod only)`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
