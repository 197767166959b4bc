/**
 * Response shapes of the API that contracts/ does not (yet) declare, built from contracts' schemas so nothing
 * is written twice. When the lead adds these to contracts/, import them from there and delete them here.
 */
import { z } from 'zod';
import { DivisionCode, LocalizedName, Principal, Role, TenantProfile, SupervisionItem } from '../../../contracts';

/** GET /v1/config: how this deployment signs people in. */
export const AppConfig = z.object({
  runtime: z.enum(['local', 'aws']),
  auth: z.object({
    mode: z.enum(['dev-password', 'oidc']),
    issuer: z.string(),
    clientId: z.string().optional(),
    authorizeUrl: z.string().optional(),
    tokenUrl: z.string().optional(),
  }),
});
export type AppConfig = z.infer<typeof AppConfig>;

/** POST /oidc/login and the OIDC token endpoint. */
export const TokenResponse = z.object({
  access_token: z.string().min(1),
  id_token: z.string().optional(),
  token_type: z.string(),
  expires_in: z.number().positive(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** GET /oidc/demo-users (development issuer only). */
export const DemoUser = z.object({
  username: z.string(),
  password: z.string(),
  tenant: DivisionCode,
  tenantName: z.union([z.string(), LocalizedName]),
  roles: z.array(Role).min(1),
  department: z.string().optional(),
  name: z.string(),
});
export type DemoUser = z.infer<typeof DemoUser>;
export const DemoUsers = z.object({ users: z.array(DemoUser) });

/** GET /v1/me: the verified principal and a summary of its tenant. */
export const Me = Principal.extend({
  tenantProfile: TenantProfile.pick({ code: true, name: true, level: true, parent: true, platform: true }),
});
export type Me = z.infer<typeof Me>;

/** One open human step of a flow (a task token waiting for a person). */
export const Task = z.object({
  taskId: z.string(),
  subject: z.string(),
  itemId: z.string(),
  step: z.string(),
  dueAt: z.string().nullable().optional(),
  escalations: z.number().int().min(0).default(0),
  openedAt: z.string(),
  title: z.string(),
});
export type Task = z.infer<typeof Task>;
export const TaskList = z.object({ items: z.array(Task) });

export const SupervisionList = z.object({ items: z.array(SupervisionItem) });
export const TenantList = z.object({ items: z.array(TenantProfile) });
