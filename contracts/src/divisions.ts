/**
 * GB/T 2260 administrative division codes, kept as dated data (codes change: 望城县 430122 → 望城区 430112).
 * Only the rows the platform needs so far; a tenant's code must be in this table on the day it is onboarded.
 */
import { z } from 'zod';

export const DivisionCode = z.string().regex(/^\d{6}$/, { message: 'a GB/T 2260 code has six digits' });
export type DivisionCode = z.infer<typeof DivisionCode>;

export const Division = z.object({
  code: DivisionCode,
  name: z.string(),
  parent: DivisionCode.nullable(),
  validFrom: z.iso.date(),
  validTo: z.iso.date().nullable(),
});
export type Division = z.infer<typeof Division>;

const row = (code: string, name: string, parent: string | null, validFrom = '1980-01-01', validTo: string | null = null): Division =>
  ({ code, name, parent, validFrom, validTo });

export const DIVISIONS: readonly Division[] = [
  row('430000', '湖南省', null),
  row('430100', '长沙市', '430000'),
  row('430102', '芙蓉区', '430100'),
  row('430103', '天心区', '430100'),
  row('430104', '岳麓区', '430100'),
  row('430105', '开福区', '430100'),
  row('430111', '雨花区', '430100'),
  row('430112', '望城区', '430100', '2011-05-01'),
  row('430122', '望城县', '430100', '1980-01-01', '2011-04-30'),
  row('430121', '长沙县', '430100'),
  row('430181', '浏阳市', '430100', '1993-01-01'),
  row('430182', '宁乡市', '430100', '2017-04-10'),
  row('430124', '宁乡县', '430100', '1980-01-01', '2017-04-09'),
  row('430200', '株洲市', '430000'),
  row('430202', '荷塘区', '430200'),
  row('430203', '芦淞区', '430200'),
  row('430204', '石峰区', '430200'),
  row('430211', '天元区', '430200'),
  row('430212', '渌口区', '430200', '2018-06-19'),
  row('430223', '攸县', '430200'),
  row('430224', '茶陵县', '430200'),
  row('430225', '炎陵县', '430200'),
  row('430281', '醴陵市', '430200'),
  row('430300', '湘潭市', '430000'),
  row('430302', '雨湖区', '430300'),
  row('430304', '岳塘区', '430300'),
  row('430321', '湘潭县', '430300'),
  row('430381', '湘乡市', '430300'),
  row('430382', '韶山市', '430300'),
  row('430400', '衡阳市', '430000'),
  row('430500', '邵阳市', '430000'),
  row('430521', '邵东县', '430500', '1980-01-01', '2019-07-19'),
  row('430582', '邵东市', '430500', '2019-07-20'),
  row('430600', '岳阳市', '430000'),
  row('430700', '常德市', '430000'),
  row('430800', '张家界市', '430000'),
  row('430900', '益阳市', '430000'),
  row('431000', '郴州市', '430000'),
  row('431100', '永州市', '430000'),
  row('431200', '怀化市', '430000'),
  row('431300', '娄底市', '430000'),
  row('433100', '湘西土家族苗族自治州', '430000'),
];

/** The division valid on a given day (ISO date), or undefined. */
export function findDivision(code: string, onDay: string): Division | undefined {
  return DIVISIONS.find((d) => d.code === code && d.validFrom <= onDay && (d.validTo === null || d.validTo >= onDay));
}
