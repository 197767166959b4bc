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
  ]),
  department: tree('department', [{ path: 'handle', label: 'section.handle', ready: true }]),
  inspector: tree('inspector', [
    { path: 'report', label: 'section.report', ready: true },
    { path: 'verify', label: 'section.verify', ready: true },
  ]),
  enforcement: tree('enforcement', [{ path: 'cases', label: 'section.enforcementCases' }]),
  monitoring: tree('monitoring', [
    { path: 'map', label: 'section.map' },
    { path: 'alarms', label: 'section.alarms' },
  ]),
  leader: tree('leader', [
    { path: 'overview', label: 'section.overview' },
    { path: 'evaluation', label: 'section.evaluation', ready: true },
  ]),
  admin: tree('admin', [
    { path: 'org', label: 'section.org' },
    { path: 'grids', label: 'section.grids' },
    { path: 'catalogue', label: 'section.catalogue' },
    { path: 'evaluation', label: 'section.evaluation', ready: true },
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
