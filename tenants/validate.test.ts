import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatErrors, validateManifestFile, type ManifestError, type ManifestValidation } from './validate';

const here = dirname(fileURLToPath(import.meta.url));
const TODAY = '2026-11-24';
const REAL = ['430000', '430100', '430181'] as const;

const readReal = (code: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(here, code, 'manifest.json'), 'utf8')) as Record<string, unknown>;

const tmp = mkdtempSync(join(tmpdir(), 'cityops-manifests-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** Writes `text` to <tmp>/<case>/<folder>/manifest.json and validates it on TODAY. */
function validateText(folder: string, text: string): ManifestValidation & { file: string } {
  const file = join(tmp, `case-${n++}`, folder, 'manifest.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return { ...validateManifestFile(file, { today: TODAY }), file };
}

/** A copy of a real manifest with one change, written into a folder named `folder` (default: its code). */
function validateChanged(code: string, change: (m: Record<string, any>) => void, folder = code) {
  const m = readReal(code);
  change(m);
  return validateText(folder, JSON.stringify(m, null, 2));
}

function errorsOf(result: ManifestValidation): ManifestError[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe('the real manifests', () => {
  it.each(REAL)('%s passes', (code) => {
    const result = validateManifestFile(join(here, code, 'manifest.json'), { today: TODAY });
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.ok && result.manifest.code).toBe(code);
  });

  it('accepts the tenant folder as well as the file (what `npm run tenant -- onboard tenants/<code>` is given)', () => {
    expect(validateManifestFile(join(here, '430181'), { today: TODAY }).ok).toBe(true);
  });

  it('nest geographically: 浏阳市 inside 长沙市 inside 湖南省', () => {
    const inside = (a: number[], b: number[]) => a[0]! >= b[0]! && a[1]! >= b[1]! && a[2]! <= b[2]! && a[3]! <= b[3]!;
    const [hunan, changsha, liuyang] = REAL.map((c) => readReal(c).bounds as number[]);
    expect(inside(changsha!, hunan!)).toBe(true);
    expect(inside(liuyang!, changsha!)).toBe(true);
  });

  it('carry the 2026 State Council holiday notice: 33 days off, adjusted workdays only on weekends', () => {
    for (const code of REAL) {
      const { holidays, adjustedWorkdays } = readReal(code).calendar as Record<string, Record<string, string[]>>;
      expect(holidays!['2026']).toHaveLength(33);
      for (const day of adjustedWorkdays!['2026']!) expect([0, 6]).toContain(new Date(`${day}T00:00:00Z`).getUTCDay());
    }
  });

  it('put the review limit in the province, and the feedback and case-loop limits in the city and county', () => {
    const steps = (code: string) => (readReal(code).timeLimits as { step: string }[]).map((t) => t.step);
    const caseSteps = ['case.verify', 'case.file', 'case.dispatch', 'case.handle', 'case.extension-approval', 'case.suspension-approval', 'case.suspended', 'case.check', 'case.escalation-interval'];
    expect(new Set(steps('430000'))).toEqual(new Set(['supervision.review']));
    expect(new Set(steps('430100'))).toEqual(new Set(['supervision.feedback', ...caseSteps]));
    expect(new Set(steps('430181'))).toEqual(new Set(['supervision.feedback', ...caseSteps]));
  });

  it('warn that the 2027 holidays are not listed yet', () => {
    const result = validateManifestFile(join(here, '430100'), { today: TODAY });
    expect(result.ok && result.warnings.map((w) => w.message).join()).toContain('2027');
  });
});

describe('bad manifests say where and what to write', () => {
  it('a JSON syntax error names the file, the line and the column', () => {
    const text = '{\n  "schemaVersion": 1,\n  "code": "430181"\n  "level": "county"\n}\n';
    const result = validateText('430181', text);
    const [error, ...rest] = errorsOf(result);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ file: result.file, field: '(json)', line: 4, column: 3 });
    expect(error!.message).toContain('第 4 行第 3 列');
    expect(error!.message).toContain('line 4, column 3');
    expect(formatErrors([error!])).toContain(`${result.file}:4:3`);
  });

  it('a trailing comma is pointed at with its fix', () => {
    const [error] = errorsOf(validateText('430181', '{\n  "code": "430181",\n}\n'));
    expect(error).toMatchObject({ field: '(json)', line: 3, column: 1 });
    expect(error!.fix).toContain('删除 } 前面的逗号');
  });

  it('missing name.zh asks for the division name', () => {
    const errors = errorsOf(validateChanged('430181', (m) => delete m.name.zh));
    expect(errors.map((e) => e.field)).toEqual(['name.zh']);
    expect(errors[0]!.message).toContain('缺少必填字段');
    expect(errors[0]!.fix).toContain('"浏阳市"');
  });

  it('a code that is not six digits', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.code = '43018')));
    expect(errors.map((e) => e.field)).toEqual(['code']);
    expect(errors[0]!.message).toContain('六位');
  });

  it('a code that is not in the division table', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.code = '430199'), '430199'));
    expect(errors.map((e) => e.field)).toEqual(['code']);
    expect(errors[0]!.message).toContain('430199 不在行政区划表中');
    expect(errors[0]!.fix).toContain('contracts/src/divisions.ts');
  });

  it('a retired code points to its successor (宁乡县 430124 → 宁乡市 430182)', () => {
    const errors = errorsOf(validateChanged('430181', (m) => {
      m.code = '430124';
      m.name.zh = '宁乡县';
    }, '430124'));
    expect(errors.map((e) => e.field)).toEqual(['code']);
    expect(errors[0]!.fix).toContain('"430182"');
  });

  it('a folder not named by the code', () => {
    const errors = errorsOf(validateChanged('430181', () => {}, '430182'));
    expect(errors.map((e) => e.field)).toEqual(['code']);
    expect(errors[0]!.fix).toContain('tenants/430181');
  });

  it('a name that differs from the division table', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.name.zh = '浏阳县')));
    expect(errors.map((e) => e.field)).toEqual(['name.zh']);
    expect(errors[0]!.fix).toContain('"浏阳市"');
  });

  it('a county with parent null is told its parent', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.parent = null)));
    expect(errors.map((e) => e.field)).toEqual(['parent']);
    expect(errors[0]!.fix).toContain('"430100"');
  });

  it('a parent that is not the division’s parent', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.parent = '430200')));
    expect(errors.map((e) => e.field)).toEqual(['parent']);
    expect(errors[0]!.fix).toContain('"430100"');
  });

  it('integrated-with-city on a city', () => {
    const errors = errorsOf(validateChanged('430100', (m) => (m.platform = 'integrated-with-city')));
    expect(errors.map((e) => e.field)).toEqual(['platform']);
    expect(errors[0]!.fix).toContain('"own-platform"');
  });

  it('a duplicate department code names the second one, with its line', () => {
    // departments[7] (a street office) is named by no dispatch rule, so the duplicate is the only problem.
    const result = validateChanged('430181', (m) => (m.departments[7].code = m.departments[0].code));
    const errors = errorsOf(result);
    expect(errors.map((e) => e.field)).toEqual(['departments[7].code']);
    const lines = readFileSync(result.file, 'utf8').split('\n');
    const codeLines = lines.flatMap((l, i) => (l.includes('"code": "CGZF"') ? [i + 1] : []));
    expect(errors[0]!.line).toBe(codeLines[1]);
  });

  it('working hours not written as HH:MM get the padded time', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.calendar.workingHours[0].start = '8:00')));
    expect(errors.map((e) => e.field)).toEqual(['calendar.workingHours[0].start']);
    expect(errors[0]!.fix).toContain('"08:00"');
  });

  it('overlapping working periods', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.calendar.workingHours[1].start = '11:00')));
    expect(errors.map((e) => e.field)).toEqual(['calendar.workingHours[1]']);
  });

  it('a time limit of zero hours', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.timeLimits[1].hours = 0)));
    expect(errors.map((e) => e.field)).toEqual(['timeLimits[1].hours']);
    expect(errors[0]!.message).toContain('大于 0');
  });

  it('bounds with west > east are shown swapped back', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.bounds = [114.25, 27.85, 113.17, 28.57])));
    expect(errors.map((e) => e.field)).toEqual(['bounds']);
    expect(errors[0]!.fix).toContain('[113.17, 27.85, 114.25, 28.57]');
  });

  it('a misspelt field is not dropped silently', () => {
    const errors = errorsOf(validateChanged('430181', (m) => {
      m.timelimits = m.timeLimits;
      delete m.timeLimits;
    }));
    // The misspelt key is reported with the right name; the limits it held are then reported missing too.
    const misspelt = errors.find((e) => e.field === 'timelimits');
    expect(misspelt?.fix).toContain('"timeLimits"');
    expect(errors.filter((e) => e.field !== 'timelimits').every((e) => e.field === 'timeLimits')).toBe(true);
  });

  it('a county without a time limit for a flow step is refused, naming the step (its flows would stop there)', () => {
    const errors = errorsOf(validateChanged('430181', (m) => {
      m.timeLimits = m.timeLimits.filter((t: { step: string; urgency: string }) => !(t.step === 'case.check' && t.urgency === 'urgent'));
    }));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe('timeLimits');
    expect(errors[0]!.message).toContain('case.check');
  });

  it('a holiday filed under the wrong year', () => {
    const errors = errorsOf(validateChanged('430181', (m) => m.calendar.holidays['2026'].push('2027-01-01')));
    expect(errors.map((e) => e.field)).toEqual(['calendar.holidays["2026"][33]']);
  });

  it('a missing file', () => {
    const errors = errorsOf(validateManifestFile(join(tmp, 'nowhere', '430181'), { today: TODAY }));
    expect(errors.map((e) => e.field)).toEqual(['(file)']);
  });
});

describe('formatErrors', () => {
  it('prints one block per problem with file:line:column, field, problem and fix', () => {
    const errors = errorsOf(validateChanged('430181', (m) => (m.timeLimits[1].hours = -2)));
    const text = formatErrors(errors);
    expect(text).toMatch(/manifest\.json:\d+:\d+ {2}timeLimits\[1\]\.hours/);
    expect(text).toContain('问题 / problem:');
    expect(text).toContain('改法 / fix:');
  });
});
