/** CMD-4 address normalisation: the same address typed differently compares equal, and the rules are stable. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigramSimilarity, normalizeAddress, splitHouseNumber } from './normalize';

describe('CMD-4 address normalisation', () => {
  it('unifies width, spaces, punctuation, variants and leading division names', () => {
    expect(normalizeAddress('湖南省长沙市芙蓉区 五一大道（东段）１８８號')).toBe('五一大道东段188号');
    expect(normalizeAddress('浏阳市金沙路36号3号楼')).toBe('金沙路36号3栋');
    expect(normalizeAddress('金沙路36号３＃')).toBe('金沙路36号3栋');
    expect(normalizeAddress('劳动路12号院')).toBe('劳动路12号');
    expect(normalizeAddress('圭斋路3-2-101')).toBe('圭斋路3-2-101号');
  });

  it('does not read a place name that starts like a division as the division (浏阳河 is not 浏阳市 + 河)', () => {
    expect(normalizeAddress('浏阳河大道1号')).toBe('浏阳河大道1号');
    expect(normalizeAddress('长沙市')).toBe('长沙市');
  });

  it('splits the road from the house number', () => {
    expect(splitHouseNumber('五一大道188号3栋')).toEqual({ road: '五一大道', number: 188 });
    expect(splitHouseNumber('坡子街')).toEqual({ road: '坡子街' });
  });

  it('reaches a fixed point on repeated markers (the property test’s counterexample)', () => {
    expect(normalizeAddress('3號院院')).toBe('3号');
    expect(normalizeAddress(normalizeAddress('3號院院'))).toBe('3号');
  });

  it('is idempotent (property)', () => {
    const unit = fc.constantFrom('五', '一', '大道', '号', '號', '栋', '幢', '#', '楼', '院', '-', '—', ' ', '　', '１', '2', '3', '长沙市', '芙蓉区', '(', 'a', 'Ａ');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), (parts) => {
        const once = normalizeAddress(parts.join(''));
        expect(normalizeAddress(once)).toBe(once);
      }),
    );
  });

  it('scores bigram similarity between 0 and 1', () => {
    expect(bigramSimilarity('五一大道188号', '五一大道188号')).toBe(1);
    expect(bigramSimilarity('五一大路188号', '五一大道188号')).toBeCloseTo(0.714, 2);
    expect(bigramSimilarity('a', '五一大道')).toBe(0);
  });
});
