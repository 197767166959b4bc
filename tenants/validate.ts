/**
 * Validates one tenant manifest file (`tenants/<code>/manifest.json`) for the onboarding command.
 *
 * A manifest is the only way a tenant comes into being, and the people who write it are a county's platform
 * staff, not developers. So every problem comes back as `{ file, field, message, fix }`: where it is (with
 * line and column), what is wrong, and what to write instead, Chinese first. All problems are reported at
 * once, except that the schema's cross-field rules (parent of a county, duplicate department codes…) only run
 * once the basic shape is right, which is how the contracts' zod schema works.
 *
 * Beyond `TenantManifest` this checks what one file can know: the code is a GB/T 2260 division on the given
 * day, the Chinese name and the parent agree with the division table, the folder is named by the code, no
 * field is misspelt (zod would silently drop it and apply a default), the calendar is self-consistent.
 * Reading the file is the only I/O; `validateManifestText` is the pure core.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { DIVISIONS, findDivision, TenantManifest, type Division } from '../contracts';
import { formatPath, locate, scanJson, stripBom, type PathSegment, type SourcePosition } from './json-source';

/** One problem in a manifest, in the words of the person who has to fix it. */
export interface ManifestError {
  /** The file as the caller named it. */
  file: string;
  /** The field path, e.g. `departments[2].code`; `(json)` for syntax errors, `(file)` for unreadable files. */
  field: string;
  /** What is wrong, Chinese first, then English. */
  message: string;
  /** What to write instead, Chinese first, then English. */
  fix: string;
  line?: number;
  column?: number;
}

export type ManifestValidation =
  | { ok: true; manifest: TenantManifest; warnings: ManifestError[] }
  | { ok: false; errors: ManifestError[] };

export interface ValidateOptions {
  /** The day (YYYY-MM-DD, Asia/Shanghai) on which the division code must be valid. Defaults to today. */
  today?: string;
}

/** Keys a person may add anywhere for notes; the schema ignores them. */
const META_KEYS = new Set(['$comment', '$schema']);

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

function todayInShanghai(): string {
  return new Date(Date.now() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Validates `tenants/<code>/manifest.json`. `path` may also be the tenant folder itself (what the onboarding
 * command is given), in which case its `manifest.json` is read.
 */
export function validateManifestFile(path: string, options: ValidateOptions = {}): ManifestValidation {
  let file = path;
  let text: string;
  try {
    if (statSync(path).isDirectory()) file = join(path, 'manifest.json');
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在 / file not found' : `无法读取文件 / cannot read the file (${String(e)})`;
    return {
      ok: false,
      errors: [{
        file,
        field: '(file)',
        message: reason,
        fix: '清单放在 tenants/<六位代码>/manifest.json / put the manifest at tenants/<six-digit code>/manifest.json',
      }],
    };
  }
  return validateManifestText(text, file, options);
}

/** The pure core: validates manifest text as if it were read from `file` (whose folder must be the code). */
export function validateManifestText(text: string, file: string, options: ValidateOptions = {}): ManifestValidation {
  const today = options.today ?? todayInShanghai();
  const source = stripBom(text);
  const scan = scanJson(source);
  if (!scan.ok) {
    const { line, column } = scan.problem.position;
    return {
      ok: false,
      errors: [{
        file,
        field: '(json)',
        message: `JSON 语法错误，第 ${line} 行第 ${column} 列：${scan.problem.message} (JSON syntax error at line ${line}, column ${column})`,
        fix: scan.problem.fix,
        line,
        column,
      }],
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (e) {
    // The scanner and JSON.parse agree (a property test checks it); this is a safety net with less detail.
    return {
      ok: false,
      errors: [{ file, field: '(json)', message: `JSON 语法错误 / JSON syntax error: ${(e as Error).message}`, fix: '检查逗号、引号和括号 / check the commas, quotes and brackets' }],
    };
  }
  const at = (path: readonly PathSegment[], key = false): Partial<SourcePosition> => locate(scan.positions, path, key) ?? {};
  const errors: ManifestError[] = [];
  const push = (path: readonly PathSegment[], message: string, fix: string, key = false): void => {
    errors.push({ file, field: formatPath(path) || '(root)', message, fix, ...at(path, key) });
  };

  const rawObj = isRecord(raw) ? raw : undefined;
  const code = rawObj && typeof rawObj.code === 'string' && /^\d{6}$/.test(rawObj.code) ? rawObj.code : undefined;
  const division = code === undefined ? undefined : findDivision(code, today);

  // 1. The schema.
  const parsed = TenantManifest.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
      push(path, messageFor(issue, valueAt(raw, path)), fixFor(issue, path, raw, division), issue.code === 'invalid_key');
    }
  }

  // 2. Misspelt fields, which zod would drop silently (a typo in "timeLimits" would leave no time limits).
  for (const u of unknownFields(TenantManifest, raw, [])) {
    const suggestion = closest(u.key, u.known);
    push(
      u.path,
      `未知字段 "${u.key}" / unknown field "${u.key}"`,
      suggestion
        ? `改为 "${suggestion}"，或删除该字段 / rename it to "${suggestion}", or remove it`
        : `删除该字段；允许的字段：${u.known.join(', ')} / remove it; allowed fields: ${u.known.join(', ')}`,
      true,
    );
  }

  // 3. The division table, the folder, the parent.
  if (rawObj && code !== undefined) {
    const folder = basename(dirname(file));
    if (folder !== code) {
      push(['code'], `文件夹名 ${folder} 与代码 ${code} 不一致 / the folder ${folder} does not match the code ${code}`,
        `把文件夹改名为 tenants/${code}，或把 code 改为 "${folder}" / rename the folder to tenants/${code}, or set code to "${folder}"`);
    }
    if (division === undefined) {
      push(['code'], ...unknownCode(code, today));
    } else {
      const name = isRecord(rawObj.name) ? rawObj.name.zh : undefined;
      if (typeof name === 'string' && name !== '' && name !== division.name) {
        push(['name', 'zh'], `名称 "${name}" 与区划表中 ${code} 的名称 "${division.name}" 不一致 / the name does not match the division table (${division.name})`,
          `写 "${division.name}" / write "${division.name}"`);
      }
      const parent = rawObj.parent;
      if (typeof parent === 'string' && /^\d{6}$/.test(parent)) {
        const parentDivision = findDivision(parent, today);
        if (parentDivision === undefined) {
          push(['parent'], `上级代码 ${parent} 不在区划表中（${today}）/ the parent ${parent} is not a division valid on ${today}`,
            parentFix(division));
        } else if (parent !== division.parent) {
          push(['parent'], `${division.name} 的上级不是 ${parent} ${parentDivision.name} / ${parent} is not the parent of ${code} in the division table`,
            parentFix(division));
        }
      }
    }
  }

  if (errors.length > 0 || !parsed.success) return { ok: false, errors: byLine(errors) };

  // 4. The calendar and time limits, once the shape is right.
  const manifest = parsed.data;
  const warnings: ManifestError[] = [];
  const warn = (path: readonly PathSegment[], message: string, fix: string): void => {
    warnings.push({ file, field: formatPath(path), message, fix, ...at(path) });
  };
  checkCalendar(manifest, push, warn, today);
  manifest.timeLimits.forEach((t, i) => {
    if (t.urgency === 'urgent' && t.clock === 'working') {
      warn(['timeLimits', i, 'clock'], `紧急类时限通常连续计时，这里按工作时间计时 / urgent limits usually run on the continuous clock`,
        `如无特殊规定，写 "continuous" / unless your 立结案标准 says otherwise, write "continuous"`);
    }
  });
  if (errors.length > 0) return { ok: false, errors: byLine(errors) };
  return { ok: true, manifest, warnings: byLine(warnings) };
}

/** Top-down, so the list reads in the order of the file (stable for problems on the same line). */
const byLine = (list: ManifestError[]): ManifestError[] =>
  [...list].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));

type Report = (path: readonly PathSegment[], message: string, fix: string) => void;

function checkCalendar(m: TenantManifest, error: Report, warn: Report, today: string): void {
  const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const periods = m.calendar.workingHours.map((p, i) => ({ i, start: minutes(p.start), end: minutes(p.end), p }));
  for (const { i, start, end, p } of periods) {
    if (start >= end) {
      error(['calendar', 'workingHours', i], `时段 ${p.start}–${p.end} 的开始不早于结束 / the period starts at or after its end`,
        '写成开始早于结束，例如 {"start": "08:00", "end": "12:00"}；不支持跨午夜的时段 / make start earlier than end; periods cannot cross midnight');
    }
  }
  const sorted = [...periods].sort((a, b) => a.start - b.start);
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1]!;
    const cur = sorted[k]!;
    if (cur.start < prev.end) {
      error(['calendar', 'workingHours', cur.i], `时段 ${cur.p.start}–${cur.p.end} 与 ${prev.p.start}–${prev.p.end} 重叠 / working periods overlap`,
        '调整时段使其互不重叠，例如 08:00–12:00 与 14:00–18:00 / make the periods disjoint, e.g. 08:00–12:00 and 14:00–18:00');
    }
  }

  const holidayDays = new Set(Object.values(m.calendar.holidays).flat());
  for (const list of ['holidays', 'adjustedWorkdays'] as const) {
    for (const [year, days] of Object.entries(m.calendar[list])) {
      days.forEach((day, i) => {
        const path = ['calendar', list, year, i];
        if (!day.startsWith(`${year}-`)) {
          error(path, `${day} 不属于 ${year} 年 / ${day} is listed under ${year}`,
            `移到 "${day.slice(0, 4)}" 下，或改正日期 / move it under "${day.slice(0, 4)}", or correct the date`);
        }
        if (list === 'adjustedWorkdays') {
          if (holidayDays.has(day)) {
            error(path, `${day} 同时列为节假日和调休上班日 / ${day} is both a holiday and an adjusted workday`,
              '按国务院办公厅通知删除其中一处 / keep it in only one list, as the State Council notice says');
          } else if (m.calendar.workdays.includes(isoWeekday(day))) {
            warn(path, `${day} 本来就是工作日，列为调休上班日没有作用 / ${day} is a regular workday already`,
              '调休上班日应是周六或周日，核对日期 / adjusted workdays are weekend days; check the date');
          }
        }
      });
    }
  }

  // Holidays are published each November or December for the next year; a missing year silently counts
  // weekday holidays as working time, so say so (not an error: onboarding must not stop on 1 January).
  const year = Number(today.slice(0, 4));
  const needed = [year, ...(today.slice(5, 7) >= '11' ? [year + 1] : [])];
  for (const y of needed) {
    if (!(String(y) in m.calendar.holidays)) {
      warn(['calendar', 'holidays'], `日历缺少 ${y} 年的法定节假日 / the calendar has no public holidays for ${y}`,
        `按国务院办公厅关于 ${y} 年部分节假日安排的通知补上 "${y}" 的 holidays 和 adjustedWorkdays / add holidays and adjustedWorkdays for "${y}" from the State Council notice`);
    }
  }
}

/** ISO weekday (1 = Monday) of a YYYY-MM-DD day, independent of the machine's time zone. */
function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

function parentFix(division: Division): string {
  if (division.parent === null) return '省级写 null / a province has "parent": null';
  const p = DIVISIONS.find((d) => d.code === division.parent);
  return `写 "${division.parent}"${p ? `（${p.name}）` : ''} / write "${division.parent}"`;
}

function unknownCode(code: string, today: string): [string, string] {
  const old = DIVISIONS.find((d) => d.code === code);
  if (old && old.validTo !== null && old.validTo < today) {
    const stem = stemOf(old.name);
    const successor = DIVISIONS.find((d) => d.code !== code && d.parent === old.parent && stemOf(d.name) === stem && findDivision(d.code, today));
    return [
      `代码 ${code}（${old.name}）已于 ${old.validTo} 停用 / ${code} (${old.name}) was retired on ${old.validTo}`,
      successor
        ? `改用现行代码 "${successor.code}"（${successor.name}），并把文件夹改名为 tenants/${successor.code} / use the current code "${successor.code}" and rename the folder`
        : '改用现行的 GB/T 2260 代码 / use the current GB/T 2260 code',
    ];
  }
  if (old) {
    return [`代码 ${code} 在 ${today} 尚未生效（自 ${old.validFrom} 起）/ ${code} is valid only from ${old.validFrom}`, '生效后再接入 / onboard it once the code is in force'];
  }
  return [
    `代码 ${code} 不在行政区划表中（${today}）/ ${code} is not a GB/T 2260 division valid on ${today}`,
    '核对六位代码（例如 浏阳市 430181）；新设区划须先登记到 contracts/src/divisions.ts / check the code (e.g. 430181 for 浏阳市); a new division must first be added to contracts/src/divisions.ts',
  ];
}

const stemOf = (name: string): string => name.replace(/(土家族苗族自治州|自治县|自治州|县|市|区)$/, '');

// ---------------------------------------------------------------------------------------------------------
// zod issues → messages and fixes

type Issue = z.core.$ZodIssue;

/** Chinese for the contracts' own messages; anything not listed is shown in English only. */
const ZH_MESSAGES: readonly [RegExp, string][] = [
  [/^a GB\/T 2260 code has six digits$/, 'GB/T 2260 代码是六位数字'],
  [/^give the Chinese name \(zh\)$/, '请填写中文名称'],
  [/^give the English name \(en\)$/, '请填写英文名称'],
  [/^write times as HH:MM/, '时间要写成 24 小时制 HH:MM'],
  [/^write days as YYYY-MM-DD$/, '日期要写成 YYYY-MM-DD'],
  [/^a department code is/, '部门代码为 2–32 位字母、数字或连字符'],
  [/^a phone number has/, '电话号码为 5–20 位数字'],
  [/^a step is written like/, '环节要写成 领域.环节 的形式'],
  [/^a time limit is a positive number of hours$/, '时限必须是大于 0 的小时数'],
  [/^bounds are \[west, south, east, north\]/, '范围应为 [西, 南, 东, 北]，且西 < 东、南 < 北'],
  [/^a province code ends in 0000 and has no parent$/, '省级代码以 0000 结尾，且没有上级'],
  [/^a (city|county) needs its parent's code$/, '市级、县级必须填写上级代码'],
  [/^a city code ends in 00 \(but not 0000\)$/, '市级代码以 00 结尾（但不是 0000）'],
  [/^a county code does not end in 00$/, '县级代码不以 00 结尾'],
  [/^the parent must be in the same province/, '上级必须在同一个省内（前两位相同）'],
  [/^only a county can be integrated with its city/, '只有县级可以与所在市共用平台（市县一体化）'],
  [/^department code .+ is used twice$/, '部门代码重复'],
  [/ is given twice$/, '同一环节、同一紧急程度的时限重复'],
];

function messageFor(issue: Issue, value: unknown): string {
  const known = ZH_MESSAGES.find(([re]) => re.test(issue.message));
  if (known) return `${known[1]} / ${issue.message}`;
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined
        ? `缺少必填字段 / required field is missing`
        : `类型不对：应为 ${zhType(issue.expected)}，实际是 ${zhType(typeOf(value))} / expected ${issue.expected}, got ${typeOf(value)}`;
    case 'invalid_value':
      return `取值不在允许范围内 / ${issue.message}`;
    case 'invalid_key':
      return `键名不对 / invalid key: ${issue.issues.map((i) => i.message).join('; ')}`;
    case 'too_small':
    case 'too_big':
      return `数值或长度超出范围 / ${issue.message}`;
    case 'invalid_format':
      return `格式不对 / ${issue.message}`;
    default:
      return issue.message;
  }
}

const ZH_TYPES: Record<string, string> = {
  string: '文字（加双引号）', number: '数字', boolean: 'true/false', array: '列表 [...]', object: '对象 {...}', null: 'null', undefined: '空',
};
const zhType = (t: string): string => ZH_TYPES[t] ?? t;
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The path with indices and year keys replaced by `*`, to pick a fix. */
function pattern(path: readonly PathSegment[]): string {
  return path
    .map((seg, i) => (typeof seg === 'number' || path[i - 1] === 'holidays' || path[i - 1] === 'adjustedWorkdays' ? '*' : seg))
    .join('.');
}

const FIXES: Record<string, string> = {
  schemaVersion: '写 1 / write "schemaVersion": 1',
  code: '写六位 GB/T 2260 代码，与文件夹名相同，例如 "430181" / write the six-digit GB/T 2260 code, the same as the folder name, e.g. "430181"',
  name: '写 {"zh": "中文名", "en": "English name"} / write {"zh": "…", "en": "…"}',
  'name.en': '写英文名称，例如 "Liuyang" / write the English name, e.g. "Liuyang"',
  level: '写 "province"（省）、"city"（市州）或 "county"（县市区，县级市也写 county）/ write "province", "city" or "county" (a county-level city is a county)',
  platform: '写 "own-platform"（独立平台）或 "integrated-with-city"（市县一体化，仅限县级）/ write "own-platform" or "integrated-with-city" (counties only)',
  departments: '写部门列表 [{"code": …, "name": {…}, "responsibilities": […]}] / write a list of departments',
  'departments.*': '写 {"code": "CGZF", "name": {"zh": "…", "en": "…"}, "responsibilities": ["事项：…"]} / write one department object',
  'departments.*.code': '用 2–32 位字母、数字或连字符，例如 "CGZF" / use 2–32 letters, digits or dashes, e.g. "CGZF"',
  'departments.*.name': '写 {"zh": "部门全称", "en": "English name"} / write the department\'s names',
  'departments.*.name.zh': '写部门中文全称，例如 "浏阳市城市管理和综合执法局" / write the full Chinese name of the department',
  'departments.*.name.en': '写部门英文名称 / write the department\'s English name',
  'departments.*.responsibilities': '写职责列表，例如 ["部件：雨水井盖", "事项：道路积水"] / write a list of responsibilities',
  'departments.*.responsibilities.*': '写一条非空职责，例如 "部件：雨水井盖" / write a non-empty responsibility, e.g. "部件：雨水井盖"',
  'departments.*.phone': '写电话号码，例如 "0731-12345678"，或删除该字段 / write a phone number like "0731-12345678", or remove the field',
  bounds: '写 [西经, 南纬, 东经, 北纬]（WGS84 度），例如 [113.17, 27.85, 114.25, 28.57] / write [west, south, east, north] in WGS84 degrees',
  'bounds.*': '经度在 73–136 之间，纬度在 3–54 之间，写数字不加引号 / longitudes are 73–136 and latitudes 3–54, as plain numbers',
  calendar: '写工作日历 {"timezone": "Asia/Shanghai", "workingHours": […], "workdays": [1,2,3,4,5], "holidays": {…}, "adjustedWorkdays": {…}} / write the working calendar',
  'calendar.timezone': '写 "Asia/Shanghai" / write "Asia/Shanghai"',
  'calendar.workingHours': '写工作时段列表，例如 [{"start": "08:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}] / write the working periods',
  'calendar.workdays': '写 1–7 的列表（1 = 周一），例如 [1, 2, 3, 4, 5] / write ISO weekdays 1–7 (1 = Monday), e.g. [1, 2, 3, 4, 5]',
  'calendar.workdays.*': '写 1–7 的整数（1 = 周一，7 = 周日）/ write an integer 1–7 (1 = Monday, 7 = Sunday)',
  'calendar.holidays': '写 {"2026": ["2026-01-01", …]}，年份为键 / write {"2026": ["2026-01-01", …]} keyed by year',
  'calendar.holidays.*': '年份写成四位数字，值为日期列表，例如 "2026": ["2026-10-01"] / key by four-digit year, e.g. "2026": ["2026-10-01"]',
  'calendar.holidays.*.*': '日期写成 YYYY-MM-DD，例如 "2026-10-01" / write the day as YYYY-MM-DD, e.g. "2026-10-01"',
  'calendar.adjustedWorkdays': '写 {"2026": ["2026-01-04", …]}，年份为键 / write {"2026": ["2026-01-04", …]} keyed by year',
  'calendar.adjustedWorkdays.*': '年份写成四位数字，值为日期列表，例如 "2026": ["2026-01-04"] / key by four-digit year, e.g. "2026": ["2026-01-04"]',
  'calendar.adjustedWorkdays.*.*': '日期写成 YYYY-MM-DD，例如 "2026-01-04" / write the day as YYYY-MM-DD, e.g. "2026-01-04"',
  timeLimits: '写时限列表 [{"step": "supervision.feedback", "urgency": "ordinary", "hours": 16, "clock": "working"}] / write a list of time limits',
  'timeLimits.*': '写 {"step": "supervision.feedback", "urgency": "ordinary", "hours": 16, "clock": "working"} / write one time limit',
  'timeLimits.*.step': '写成 领域.环节，例如 "supervision.feedback" / write domain.step, e.g. "supervision.feedback"',
  'timeLimits.*.urgency': '写 "urgent"（紧急）或 "ordinary"（一般）/ write "urgent" or "ordinary"',
  'timeLimits.*.hours': '写大于 0 的小时数，例如 16；半小时写 0.5 / write a number of hours above 0, e.g. 16 (half an hour is 0.5)',
  'timeLimits.*.clock': '写 "working"（按工作时间计时，一般类）或 "continuous"（连续计时，紧急类）/ write "working" (working hours) or "continuous" (every hour)',
  contacts: '写联系人列表 [{"role": …, "name": …, "phone": …}] / write a list of contacts',
  'contacts.*': '写 {"role": "平台管理员", "name": "…", "phone": "0731-…"} / write one contact',
  'contacts.*.role': '写岗位，例如 "平台管理员" / write the role, e.g. "platform administrator"',
  'contacts.*.name': '写联系人姓名 / write the contact\'s name',
  'contacts.*.phone': '写电话号码，例如 "0731-12345678" / write a phone number, e.g. "0731-12345678"',
  'contacts.*.email': '写电子邮箱，例如 "ops@example.org"，或删除该字段 / write an e-mail address, or remove the field',
};

function fixFor(issue: Issue, path: readonly PathSegment[], root: unknown, division: Division | undefined): string {
  const p = pattern(path);
  const value = valueAt(root, path);
  const levelForCode = (code: unknown): string | undefined =>
    typeof code === 'string' && /^\d{6}$/.test(code) ? (code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'city' : 'county') : undefined;

  if (issue.code === 'custom') {
    if (p === 'platform') return '改为 "own-platform" / write "own-platform"';
    if (p === 'parent') return division ? parentFix(division) : '写上级区划的六位代码，例如 "430100" / write the parent\'s six-digit code, e.g. "430100"';
    if (p === 'level') {
      return '按代码确定级别：以 0000 结尾写 "province"（parent 写 null），以 00 结尾写 "city"，其余写 "county" / the code decides the level: …0000 is "province" (parent null), …00 is "city", anything else "county"';
    }
    if (p === 'departments.*.code') return '改成本清单中未使用的代码 / choose a code not used by another department in this file';
    if (p === 'timeLimits.*') return '删除重复的一行，或改 urgency / remove the duplicate row, or change its urgency';
    if (p === 'bounds' && Array.isArray(value)) {
      const [w, s, e, n] = value as number[];
      if (w !== undefined && e !== undefined && w >= e) return `西、东经度写反了：写 [${e}, ${s}, ${w}, ${n}] / west and east are swapped: write [${e}, ${s}, ${w}, ${n}]`;
      if (s !== undefined && n !== undefined && s >= n) return `南、北纬度写反了：写 [${w}, ${n}, ${e}, ${s}] / south and north are swapped: write [${w}, ${n}, ${e}, ${s}]`;
    }
  }
  if (p === 'name.zh' || p === 'name') {
    return division ? `写 "${division.name}" / write "${division.name}"` : FIXES[p] ?? '写中文名称 / write the Chinese name';
  }
  if (p === 'parent') {
    return division ? parentFix(division) : '写上级区划的六位代码（省级写 null），例如 "430100" / write the parent\'s six-digit code (null for a province)';
  }
  if (p === 'level') {
    const level = levelForCode(valueAt(root, ['code']));
    if (level) return `写 "${level}" / write "${level}"`;
  }
  if (/^calendar\.workingHours\.\*\.(start|end)$/.test(p)) {
    const better = typeof value === 'string' ? suggestTime(value) : undefined;
    return better
      ? `写 "${better}"（24 小时制，两位小时）/ write "${better}" (24-hour clock, two-digit hour)`
      : '写 24 小时制 HH:MM，例如 "08:00"、"14:00" / write HH:MM on the 24-hour clock, e.g. "08:00"';
  }
  if (issue.code === 'invalid_key' && (p === 'calendar.holidays.*' || p === 'calendar.adjustedWorkdays.*')) {
    return '年份写成四位数字，例如 "2026" / write the year with four digits, e.g. "2026"';
  }
  return FIXES[p] ?? '按提示改正该字段 / correct this field as the message says';
}

/** "8:00" → "08:00", "0800" → "08:00", "8点" → "08:00"; undefined when no sensible reading exists. */
function suggestTime(value: string): string | undefined {
  const m = /^(\d{1,2})(?::|：|点|\.)?(\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------
// unknown fields

interface UnknownField {
  path: PathSegment[];
  key: string;
  known: string[];
}

/**
 * Keys in `value` that `schema` does not declare, walking objects, arrays, records and wrappers. Uses zod 4's
 * `_zod.def`, the documented surface for code that inspects schemas.
 */
function unknownFields(schema: z.core.$ZodType, value: unknown, path: PathSegment[]): UnknownField[] {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'object': {
      if (!isRecord(value)) return [];
      const shape = (def as unknown as z.core.$ZodObjectDef).shape;
      const known = Object.keys(shape);
      return Object.keys(value).flatMap((key) => {
        const child = shape[key];
        if (child) return unknownFields(child, value[key], [...path, key]);
        return META_KEYS.has(key) ? [] : [{ path: [...path, key], key, known }];
      });
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((v, i) => unknownFields((def as unknown as z.core.$ZodArrayDef).element, v, [...path, i]))
        : [];
    case 'tuple':
      return Array.isArray(value)
        ? (def as unknown as z.core.$ZodTupleDef).items.flatMap((item, i) => unknownFields(item, value[i], [...path, i]))
        : [];
    case 'record':
      return isRecord(value)
        ? Object.entries(value).flatMap(([k, v]) => unknownFields((def as unknown as z.core.$ZodRecordDef).valueType, v, [...path, k]))
        : [];
    case 'pipe':
      return unknownFields((def as unknown as z.core.$ZodPipeDef).in, value, path);
    default: {
      const inner = def.innerType as z.core.$ZodType | undefined; // default, optional, nullable, readonly, catch…
      return inner ? unknownFields(inner, value, path) : [];
    }
  }
}

/** The known key nearest to a misspelt one (case-insensitive edit distance ≤ 3), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

// ---------------------------------------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Array.isArray(v) : !isRecord(v)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/**
 * Formats problems for the terminal, one block per problem:
 *
 * ```
 * tenants/430181/manifest.json:14:17  departments[1].code
 *   问题 / problem: 部门代码重复 / department code ZJ is used twice
 *   改法 / fix:     改成本清单中未使用的代码 / choose a code not used by another department in this file
 * ```
 */
export function formatErrors(errors: readonly ManifestError[]): string {
  if (errors.length === 0) return '';
  const blocks = errors.map((e) => {
    const where = e.line !== undefined ? `${e.file}:${e.line}:${e.column ?? 1}` : e.file;
    return `${where}  ${e.field}\n  问题 / problem: ${e.message}\n  改法 / fix:     ${e.fix}`;
  });
  const n = errors.length;
  return `${n} 处问题 / ${n} problem${n === 1 ? '' : 's'}\n\n${blocks.join('\n\n')}\n`;
}
