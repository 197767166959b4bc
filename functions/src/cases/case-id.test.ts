import { describe, expect, it } from 'vitest';
import { Ulid } from '../../../contracts';
import { caseIdFor } from './cases';

describe('CMD-2 intake: the case id follows from tenant, reporter and client id (ADR 010)', () => {
  it('is the same for a repeated report, so a resent create meets the same key', () => {
    expect(caseIdFor('430100', 'u-1', 'c-1')).toBe(caseIdFor('430100', 'u-1', 'c-1'));
  });

  it('differs by reporter and by tenant: one person’s client id never reaches another person’s case', () => {
    const ids = new Set([caseIdFor('430100', 'u-1', 'c-1'), caseIdFor('430100', 'u-2', 'c-1'), caseIdFor('430181', 'u-1', 'c-1'), caseIdFor('430100', 'u-1', 'c-2')]);
    expect(ids.size).toBe(4);
  });

  it('has the shape of a ULID (26 Crockford characters, the first at most 7), so every id check holds', () => {
    for (let i = 0; i < 500; i++) {
      const id = caseIdFor('430100', `u-${i}`, `c-${i}`);
      expect(Ulid.safeParse(id).success).toBe(true);
      expect('01234567').toContain(id[0]);
    }
  });
});
