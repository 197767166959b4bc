/**
 * A small RFC 4180 CSV reader for base-data imports (components, address points). Tenants export these from
 * spreadsheets and GIS tools, so it accepts what those write: a UTF-8 BOM, CRLF or LF line ends, quoted fields
 * with embedded commas, quotes ("") and line breaks, and a missing final line end. No CSV package is installed,
 * and the format is small enough not to need one.
 */

export interface CsvRow {
  /** 1-based line where the row starts (for error messages). */
  line: number;
  fields: string[];
}

export type CsvParse = { ok: true; rows: CsvRow[] } | { ok: false; line: number; message: { zh: string; en: string } };

/** Parse CSV text into rows of fields. Empty lines are skipped; fields are not trimmed. */
export function parseCsv(text: string): CsvParse {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let quoted = false;
  let sawAny = false; // the current row has content (so a lone line break is an empty line, not a row)

  const endRow = (): void => {
    if (sawAny || fields.length > 0) rows.push({ line: rowLine, fields: [...fields, field] });
    fields = [];
    field = '';
    sawAny = false;
  };

  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = src[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          return { ok: false, line, message: { zh: `第 ${line} 行：引号后应为逗号或换行`, en: `line ${line}: a closing quote must be followed by a comma or a line end` } };
        }
        continue;
      }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (field.length > 0) {
        return { ok: false, line, message: { zh: `第 ${line} 行：字段中间出现引号，应将整个字段用引号括起并把引号写成 ""`, en: `line ${line}: a quote inside an unquoted field; quote the whole field and write quotes as ""` } };
      }
      quoted = true;
      sawAny = true;
      i++;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      sawAny = true;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRow();
      if (ch === '\r' && src[i + 1] === '\n') i++;
      i++;
      line++;
      rowLine = line;
      continue;
    }
    field += ch;
    sawAny = true;
    i++;
  }
  if (quoted) return { ok: false, line: rowLine, message: { zh: `第 ${rowLine} 行：引号未闭合`, en: `line ${rowLine}: a quoted field is not closed` } };
  endRow();
  return { ok: true, rows };
}

/** Write one CSV line (quoting only where needed); the inverse of parseCsv for one row. */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) || (f === '' && fields.length === 1) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}
