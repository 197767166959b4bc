/**
 * Where things are in a manifest's JSON text. `JSON.parse` on Node 20 reports syntax errors inconsistently
 * (sometimes a position, sometimes only the offending snippet, never a line), and gives no positions for
 * values at all. People onboarding a county edit these files by hand, so every error should say "line 12,
 * column 7". This scanner walks the text once and returns either the first syntax error with its line and
 * column, or the position of every value keyed by its field path (`departments[2].code`).
 *
 * It only locates; the value itself still comes from `JSON.parse`, so JSON semantics stay exactly the
 * platform's.
 */

/** 1-based line and column (columns count UTF-16 code units, which is what editors show for CJK text). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One segment of a field path: an object key or an array index. */
export type PathSegment = string | number;

export interface JsonSyntaxProblem {
  position: SourcePosition;
  /** Chinese first, then English. */
  message: string;
  fix: string;
}

export type JsonScan =
  | { ok: true; positions: ReadonlyMap<string, SourcePosition> }
  | { ok: false; problem: JsonSyntaxProblem };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** Formats a path the way people read it in JavaScript: `calendar.holidays["2026"][3]`, `departments[2].code`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Strips a UTF-8 byte-order mark, which Windows editors add and `JSON.parse` rejects. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Line and column of a character offset. */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

class SyntaxProblem extends Error {
  override name = 'SyntaxProblem';
  constructor(
    readonly offset: number,
    readonly zh: string,
    readonly en: string,
    readonly fixZh: string,
    readonly fixEn: string,
  ) {
    super(en);
  }
}

const GENERIC_FIX_ZH = '检查这个位置前后的逗号、引号和括号';
const GENERIC_FIX_EN = 'check the commas, quotes and brackets around this position';

/** Scans JSON text (without BOM) and returns value positions or the first syntax problem. */
export function scanJson(text: string): JsonScan {
  const positions = new Map<string, SourcePosition>();
  let i = 0;

  const ws = (): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else break;
    }
  };
  const describe = (at: number): string => (at >= text.length ? 'end of file' : JSON.stringify(text[at]));
  const fail = (zh: string, en: string, fixZh = GENERIC_FIX_ZH, fixEn = GENERIC_FIX_EN): never => {
    throw new SyntaxProblem(i, zh, en, fixZh, fixEn);
  };

  const string = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === undefined) break;
        if ('"\\/bfnrt'.includes(e)) {
          out += JSON.parse(`"\\${e}"`) as string;
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail('字符串里有无效的转义符', 'invalid escape in a string', '反斜杠 \\ 要写成 \\\\', 'write a backslash as \\\\');
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) {
        fail('字符串里不能直接换行或含控制字符', 'a string cannot contain a line break or control character',
          '把字符串写在一行内，或用 \\n 表示换行；也可能是前面少了右引号 "', 'keep the string on one line (use \\n), or add the missing closing quote "');
      }
      out += c;
      i++;
    }
    i = start;
    return fail('字符串没有结束（缺少右引号 "）', 'unterminated string (missing closing ")', '在字符串末尾补上 "', 'add the closing " at the end of the string');
  };

  const number = (): void => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail('数字格式不正确', 'malformed number', '数字写成 16 或 0.5 这样的形式', 'write numbers like 16 or 0.5');
    i += m[0].length;
  };

  const value = (path: PathSegment[]): void => {
    ws();
    positions.set(formatPath(path), positionAt(text, i));
    const c = text[i];
    if (c === '{') return object(path);
    if (c === '[') return array(path);
    if (c === '"') {
      string();
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    if (c === "'") fail('字符串要用双引号', 'strings use double quotes', "把单引号 ' 换成双引号 \"", "replace ' with \"");
    if (c === undefined) fail('文件在值之前结束', 'unexpected end of file where a value was expected', '补全缺少的值和括号', 'complete the missing value and brackets');
    fail(`这里应是一个值，却是 ${describe(i)}`, `expected a value, found ${describe(i)}`,
      '文字要加双引号，例如 "长沙市"；数字、true、false、null 不加', 'quote text like "长沙市"; numbers, true, false and null take no quotes');
  };

  const object = (path: PathSegment[]): void => {
    i++; // {
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === '}') fail('} 前面多了一个逗号', 'trailing comma before }', '删除 } 前面的逗号', 'remove the comma before }');
      if (text[i] !== '"') {
        fail(`这里应是加双引号的字段名，却是 ${describe(i)}`, `expected a field name in double quotes, found ${describe(i)}`,
          '字段名要加双引号，例如 "code"', 'quote field names, e.g. "code"');
      }
      const keyAt = i;
      const key = string();
      positions.set(`${formatPath([...path, key])}#key`, positionAt(text, keyAt));
      ws();
      if (text[i] !== ':') fail(`字段名后面应是冒号 :，却是 ${describe(i)}`, `expected ':' after the field name, found ${describe(i)}`, '在字段名后加冒号 :', "add ':' after the field name");
      i++;
      value([...path, key]);
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail(`这里应是逗号 , 或 }，却是 ${describe(i)}`, `expected ',' or '}', found ${describe(i)}`,
        '在上一行末尾补上逗号，或补上缺少的 }', "add the missing comma at the end of the previous line, or the missing '}'");
    }
  };

  const array = (path: PathSegment[]): void => {
    i++; // [
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      ws();
      if (text[i] === ']') fail('] 前面多了一个逗号', 'trailing comma before ]', '删除 ] 前面的逗号', 'remove the comma before ]');
      value([...path, index]);
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail(`这里应是逗号 , 或 ]，却是 ${describe(i)}`, `expected ',' or ']', found ${describe(i)}`,
        '在上一项末尾补上逗号，或补上缺少的 ]', "add the missing comma after the previous item, or the missing ']'");
    }
  };

  try {
    value([]);
    ws();
    if (i < text.length) {
      fail(`JSON 已结束，后面却还有 ${describe(i)}`, `unexpected ${describe(i)} after the end of the JSON`,
        '删除多余的内容，或检查前面的括号是否提前闭合', 'remove the extra text, or check for a bracket closed too early');
    }
    return { ok: true, positions };
  } catch (e) {
    if (!(e instanceof SyntaxProblem)) throw e;
    return {
      ok: false,
      problem: {
        position: positionAt(text, e.offset),
        message: `${e.zh} / ${e.en}`,
        fix: `${e.fixZh} / ${e.fixEn}`,
      },
    };
  }
}

/**
 * The position of a field, or of its nearest ancestor that exists in the text (a missing `name.zh` points at
 * `name`). `key: true` prefers the field's key over its value (for "unknown field" errors).
 */
export function locate(
  positions: ReadonlyMap<string, SourcePosition>,
  path: readonly PathSegment[],
  key = false,
): SourcePosition | undefined {
  for (let n = path.length; n >= 0; n--) {
    const p = formatPath(path.slice(0, n));
    const found = (key && n === path.length ? positions.get(`${p}#key`) : undefined) ?? positions.get(p);
    if (found) return found;
  }
  return undefined;
}
