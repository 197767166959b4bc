/**
 * API bodies that are not domain records of their own: client configuration, sign-in responses, the signed-in
 * principal, human tasks as their assignees see them. Used by the API routes and by the web client.
 */
import { z } from 'zod';
import { Principal } from './claims';
import { DivisionCode } from './divisions';
import { Role } from './roles';
import { TenantProfile } from './tenant';

/** GET /v1/config: how this deployment signs people in. */
export const ClientConfig = z.object({
  runtime: z.enum(['local', 'aws']),
  auth: z.object({
    mode: z.enum(['dev-password', 'oidc']),
    issuer: z.string(),
    clientId: z.string().optional(),
    authorizeUrl: z.string().optional(),
    tokenUrl: z.string().optional(),
  }),
});
export type ClientConfig = z.infer<typeof ClientConfig>;

/** POST /oidc/login (development issuer) and an OIDC token endpoint. */
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
  tenantName: z.string(),
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

/** A human step of a flow as its assignees see it (the task token never leaves the server). */
export const HumanTask = z.object({
  taskId: z.string(),
  tenant: DivisionCode,
  subject: z.string(),
  itemId: z.string(),
  step: z.string(),
  title: z.string(),
  status: z.enum(['open', 'done']),
  roles: z.array(Role),
  /** For department steps: only handlers of these departments see the task. */
  departments: z.array(z.string()).optional(),
  /** For a step assigned to named people (MUN-3 nearest inspector): only they see and complete it. */
  assignees: z.array(z.string()).optional(),
  assigneeTenant: DivisionCode,
  dueAt: z.iso.datetime(),
  openedAt: z.iso.datetime(),
  escalations: z.number().int().min(0),
});
export type HumanTask = z.infer<typeof HumanTask>;

/** POST /v1/citizen/session: a WeChat mini-program login code for a tenant's mini-program. */
export const CitizenSessionRequest = z.object({ tenant: DivisionCode, code: z.string().min(4).max(128) });
export const CitizenSession = z.object({ token: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number() });

/** A notification in a tenant's outbox (CMD-7 reminders, escalations, citizen replies). */
export const Notification = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  channel: z.enum(['inbox', 'sms', 'wechat']),
  to: z.object({ roles: z.array(Role).optional(), department: z.string().optional(), user: z.string().optional() }),
  title: z.object({ zh: z.string(), en: z.string() }),
  body: z.string(),
  caseId: z.string().optional(),
});
export type Notification = z.infer<typeof Notification>;
