import { describe, expect, it } from 'vitest';
import { PROVINCE_ROLES, ROLES } from '../../../contracts';
import { SECTION_PAGES } from '../app';
import { hasProvinceRole, homePathFor, rolesInTree, TREES, TREE_OF_ROLE } from './trees';

describe('role → route tree', () => {
  it('every role has a home in a tree', () => {
    for (const role of ROLES) {
      expect(TREES[TREE_OF_ROLE[role]], role).toBeDefined();
      expect(homePathFor(role)).toMatch(/^\/[a-z]+$/);
    }
  });

  it.each([
    ['acceptor', '/command'],
    ['shift-leader', '/command'],
    ['dispatcher', '/command'],
    ['department-handler', '/department'],
    ['inspector', '/inspector'],
    ['enforcement-officer', '/enforcement'],
    ['monitoring-operator', '/monitoring'],
    ['leader', '/leader'],
    ['tenant-admin', '/admin'],
    ['province-admin', '/province'],
    ['province-supervisor', '/province'],
    ['province-analyst', '/province'],
    ['citizen', '/citizen'],
  ] as const)('%s lands on %s', (role, path) => {
    expect(homePathFor(role)).toBe(path);
  });

  it('a user with several roles keeps the roles of one tree, in token order', () => {
    expect(rolesInTree(['leader', 'shift-leader', 'acceptor'], 'command')).toEqual(['shift-leader', 'acceptor']);
    expect(rolesInTree(['leader'], 'province')).toEqual([]);
  });

  it('only province roles read the province paths', () => {
    for (const role of PROVINCE_ROLES) expect(hasProvinceRole([role])).toBe(true);
    expect(hasProvinceRole(['tenant-admin', 'leader', 'dispatcher', 'citizen'])).toBe(false);
  });

  it('section paths are unique within a tree', () => {
    for (const tree of Object.values(TREES)) {
      const paths = tree.sections.map((s) => s.path);
      expect(new Set(paths).size, tree.id).toBe(paths.length);
    }
  });

  it('every ready section has its page, and only those', () => {
    const ready = Object.values(TREES).flatMap((tree) => tree.sections.filter((s) => s.ready).map((s) => `${tree.id}/${s.path}`));
    expect(Object.keys(SECTION_PAGES).sort()).toEqual(ready.sort());
    expect(ready).toEqual(expect.arrayContaining(['inspector/report', 'inspector/verify', 'department/handle', 'leader/evaluation', 'command/evaluation', 'admin/evaluation']));
  });
});
