import { describe, expect, it } from 'vitest';
import { PROVINCE_ROLES, ROLES } from '../../../contracts';
import { SECTION_PAGES } from '../app';
import { hasProvinceRole, homePathFor, rolesInTree, sectionHref, TREES, TREE_OF_ROLE, visibleSections, visitorRolesOf, type TreeId } from './trees';

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

  it('the tenant admin, leaders and shift leaders may visit the monitoring tree; others may not', () => {
    expect(visitorRolesOf(['acceptor', 'dispatcher', 'shift-leader', 'leader'], 'monitoring')).toEqual(['dispatcher', 'shift-leader', 'leader']);
    expect(visitorRolesOf(['tenant-admin'], 'monitoring')).toEqual(['tenant-admin']);
    expect(visitorRolesOf(['inspector', 'acceptor', 'department-handler'], 'monitoring')).toEqual([]);
    expect(visitorRolesOf(['tenant-admin'], 'command')).toEqual([]);
  });

  it('a menu entry into another tree only shows to roles allowed to visit it', () => {
    for (const tree of Object.values(TREES)) {
      const roles = Object.entries(TREE_OF_ROLE).filter(([, id]) => id === tree.id).map(([role]) => role as keyof typeof TREE_OF_ROLE);
      for (const section of tree.sections.filter((s) => s.href)) {
        const target = section.href!.split('/')[1] as TreeId;
        expect(TREES[target], section.href).toBeDefined();
        for (const role of section.roles ?? roles) expect(visitorRolesOf([role], target), `${tree.id}/${section.path} for ${role}`).toEqual([role]);
      }
    }
  });

  it('menus: the shift leader and dispatcher get the monitoring entries, the acceptor does not; hrefs lead to the monitoring pages', () => {
    const paths = (role: 'shift-leader' | 'dispatcher' | 'acceptor') => visibleSections(TREES.command, role).map((s) => sectionHref(TREES.command, s));
    expect(paths('shift-leader')).toEqual(['/command/accept', '/command/dispatch', '/command/close', '/command/evaluation', '/monitoring', '/monitoring/alarms']);
    expect(paths('dispatcher')).toEqual(paths('shift-leader'));
    expect(paths('acceptor')).toEqual(['/command/accept', '/command/dispatch', '/command/close', '/command/evaluation']);
    expect(visibleSections(TREES.admin, 'tenant-admin').map((s) => sectionHref(TREES.admin, s))).toEqual(
      expect.arrayContaining(['/monitoring', '/monitoring/alarms', '/monitoring/devices', '/monitoring/dead-letters']),
    );
    expect(visibleSections(TREES.monitoring, 'monitoring-operator').map((s) => sectionHref(TREES.monitoring, s))).toEqual(['/monitoring/alarms', '/monitoring/devices', '/monitoring/dead-letters', '/monitoring/patrol', '/monitoring/risk-map', '/monitoring/risks', '/monitoring/hazards', '/monitoring/plans']);
  });
});
