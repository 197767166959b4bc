/**
 * One route tree per role group. Every role belongs to exactly one tree (checked by the compiler); a tree
 * lists its sections. A `ready` section has a page (app.tsx SECTION_PAGES); the others are modules that
 * arrive in later issues and show an honest "not yet available".
 */
import type { Role } from '../../../contracts';
import type { MessageKey } from '../i18n';

export type TreeId = 'command' | 'department' | 'inspector' | 'enforcement' | 'monitoring' | 'leader' | 'admin' | 'province' | 'citizen';

export const TREE_OF_ROLE = {
  'province-admin': 'province',
  'province-supervisor': 'province',
  'province-analyst': 'province',
  'tenant-admin': 'admin',
  acceptor: 'command',
  'shift-leader': 'command',
  dispatcher: 'command',
  'department-handler': 'department',
  inspector: 'inspector',
  'enforcement-officer': 'enforcement',
  'monitoring-operator': 'monitoring',
  leader: 'leader',
  citizen: 'citizen',
} as const satisfies Record<Role, TreeId>;

export interface Section {
  /** Path below the tree, without a slash. */
  path: string;
  label: MessageKey;
  /** The section has its page; without it the section says it is not yet available. */
  ready?: boolean;
  /** The section is a page of another tree this tree's roles may visit (e.g. `/monitoring/alarms`). */
  href?: `/${string}`;
  /** Shown only to these roles of the tree (default: every role of it). */
  roles?: readonly Role[];
}

export interface Tree {
  id: TreeId;
  path: `/${TreeId}`;
  label: MessageKey;
  sections: readonly Section[];
}

const tree = (id: TreeId, sections: Section[]): Tree => ({ id, path: `/${id}`, label: `tree.${id}`, sections });

export const TREES: Record<TreeId, Tree> = {
  command: tree('command', [
    { path: 'accept', label: 'section.accept', ready: true },
    { path: 'dispatch', label: 'section.dispatch', ready: true },
    { path: 'close', label: 'section.close', ready: true },
    { path: 'evaluation', label: 'section.evaluation', ready: true },
    { path: 'monitoring', label: 'section.map', href: '/monitoring', roles: ['shift-leader', 'dispatcher'] },
    { path: 'alarms', label: 'section.alarms', href: '/monitoring/alarms', roles: ['shift-leader', 'dispatcher'] },
  ]),
  department: tree('department', [{ path: 'handle', label: 'section.handle', ready: true }]),
  inspector: tree('inspector', [
    { path: 'report', label: 'section.report', ready: true },
    { path: 'verify', label: 'section.verify', ready: true },
    { path: 'patrol', label: 'section.myPatrol', ready: true },
  ]),
  enforcement: tree('enforcement', [{ path: 'cases', label: 'section.enforcementCases' }]),
  // The home of the monitoring tree is the one-map (监测一张图); devices/:id is a route of the tree too
  // (app.tsx TREE_ROUTES) without a menu entry.
  monitoring: tree('monitoring', [
    { path: 'alarms', label: 'section.alarms', ready: true },
    { path: 'devices', label: 'section.devices', ready: true },
    { path: 'dead-letters', label: 'section.deadLetters', ready: true },
    { path: 'patrol', label: 'section.patrol', ready: true },
    { path: 'risk-map', label: 'section.riskMap', ready: true },
    { path: 'risks', label: 'section.risks', ready: true },
    { path: 'hazards', label: 'section.hazards', ready: true },
    { path: 'plans', label: 'section.plans', ready: true },
  ]),
  leader: tree('leader', [
    { path: 'overview', label: 'section.overview' },
    { path: 'evaluation', label: 'section.evaluation', ready: true },
    { path: 'monitoring', label: 'section.map', href: '/monitoring' },
    { path: 'alarms', label: 'section.alarms', href: '/monitoring/alarms' },
    { path: 'patrol', label: 'section.patrol', href: '/monitoring/patrol' },
    { path: 'risk-map', label: 'section.riskMap', href: '/monitoring/risk-map' },
    { path: 'plans', label: 'section.plans', href: '/monitoring/plans' },
  ]),
  admin: tree('admin', [
    { path: 'org', label: 'section.org' },
    { path: 'grids', label: 'section.grids' },
    { path: 'catalogue', label: 'section.catalogue' },
    { path: 'evaluation', label: 'section.evaluation', ready: true },
    { path: 'monitoring', label: 'section.map', href: '/monitoring' },
    { path: 'alarms', label: 'section.alarms', href: '/monitoring/alarms' },
    { path: 'devices', label: 'section.devices', href: '/monitoring/devices' },
    { path: 'dead-letters', label: 'section.deadLetters', href: '/monitoring/dead-letters' },
    { path: 'patrol', label: 'section.patrol', href: '/monitoring/patrol' },
    { path: 'risk-map', label: 'section.riskMap', href: '/monitoring/risk-map' },
    { path: 'risks', label: 'section.risks', href: '/monitoring/risks' },
    { path: 'hazards', label: 'section.hazards', href: '/monitoring/hazards' },
    { path: 'plans', label: 'section.plans', href: '/monitoring/plans' },
  ]),
  province: tree('province', [
    { path: 'monitoring', label: 'section.provinceMonitoring' },
    { path: 'evaluation', label: 'section.evaluation' },
  ]),
  citizen: tree('citizen', [
    { path: 'snap', label: 'section.snap' },
    { path: 'requests', label: 'section.myRequests' },
  ]),
};

/** The tree a role works in. */
export const treeOf = (role: Role): Tree => TREES[TREE_OF_ROLE[role]];

/** Where a role lands after sign-in. */
export const homePathFor = (role: Role): string => treeOf(role).path;

/** The user's roles that work in a tree, in the order the token lists them. */
export const rolesInTree = (roles: readonly Role[], id: TreeId): Role[] => roles.filter((r) => TREE_OF_ROLE[r] === id);

/** Roles that may read the province-wide paths (tenant list, other tenants' profiles). */
export const hasProvinceRole = (roles: readonly Role[]): boolean => roles.some((r) => TREE_OF_ROLE[r] === 'province');

/** Province roles that may assign and review supervision items; the analyst only reads. */
export const SUPERVISING_ROLES: readonly Role[] = ['province-admin', 'province-supervisor'];

/** Tenant roles that answer the province's supervision items (督办 inbox). */
export const SUPERVISION_INBOX_ROLES: readonly Role[] = ['tenant-admin', 'leader', 'shift-leader'];

/**
 * Roles that may enter another tree without working in it: they keep their own role (and menu) and see the
 * visited tree's pages. The monitoring one-map, alarms and devices are read by the tenant admin (who also
 * manages devices), leaders, shift leaders and dispatchers (the API's viewers of /v1/devices and /v1/alarms).
 */
export const TREE_VISITORS: Readonly<Partial<Record<TreeId, readonly Role[]>>> = {
  monitoring: ['tenant-admin', 'leader', 'shift-leader', 'dispatcher'],
};

/** The user's roles that may visit a tree (see TREE_VISITORS), in token order. */
export const visitorRolesOf = (roles: readonly Role[], id: TreeId): Role[] => roles.filter((r) => TREE_VISITORS[id]?.includes(r) ?? false);

/** Where a section's link leads. */
export const sectionHref = (tree: Tree, section: Section): string => section.href ?? `${tree.path}/${section.path}`;

/** The sections of a tree a role sees in its menu. */
export const visibleSections = (tree: Tree, role: Role | null): Section[] =>
  tree.sections.filter((s) => !s.roles || (role !== null && s.roles.includes(role)));

/*
 * Who may do what on the monitoring pages, as the API allows it (functions/src/api/routes/monitoring.ts); the
 * other visitors only read.
 */
/** Acknowledge and dispose of alarms (MON-3). */
export const ALARM_HANDLING_ROLES: readonly Role[] = ['monitoring-operator', 'tenant-admin'];
/** Register and import devices, issue new credentials, read the dead letters. */
export const DEVICE_MANAGER_ROLES: readonly Role[] = ['tenant-admin', 'monitoring-operator'];
/** Decommission a device. */
export const DECOMMISSION_ROLES: readonly Role[] = ['tenant-admin'];
/** Create patrol teams and plans, pause or end plans (MON-5); leaders only read the plans, tasks and statistics. */
export const PATROL_MANAGER_ROLES: readonly Role[] = ['tenant-admin', 'monitoring-operator'];
