import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath, locate, scanJson } from './json-source';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const manifest = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '430181', 'manifest.json'), 'utf8');

describe('scanJson agrees with JSON.parse', () => {
  it('accepts every JSON document', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(scanJson(text).ok).toBe(true);
      }),
    );
  });

  it('rejects exactly what JSON.parse rejects, on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(scanJson(text).ok).toBe(parses(text));
      }),
    );
  });

  it('rejects exactly what JSON.parse rejects, on a real manifest with one character deleted or inserted', () => {
    const edits = fc.record({
      at: fc.nat({ max: manifest.length }),
      insert: fc.option(fc.constantFrom(',', '"', '{', '}', '[', ']', ':', '\n', 'x', '0', ' ', "'", '\\'), { nil: undefined }),
    });
    fc.assert(
      fc.property(edits, ({ at, insert }) => {
        const text = insert === undefined ? manifest.slice(0, at) + manifest.slice(at + 1) : manifest.slice(0, at) + insert + manifest.slice(at);
        expect(scanJson(text).ok).toBe(parses(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('positions', () => {
  const text = '{\n  "name": { "zh": "浏阳市" },\n  "departments": [\n    { "code": "CGZF" },\n    { "code": "ZJ" }\n  ]\n}';

  it('locate values by field path, with 1-based line and column', () => {
    const scan = scanJson(text);
    if (!scan.ok) throw new Error('expected valid JSON');
    expect(locate(scan.positions, ['departments', 1, 'code'])).toEqual({ line: 5, column: 15 });
    expect(locate(scan.positions, ['name', 'zh'])).toEqual({ line: 2, column: 19 });
  });

  it('fall back to the nearest existing ancestor for a missing field', () => {
    const scan = scanJson(text);
    if (!scan.ok) throw new Error('expected valid JSON');
    expect(locate(scan.positions, ['name', 'en'])).toEqual({ line: 2, column: 11 });
  });

  it('format paths as people read them', () => {
    expect(formatPath(['departments', 2, 'code'])).toBe('departments[2].code');
    expect(formatPath(['calendar', 'holidays', '2026', 3])).toBe('calendar.holidays["2026"][3]');
  });
});
