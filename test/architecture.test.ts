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
  infra: ['contracts', 'functions'],
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
            const target = path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep)[0] as Top;
            if (target !== top && !MAY_IMPORT[top].includes(target)) violations.push(`${path.relative(ROOT, file)} → ${spec}`);
          } else if (top === 'contracts' && !spec.startsWith('zod')) {
            violations.push(`${path.relative(ROOT, file)} → ${spec} (contracts may import zod only)`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
