/**
 * Roles of the platform. A role is granted per tenant in the identity provider and arrives in the token;
 * the API checks roles, never user names. Province roles only exist on a province tenant.
 */
import { z } from 'zod';

export const PROVINCE_ROLES = ['province-admin', 'province-supervisor', 'province-analyst'] as const;
export const TENANT_ROLES = [
  'tenant-admin',
  'acceptor',
  'shift-leader',
  'dispatcher',
  'department-handler',
  'inspector',
  'enforcement-officer',
  'monitoring-operator',
  'leader',
] as const;
export const CITIZEN_ROLES = ['citizen'] as const;
export const ROLES = [...PROVINCE_ROLES, ...TENANT_ROLES, ...CITIZEN_ROLES] as const;

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Chinese first, English second: the names users see (also used by the web catalogue). */
export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  'province-admin': { zh: '省级管理员', en: 'Province administrator' },
  'province-supervisor': { zh: '省级督办员', en: 'Province supervisor' },
  'province-analyst': { zh: '省级分析员', en: 'Province analyst' },
  'tenant-admin': { zh: '平台管理员', en: 'Tenant administrator' },
  acceptor: { zh: '受理员', en: 'Acceptor' },
  'shift-leader': { zh: '值班长', en: 'Shift leader' },
  dispatcher: { zh: '派遣员', en: 'Dispatcher' },
  'department-handler': { zh: '专业部门', en: 'Department handler' },
  inspector: { zh: '监督员', en: 'Field inspector' },
  'enforcement-officer': { zh: '执法人员', en: 'Enforcement officer' },
  'monitoring-operator': { zh: '监测值守员', en: 'Monitoring operator' },
  leader: { zh: '领导', en: 'Leader' },
  citizen: { zh: '市民', en: 'Citizen' },
};

export const isProvinceRole = (role: Role): boolean => (PROVINCE_ROLES as readonly string[]).includes(role);
