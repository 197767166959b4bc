/** CMD-5 imports: the CSV reader accepts what spreadsheets and GIS tools write, and says where it is broken. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv } from './csv';

const fields = (text: string) => {
  const r = parseCsv(text);
  if (!r.ok) throw new Error(r.message.en);
  return r.rows.map((row) => row.fields);
};

describe('CMD-5 CSV reader', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    // Prepare
    const text = 'id,name,note\r\n1,"井盖, 供水","他说""破损"""\r\n2,路灯,"第一行\n第二行"\r\n';
    // Act
    const rows = fields(text);
    // Assess
    expect(rows).toEqual([
      ['id', 'name', 'note'],
      ['1', '井盖, 供水', '他说"破损"'],
      ['2', '路灯', '第一行\n第二行'],
    ]);
  });

  it('drops a UTF-8 BOM, skips blank lines and accepts a missing final line end', () => {
    expect(fields('\uFEFFa,b\n\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps empty fields', () => {
    expect(fields('a,,c\n,,\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('reports the line of an unclosed quote', () => {
    const r = parseCsv('a,b\n1,2\n3,"open\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.line).toBe(3);
      expect(r.message.zh).toContain('引号未闭合');
    }
  });

  it('refuses text after a closing quote', () => {
    const r = parseCsv('a\n"x"y\n');
    expect(r.ok).toBe(false);
  });

  it('reads back any table it wrote (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '井', ',', '"', '\n', '\r\n', ' ', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (table) => {
        const text = table.map(csvLine).join('\r\n');
        // Rows that are one empty field are written as "" so they survive; everything else must round-trip.
        expect(fields(text)).toEqual(table);
      }),
    );
  });
});
