/**
 * Cases (案件): intake from every source (信息采集, CMD-2), with catalogue and location checks, similar-case
 * reminders (CMD-7), idempotent creation, and the start of the case flow; plus the read side (lists, queues,
 * the overdue board).
 */
import { createHash } from 'node:crypto';
import distance from '@turf/distance';
import { z } from 'zod';
import { Case, CaseSummary, ReportCase, UNVERIFIED_SOURCES, Ulid, type CaseEvent, type CaseSource, type CaseStatus, type Role } from '../../../contracts';
import { keys } from '../data/keys';
import { STEPS } from '../flows/steps';
import { isConditionFailure, type Store } from '../data/store';
import { ownPhotos } from '../photos/photos';
import { DomainError } from '../shared/errors';
import { usePrincipal, useTenant } from '../tenancy/context';
import { tenantManifest } from '../tenants/tenants';
import type { CaseEnv } from './ports';

export const OPEN_STATUSES: readonly CaseStatus[] = ['verifying', 'filing', 'dispatching', 'handling', 'extension-review', 'suspension-review', 'suspended', 'checking'];

/** Which roles may report from which source. */
const SOURCES_BY_ROLE: Partial<Record<Role, CaseSource[]>> = {
  inspector: ['inspector'],
  acceptor: ['citizen', 'hotline'],
  'monitoring-operator': ['sensor', 'video'],
  leader: ['leader'],
  'tenant-admin': ['citizen', 'hotline', 'sensor', 'video', 'leader'],
  citizen: ['citizen'],
};

const StoredHash = z.object({ requestHash: z.string().optional() });
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The case id of a report: 26 Crockford base-32 characters (the shape of a ULID, so every id check still
 * holds) from a hash of tenant, reporter and clientId. Unlike a ULID it says nothing of time: lists sort by
 * `createdAt`.
 */
export function caseIdFor(tenant: string, reporter: string, clientId: string): string {
  const h = createHash('sha256').update(`${tenant}\u0000${reporter}\u0000${clientId}`).digest();
  let bits = 0n;
  // 128 bits in 26 characters of 5 bits: the first character is ≤ 7, as in a ULID.
  for (const byte of h.subarray(0, 16)) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = CROCKFORD[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return out;
}
const yyyymm = (iso: string) => iso.slice(0, 7).replace('-', '');

/** The stored item: the case plus its index keys. */
export function caseItem(c: Case): Record<string, unknown> & { PK: string; SK: string } {
  const open = OPEN_STATUSES.includes(c.status);
  return {
    ...keys.case(c.tenant, c.id),
    ...c,
    entity: 'case',
    GSI1PK: keys.caseStatusIndex(c.tenant, c.status),
    GSI1SK: `${open ? (c.dueAt ?? '9999') : (c.closedAt ?? c.createdAt)}#${c.id}`,
    GSI2PK: keys.caseMonthIndex(c.tenant, yyyymm(c.createdAt)),
    GSI2SK: monthIndexSort(c),
  };
}

/**
 * GSI2 sort key: type first, so the similar-case search reads only cases of its type in the window (not every
 * case of the month); lists by date read the month and sort in memory.
 */
export const monthIndexSort = (c: Pick<Case, 'typeCode' | 'createdAt' | 'id'>): string => `${c.typeCode}#${c.createdAt}#${c.id}`;

export function eventOf(action: CaseEvent['action'], extra: Partial<CaseEvent> = {}, now = new Date()): CaseEvent {
  const p = usePrincipal();
  // The role the person acted in: for a flow step, the first of theirs that the step allows.
  const stepRoles: readonly string[] = extra.step ? (STEPS[extra.step]?.roles ?? []) : [];
  const acting = p.roles.find((r) => stepRoles.includes(r)) ?? p.roles[0];
  const role = p.subject.startsWith('system:') ? 'system' : (extra.role ?? acting ?? 'system');
  return { at: now.toISOString(), action, actor: p.subject, role, note: '', ...(p.department ? { department: p.department } : {}), ...extra };
}

/** What only the platform itself sets on a report (never from a request body). */
export interface ReportFacts {
  /** 权属单位 of the reporting device (a sensor alarm): dispatch goes there. */
  ownerDepartment?: string;
  /** MUN-3 就近派单: the inspector (token subject) chosen to confirm the case on site; the 核实 task goes to them. */
  assignedInspector?: string;
}

/** 信息采集: a report from any source becomes a case; the same clientId again returns the same case. */
export async function reportCase(env: CaseEnv, raw: ReportCase, facts: ReportFacts = {}): Promise<{ case: Case; created: boolean }> {
  const input = ReportCase.parse(raw);
  const p = usePrincipal();
  const tenant = useTenant();
  if (!p.roles.some((r) => SOURCES_BY_ROLE[r]?.includes(input.source))) throw new DomainError('SOURCE_NOT_ALLOWED');

  const requestHash = createHash('sha256').update(JSON.stringify({ ...input, clientId: undefined, reporterContact: undefined })).digest('hex').slice(0, 16);
  // The id follows from (tenant, reporter, clientId): a repeat meets the same key, so intake is one conditional
  // write (no marker item and no transaction), and one person's clientId never reaches another person's case.
  const id = caseIdFor(tenant, p.subject, input.clientId);
  const now = env.now();
  const type = await env.catalogue.checkType(env.store, input.kind, input.typeCode);
  if (!type.ok) throw new DomainError('UNKNOWN_TYPE_CODE', [{ path: 'typeCode', message: `${type.message.zh} / ${type.message.en}` }]);
  if (input.componentId) {
    const cid = input.kind === 'component' ? await env.catalogue.checkComponentId(env.store, input.componentId, input.typeCode, now.toISOString().slice(0, 10)) : undefined;
    if (!cid?.ok) throw new DomainError('COMPONENT_ID_INVALID', [{ path: 'componentId', message: cid && !cid.ok ? `${cid.message.zh} / ${cid.message.en}` : 'only component cases have a component id' }]);
  }
  const gridId = await env.geo.gridAt(env.store, input.location);
  if (!gridId) throw new DomainError('LOCATION_OUTSIDE_TENANT', [{ path: 'location', message: `${input.location.lng},${input.location.lat}` }]);
  const photos = await ownPhotos(env.store, input.photoIds, 'report');
  // Similar open cases are not looked up here: the shift leader sees them live at filing (GET …/similar),
  // including cases reported after this one, and intake stays one transaction.

  const needsVerify = UNVERIFIED_SOURCES.includes(input.source);
  const c: Case = {
    id,
    tenant,
    // 案件编号: the tenant, the Beijing-time date, and the id's last characters (unique with the date).
    number: `${tenant}-${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '')}-${id.slice(-6)}`,
    source: input.source,
    kind: input.kind,
    typeCode: input.typeCode,
    matterCode: `${gridId.slice(0, 6)}${input.typeCode}`,
    ...(input.componentId ? { componentId: input.componentId } : {}),
    ...(facts.ownerDepartment ? { ownerDepartment: facts.ownerDepartment } : {}),
    ...(facts.assignedInspector && needsVerify ? { assignedInspector: facts.assignedInspector } : {}),
    gridId,
    description: input.description,
    location: input.location,
    ...(input.address ? { address: input.address } : {}),
    urgency: input.urgency,
    status: needsVerify ? 'verifying' : 'filing',
    departments: [],
    photos,
    ...(input.externalRef ? { externalRef: input.externalRef } : {}),
    createdAt: now.toISOString(),
    reportedBy: p.subject,
    dueAt: null,
    extensionHours: 0,
    pauses: [],
    escalations: 0,
    reworks: 0,
    extensions: 0,
    history: [eventOf('reported', { data: { source: input.source } }, now)],
  };
  try {
    await env.store.put(
      { ...caseItem(c), requestHash, ...(input.reporterContact ? { reporterContact: input.reporterContact } : {}) },
      { ConditionExpression: 'attribute_not_exists(PK)' },
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    // The same report again: the same case, unless the clientId came back with different content.
    const stored = await env.store.get(StoredHash, keys.case(tenant, id));
    if (stored?.requestHash !== undefined && stored.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_MISMATCH');
    return { case: await getCase(env.store, id), created: false };
  }
  // The flow starts from the table's stream (./flow-start.ts).
  return { case: c, created: true };
}

export async function getCase(store: Store, id: string): Promise<Case> {
  const c = Ulid.safeParse(id).success ? await store.get(Case, keys.case(useTenant(), id)) : undefined;
  if (!c) throw new DomainError('CASE_NOT_FOUND');
  return c;
}

/** CMD-7 similar-case reminder: open cases of the same type within the radius and the time window. */
export async function similarOpenCases(store: Store, typeCode: string, at: { lng: number; lat: number }, radiusM: number, windowH: number, now: Date): Promise<CaseSummary[]> {
  const since = new Date(now.getTime() - windowH * 3600_000).toISOString();
  const out: CaseSummary[] = [];
  for (const month of monthsBetween(since, now.toISOString())) {
    const rows = await store.query(CaseSummary, {
      index: 'GSI2',
      pk: keys.caseMonthIndex(useTenant(), month),
      skBetween: [`${typeCode}#${since}`, `${typeCode}#${now.toISOString()}~`],
      filter: { expression: `#st IN (${OPEN_STATUSES.map((_, i) => `:s${i}`).join(', ')})`, names: { '#st': 'status' }, values: Object.fromEntries(OPEN_STATUSES.map((s, i) => [`:s${i}`, s])) },
    });
    out.push(...rows.filter((r) => distance([at.lng, at.lat], [r.location.lng, r.location.lat], { units: 'meters' }) <= radiusM));
  }
  return out;
}

function monthsBetween(fromIso: string, toIso: string): string[] {
  const months: string[] = [];
  const d = new Date(`${fromIso.slice(0, 7)}-01T00:00:00Z`);
  const end = toIso.slice(0, 7);
  while (d.toISOString().slice(0, 7) <= end) {
    months.push(d.toISOString().slice(0, 7).replace('-', ''));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return months;
}

export const CaseFilter = z.object({
  status: z.enum(OPEN_STATUSES.concat(['closed', 'cancelled']) as [CaseStatus, ...CaseStatus[]]).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type CaseFilter = z.infer<typeof CaseFilter>;

/** Cases of the caller's tenant: by status (earliest due first), or by creation date (newest first). */
export async function listCases(store: Store, f: CaseFilter, now: Date): Promise<CaseSummary[]> {
  const tenant = useTenant();
  if (f.status) {
    // Open queues: earliest due first; closed and cancelled: most recent first.
    const finished = f.status === 'closed' || f.status === 'cancelled';
    return await store.query(CaseSummary, { index: 'GSI1', pk: keys.caseStatusIndex(tenant, f.status), limit: f.limit, newestFirst: finished });
  }
  const to = f.to ?? now.toISOString().slice(0, 10);
  const from = f.from ?? new Date(now.getTime() - 30 * 86400_000).toISOString().slice(0, 10);
  const out: CaseSummary[] = [];
  for (const month of monthsBetween(from, to).reverse()) {
    const rows = await store.query(CaseSummary, { index: 'GSI2', pk: keys.caseMonthIndex(tenant, month) });
    out.push(...rows.filter((r) => r.createdAt >= from && r.createdAt <= `${to}~`).sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
    if (out.length >= f.limit) break;
  }
  return out.slice(0, f.limit);
}

/** Every case (with history) created in a period, for evaluation. */
export async function casesCreatedBetween(store: Store, from: string, to: string): Promise<Case[]> {
  const out: Case[] = [];
  for (const month of monthsBetween(from, to)) {
    const rows = await store.query(Case, { index: 'GSI2', pk: keys.caseMonthIndex(useTenant(), month) });
    out.push(...rows.filter((c) => c.createdAt >= from && c.createdAt < to));
  }
  return out;
}

/** The command centre's board: how many cases wait at each stage, and the overdue ones. */
export async function caseBoard(store: Store, now: Date): Promise<{ queues: Record<string, number>; overdue: CaseSummary[] }> {
  const tenant = useTenant();
  const queues: Record<string, number> = {};
  const overdue: CaseSummary[] = [];
  for (const status of OPEN_STATUSES) {
    const rows = await store.query(CaseSummary, { index: 'GSI1', pk: keys.caseStatusIndex(tenant, status) });
    queues[status] = rows.length;
    overdue.push(...rows.filter((r) => r.dueAt !== null && r.dueAt < now.toISOString()));
  }
  overdue.sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
  return { queues, overdue };
}
