/**
 * 绩效评价 (CMD-9): the standard indicators computed from case histories, the weighted position scores and
 * grades, and a CSV export. Pure: no I/O, no clock (the caller passes the period and `asOf`).
 *
 * ## Attribution rules (which period an event counts in)
 *
 * The period is half-open, [from, to). Events after `asOf` (default: `to`) are invisible, so a result can be
 * recomputed later with the same answer. `asOf` later than `to` lets outcomes settle (a feedback on the last
 * day that fails its check a day later still counts as rework).
 *
 * - **Timed steps** (核实 case.verify, 派遣 case.dispatch, 处置 case.handle, 核查 case.check) count in the period
 *   in which they were **completed**, with the event's `onTime` flag (absent = the step had no limit = on
 *   time). A step **still open** at `asOf` counts, as late, in the period in which it **became due**, and only
 *   if the caller says when that is (`opts.dueAt`; without it open steps are not counted anywhere). An open
 *   handling step of a suspended (挂账) case is not counted.
 * - **Filing** (立案) counts in the period of the `filed` event: 立案数, 按时立案率, 漏报率 and 监督举报率 all
 *   use the filing time. 准确立案率 = (立案数 − 作废数) / 立案数 takes the filing-step decisions of the period:
 *   `filed`, and `cancelled` with `data.reason === 'invalid'` (作废) of a case that was not filed; a filed case
 *   voided later (as of `asOf`) is not accurate. 作废数 counts those cancellations in their own period.
 * - **Reports** count in the period of the `reported` event; "valid" (有效) = the case was filed by `asOf`.
 * - **Rework** (返工) counts in the period of the feedback that failed its check, so 返工数 ⊆ 处置数.
 * - **Dispatch accuracy**: a dispatch is inaccurate when the department returns it (退回) before the next
 *   dispatch; judged as of `asOf`, counted in the period of the dispatch.
 * - **Closing** (结案) counts in the period of the `closed` event, by its close type (the flow's
 *   `closeTypeOf`): 正常 normal and 差错 error (reworked or reclassified, but no step late) are on time,
 *   超时 overdue is overdue, 特殊 special (it was suspended, 挂账) is left out of the close rates like an open
 *   suspended case, but counted in 结案数. A filed case still open at `asOf` (not suspended) counts, as not
 *   closed and overdue, in the period in which `dueAt(case, 'case.close', filedAt)` falls.
 * - 退回数, 延期数 and 督办数 count their events in their own period.
 *
 * ## Who an item counts for
 *
 * Every item counts for the whole tenant, the case's region (district = first 6 characters of `gridId`),
 * the evaluation areas (评价网格, `opts.evaluationAreas`) that contain the grid, and the grid. In addition:
 * - the person who did the step, by the role on the event: the inspector who reported, verified or checked,
 *   the acceptor who registered the report, the shift leader who filed (or cancelled), the dispatcher who
 *   dispatched (automatic dispatches by `system` count for no person);
 * - the departments of the dispatch round (`data.departments` of the dispatch, else the case's departments):
 *   handling, rework, extension, escalations of the handling step, and closing. Joint handling counts the
 *   whole task for every department of the round;
 * - the inspectors assigned to the case's grid (`opts.inspectorGrids`): 漏报 and the open (late) verify and
 *   check tasks, which have no actor yet. A grid with two inspectors counts the case for both;
 * - the shift leader of a close: the actor of `closed` when a shift leader closed it, else the one who filed.
 *
 * Only the indicators that make sense for a kind are reported for it (`APPLICABLE`); rates with a zero
 * denominator are null, never NaN.
 */
import { CloseType, UNVERIFIED_SOURCES, type Case, type CaseEvent, type CaseSource } from '../../../contracts';
import {
  DEFAULT_EVALUATION_SETTINGS,
  INDICATORS,
  POSITION_OF,
  SUBJECT_KIND_NAMES,
  type AreaClass,
  type EvaluationPeriod,
  type EvaluationResult,
  type EvaluationSettings,
  type Grade,
  type IndicatorId,
  type IndicatorValue,
  type PositionItem,
  type ScoreBands,
  type ScoreComponent,
  type SubjectKind,
  type SubjectResult,
} from '../../../contracts';

/** The steps an open task can be late in. `case.close` is the case as a whole (处置时限 to 结案). */
export type EvaluatedStep = 'case.verify' | 'case.dispatch' | 'case.handle' | 'case.check' | 'case.close';

/**
 * When an open step became (or becomes) due: an ISO time, or null when unknown. `openedAt` is when the step
 * opened (the report, the return, the dispatch or the rework, the feedback; for `case.close` the filing).
 */
export type DueFn = (c: Case, step: EvaluatedStep, openedAt: string) => string | null | undefined;

export interface ComputeOptions {
  /** Events after this are not seen; defaults to `period.to`. */
  asOf?: string;
  /** 监督员 username → grid ids (tenant data, `evaluation.json`). */
  inspectorGrids?: Readonly<Record<string, readonly string[]>>;
  /** When open steps are due; without it, open steps are not counted (see the attribution rules). */
  dueAt?: DueFn;
  /** The sources behind 漏报 and 监督举报; defaults to DEFAULT_EVALUATION_SETTINGS. */
  settings?: Pick<EvaluationSettings, 'missedReportSources' | 'publicReportSources'>;
  /** Always report this tenant as a subject, even with no cases. */
  tenant?: string;
  /** Display names per kind and id (users, departments, grids). */
  names?: Partial<Record<SubjectKind, Readonly<Record<string, string>>>>;
  /** 评价网格 (basedata `EvaluationGrid` fits): each becomes an `area` subject over its unit grids, scored on its class. */
  evaluationAreas?: readonly EvaluationArea[];
}

export interface EvaluationArea {
  id: string;
  name?: string;
  class: AreaClass;
  gridIds: readonly string[];
}

const CASE_STATUS_STEP: Partial<Record<Case['status'], EvaluatedStep>> = {
  verifying: 'case.verify',
  dispatching: 'case.dispatch',
  handling: 'case.handle',
  checking: 'case.check',
};

/**
 * A `DueFn` for evaluating the current state (`asOf` ≈ now): the case's `stepDue` (else `dueAt`) is the
 * deadline of its current step, so it answers for that step only, and for `case.close` with the handling
 * deadline while the case is being handled.
 */
export const currentStepDue: DueFn = (c, step) => {
  const wanted = step === 'case.close' ? 'case.handle' : step;
  if (c.stepDue) return c.stepDue.step === wanted ? c.stepDue.dueAt : null;
  if (step === 'case.close') return c.status === 'handling' || c.status === 'extension-review' ? c.dueAt : null;
  return CASE_STATUS_STEP[c.status] === step ? c.dueAt : null;
};

const SCOPE_INDICATORS = [...Object.keys(INDICATORS)].filter((id) => INDICATORS[id as IndicatorId].derivable) as IndicatorId[];

/** The indicators reported per kind of subject. */
export const APPLICABLE: Readonly<Record<SubjectKind, readonly IndicatorId[]>> = {
  tenant: SCOPE_INDICATORS,
  region: SCOPE_INDICATORS,
  area: SCOPE_INDICATORS,
  grid: SCOPE_INDICATORS,
  inspector: ['reportCount', 'validReportRate', 'missedCount', 'missedReportRate', 'verifyCount', 'onTimeVerifyRate', 'checkCount', 'onTimeCheckRate'],
  acceptor: ['acceptCount'],
  'shift-leader': ['fileCount', 'onTimeFileRate', 'accurateFileRate', 'voidCount', 'closeRate', 'onTimeCloseRate'],
  dispatcher: ['dispatchCount', 'onTimeDispatchRate', 'accurateDispatchRate', 'returnCount'],
  department: [
    'fileCount',
    'handleCount',
    'handleRate',
    'onTimeHandleRate',
    'reworkCount',
    'reworkRate',
    'extensionCount',
    'extensionRate',
    'returnCount',
    'closeCount',
    'closeRate',
    'onTimeCloseRate',
    'overdueCount',
    'overdueRate',
    'escalationCount',
  ],
};

const KIND_ORDER = ['tenant', 'region', 'area', 'grid', 'inspector', 'acceptor', 'shift-leader', 'dispatcher', 'department'] as const satisfies readonly SubjectKind[];
const INDICATOR_ORDER = Object.keys(INDICATORS) as IndicatorId[];
const PERSON_KINDS = new Set<string>(['inspector', 'acceptor', 'shift-leader', 'dispatcher']);

interface Ref {
  kind: SubjectKind;
  id: string;
}

interface Tally {
  num: number;
  den: number;
}

class Accumulator {
  readonly subjects = new Map<string, { kind: SubjectKind; id: string; tallies: Map<IndicatorId, Tally> }>();

  touch(ref: Ref): Map<IndicatorId, Tally> {
    const key = `${ref.kind}\u0000${ref.id}`;
    let s = this.subjects.get(key);
    if (!s) {
      s = { kind: ref.kind, id: ref.id, tallies: new Map(APPLICABLE[ref.kind].map((i) => [i, { num: 0, den: 0 }])) };
      this.subjects.set(key, s);
    }
    return s.tallies;
  }

  private each(refs: readonly Ref[], indicator: IndicatorId, fn: (t: Tally) => void): void {
    const seen = new Set<string>();
    for (const ref of refs) {
      const key = `${ref.kind}\u0000${ref.id}`;
      if (seen.has(key) || !APPLICABLE[ref.kind].includes(indicator)) continue;
      seen.add(key);
      fn(this.touch(ref).get(indicator)!);
    }
  }

  /** One item of a rate: always in the denominator, in the numerator when `ok`. */
  rate(refs: readonly Ref[], indicator: IndicatorId, ok: boolean): void {
    this.each(refs, indicator, (t) => {
      t.den += 1;
      if (ok) t.num += 1;
    });
  }

  count(refs: readonly Ref[], indicator: IndicatorId, n = 1): void {
    this.each(refs, indicator, (t) => {
      t.num += n;
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// One case's history as facts

interface Done {
  at: number;
  actor: string;
  role: string;
  onTime: boolean;
}
interface Open {
  openedAt: string;
}
interface HandleFact {
  at: number;
  departments: string[];
  onTime: boolean;
  extended: boolean;
  reworked: boolean;
}
interface DispatchFact extends Done {
  departments: string[];
  returned: boolean;
}

interface CaseFacts {
  report?: Done & { filed: boolean };
  verifies: Done[];
  pendingVerify?: Open;
  filed?: Done & { voided: boolean };
  cancels: (Done & { invalid: boolean })[];
  dispatches: DispatchFact[];
  pendingDispatch?: Open;
  handles: HandleFact[];
  pendingHandle?: Open & { departments: string[]; extended: boolean };
  returns: { at: number; departments: string[] }[];
  checks: Done[];
  pendingCheck?: Open;
  close?: { at: number; type: CloseType; departments: string[]; leader?: string };
  pendingClose?: Open & { departments: string[]; leader?: string };
  extensions: { at: number; departments: string[] }[];
  escalations: { at: number; departments: string[] }[];
}

const ms = (iso: string): number => Date.parse(iso);
const done = (e: CaseEvent): Done => ({ at: ms(e.at), actor: e.actor, role: e.role, onTime: e.onTime !== false });

function departmentsOf(e: CaseEvent, fallback: readonly string[]): string[] {
  const d = e.data?.departments;
  if (Array.isArray(d) && d.length > 0) return [...d];
  if (typeof d === 'string' && d) return [d];
  if (e.department) return [e.department];
  return [...fallback];
}

/** Replays the visible history (events at or before `asOf`, in time order) into facts. */
export function caseFacts(c: Case, asOf: number): CaseFacts {
  const events = c.history
    .map((e, i) => ({ e, i, t: ms(e.at) }))
    .filter((x) => x.t <= asOf)
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.e);
  const f: CaseFacts = { verifies: [], cancels: [], dispatches: [], handles: [], returns: [], checks: [], extensions: [], escalations: [] };
  let verifyOpen: string | null = null;
  let dispatchOpen: string | null = null;
  let handleOpen: { openedAt: string; departments: string[]; extended: boolean } | null = null;
  let checkOpen: { openedAt: string; handle: HandleFact | undefined } | null = null;
  let round: string[] = [];
  let suspended = false;
  let ended = false;
  const end = () => {
    ended = true;
    verifyOpen = dispatchOpen = null;
    handleOpen = checkOpen = null;
  };

  for (const e of events) {
    switch (e.action) {
      case 'reported':
        f.report = { ...done(e), filed: false };
        if (UNVERIFIED_SOURCES.includes(c.source)) verifyOpen = e.at;
        break;
      case 'verified':
      case 'verify-rejected':
        f.verifies.push(done(e));
        verifyOpen = null;
        if (e.action === 'verify-rejected') end();
        break;
      case 'filed':
        f.filed = { ...done(e), voided: false };
        if (f.report) f.report.filed = true;
        verifyOpen = null;
        dispatchOpen = e.at;
        break;
      case 'cancelled': {
        const invalid = e.data?.reason === 'invalid';
        f.cancels.push({ ...done(e), invalid });
        if (f.filed && invalid) f.filed.voided = true;
        end();
        break;
      }
      case 'dispatched':
      case 'auto-dispatched':
        round = departmentsOf(e, c.departments);
        f.dispatches.push({ ...done(e), departments: round, returned: false });
        dispatchOpen = null;
        handleOpen = { openedAt: e.at, departments: round, extended: false };
        break;
      case 'return-requested': {
        const last = f.dispatches[f.dispatches.length - 1];
        if (last) last.returned = true;
        f.returns.push({ at: ms(e.at), departments: e.department ? [e.department] : round });
        handleOpen = null;
        dispatchOpen = e.at;
        break;
      }
      case 'extension-approved':
        f.extensions.push({ at: ms(e.at), departments: e.department ? [e.department] : (handleOpen?.departments ?? round) });
        if (handleOpen) handleOpen.extended = true;
        break;
      case 'suspension-approved':
        suspended = true;
        break;
      case 'resumed':
        suspended = false;
        break;
      case 'feedback': {
        const h: HandleFact = {
          at: ms(e.at),
          departments: handleOpen?.departments ?? (e.department ? [e.department] : round.length ? round : [...c.departments]),
          onTime: e.onTime !== false,
          extended: handleOpen?.extended ?? false,
          reworked: false,
        };
        f.handles.push(h);
        handleOpen = null;
        checkOpen = { openedAt: e.at, handle: h };
        break;
      }
      case 'check-passed':
      case 'check-failed':
        f.checks.push(done(e));
        if (e.action === 'check-failed') {
          const h = checkOpen?.handle ?? f.handles[f.handles.length - 1];
          if (h) h.reworked = true;
          handleOpen = { openedAt: e.at, departments: h?.departments ?? round, extended: false };
        }
        checkOpen = null;
        break;
      case 'closed': {
        const parsed = CloseType.safeParse(e.data?.closeType);
        const type = parsed.success ? parsed.data : (c.closeType ?? 'normal');
        const leader = e.role === 'shift-leader' ? e.actor : f.filed?.role === 'shift-leader' ? f.filed.actor : undefined;
        f.close = { at: ms(e.at), type, departments: round, ...(leader ? { leader } : {}) };
        end();
        break;
      }
      case 'merged':
        end();
        break;
      case 'escalated':
        f.escalations.push({
          at: ms(e.at),
          departments: e.department ? [e.department] : e.step === 'case.handle' ? (handleOpen?.departments ?? round) : [],
        });
        break;
      default:
        break;
    }
  }

  if (!ended) {
    if (verifyOpen) f.pendingVerify = { openedAt: verifyOpen };
    if (dispatchOpen) f.pendingDispatch = { openedAt: dispatchOpen };
    const h = handleOpen as { openedAt: string; departments: string[]; extended: boolean } | null;
    if (h && !suspended) f.pendingHandle = { ...h };
    const k = checkOpen as { openedAt: string } | null;
    if (k) f.pendingCheck = { openedAt: k.openedAt };
    if (f.filed && !suspended) {
      const leader = f.filed.role === 'shift-leader' ? f.filed.actor : undefined;
      f.pendingClose = { openedAt: new Date(f.filed.at).toISOString(), departments: round, ...(leader ? { leader } : {}) };
    }
  }
  return f;
}

// ---------------------------------------------------------------------------------------------------------
// Indicators

const personRef = (role: string, actor: string): Ref[] => (PERSON_KINDS.has(role) ? [{ kind: role as SubjectKind, id: actor }] : []);
const deptRefs = (departments: readonly string[]): Ref[] => departments.map((id) => ({ kind: 'department' as const, id }));

function checkPeriod(period: EvaluationPeriod): { from: number; to: number } {
  const from = ms(period.from);
  const to = ms(period.to);
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('a period needs ISO date-times');
  if (from >= to) throw new RangeError('a period starts before it ends');
  return { from, to };
}

/**
 * The indicators of every subject for a period. `cases` may contain cases of any age: only what happened
 * (or became due) in the period counts. See the module comment for the attribution rules.
 */
export function computeIndicators(cases: readonly Case[], period: EvaluationPeriod, opts: ComputeOptions = {}): EvaluationResult {
  const { from, to } = checkPeriod(period);
  const asOfIso = opts.asOf ?? period.to;
  const asOf = ms(asOfIso);
  if (Number.isNaN(asOf)) throw new RangeError('asOf must be an ISO date-time');
  const inPeriod = (t: number): boolean => t >= from && t < to;
  const settings = opts.settings ?? DEFAULT_EVALUATION_SETTINGS;
  const missedSources = new Set<CaseSource>(settings.missedReportSources);
  const publicSources = new Set<CaseSource>(settings.publicReportSources);

  const acc = new Accumulator();
  const gridAreas = new Map<string, string[]>();
  const areaClasses = new Map<string, AreaClass>();
  for (const a of opts.evaluationAreas ?? []) {
    areaClasses.set(a.id, a.class);
    for (const g of a.gridIds) gridAreas.set(g, [...(gridAreas.get(g) ?? []), a.id]);
  }
  const gridInspectors = new Map<string, string[]>();
  for (const [inspector, grids] of Object.entries(opts.inspectorGrids ?? {})) {
    acc.touch({ kind: 'inspector', id: inspector });
    for (const g of grids) gridInspectors.set(g, [...(gridInspectors.get(g) ?? []), inspector]);
  }
  if (opts.tenant) acc.touch({ kind: 'tenant', id: opts.tenant });

  for (const c of cases) {
    const f = caseFacts(c, asOf);
    const scope: Ref[] = [
      { kind: 'tenant', id: c.tenant },
      { kind: 'region', id: c.gridId.slice(0, 6) },
      ...(gridAreas.get(c.gridId) ?? []).map((id): Ref => ({ kind: 'area', id })),
      { kind: 'grid', id: c.gridId },
    ];
    const inspectors: Ref[] = (gridInspectors.get(c.gridId) ?? []).map((id) => ({ kind: 'inspector', id }));
    /** Late if still open at asOf and due within the period. */
    const lateInPeriod = (step: EvaluatedStep, open: Open | undefined): boolean => {
      if (!open || !opts.dueAt) return false;
      const due = opts.dueAt(c, step, open.openedAt);
      if (!due) return false;
      const t = ms(due);
      return !Number.isNaN(t) && inPeriod(t) && t < asOf;
    };

    // 上报 / 受理
    if (f.report && inPeriod(f.report.at)) {
      const reporter = personRef(f.report.role, f.report.actor);
      acc.count([...scope, ...reporter.filter((r) => r.kind === 'inspector')], 'reportCount');
      if (c.source === 'inspector' && f.report.role === 'inspector') acc.rate([...scope, ...reporter], 'validReportRate', f.report.filed);
      if (f.report.role === 'acceptor') acc.count([...scope, ...reporter], 'acceptCount');
    }

    // 核实
    for (const v of f.verifies.filter((x) => inPeriod(x.at))) {
      const refs = [...scope, ...personRef(v.role, v.actor)];
      acc.rate(refs, 'onTimeVerifyRate', v.onTime);
      acc.count(refs, 'verifyCount');
    }
    if (lateInPeriod('case.verify', f.pendingVerify)) acc.rate([...scope, ...inspectors], 'onTimeVerifyRate', false);

    // 立案: 按时/准确立案, 漏报, 监督举报
    if (f.filed && inPeriod(f.filed.at)) {
      const refs = [...scope, ...personRef(f.filed.role, f.filed.actor)];
      acc.count(refs, 'fileCount');
      acc.rate(refs, 'onTimeFileRate', f.filed.onTime);
      acc.rate(refs, 'accurateFileRate', !f.filed.voided);
      const missed = missedSources.has(c.source);
      acc.rate([...scope, ...inspectors], 'missedReportRate', missed);
      if (missed) acc.count([...scope, ...inspectors], 'missedCount');
      const isPublic = publicSources.has(c.source);
      acc.rate(scope, 'publicReportRate', isPublic);
      if (isPublic) acc.count(scope, 'publicReportCount');
    }
    for (const x of f.cancels.filter((k) => k.invalid && inPeriod(k.at))) {
      const refs = [...scope, ...personRef(x.role, x.actor)];
      acc.count(refs, 'voidCount');
      // 作废 instead of 立案: a filing-step decision that is not an accurate filing.
      if (!f.filed) acc.rate(refs, 'accurateFileRate', false);
    }

    // 派遣
    const filedDepartments = new Set<string>();
    for (const d of f.dispatches.filter((x) => inPeriod(x.at))) {
      const refs = [...scope, ...personRef(d.role, d.actor)];
      acc.rate(refs, 'onTimeDispatchRate', d.onTime);
      acc.rate(refs, 'accurateDispatchRate', !d.returned);
      acc.count(refs, 'dispatchCount');
      if (d.returned) acc.count(personRef(d.role, d.actor), 'returnCount');
      else d.departments.forEach((dep) => filedDepartments.add(dep));
    }
    acc.count(deptRefs([...filedDepartments]), 'fileCount');
    if (lateInPeriod('case.dispatch', f.pendingDispatch)) {
      acc.rate(scope, 'onTimeDispatchRate', false);
      acc.rate(scope, 'accurateDispatchRate', false);
    }
    for (const r of f.returns.filter((x) => inPeriod(x.at))) acc.count([...scope, ...deptRefs(r.departments)], 'returnCount');

    // 处置 / 返工 / 延期
    for (const h of f.handles.filter((x) => inPeriod(x.at))) {
      const refs = [...scope, ...deptRefs(h.departments)];
      acc.rate(refs, 'handleRate', true);
      acc.rate(refs, 'onTimeHandleRate', h.onTime);
      acc.count(refs, 'handleCount');
      acc.rate(refs, 'reworkRate', h.reworked);
      if (h.reworked) acc.count(refs, 'reworkCount');
      acc.rate(refs, 'extensionRate', h.extended);
    }
    if (f.pendingHandle && lateInPeriod('case.handle', f.pendingHandle)) {
      const refs = [...scope, ...deptRefs(f.pendingHandle.departments)];
      acc.rate(refs, 'handleRate', false);
      acc.rate(refs, 'onTimeHandleRate', false);
      acc.rate(refs, 'extensionRate', f.pendingHandle.extended);
    }
    for (const x of f.extensions.filter((k) => inPeriod(k.at))) acc.count([...scope, ...deptRefs(x.departments)], 'extensionCount');
    for (const x of f.escalations.filter((k) => inPeriod(k.at))) acc.count([...scope, ...deptRefs(x.departments)], 'escalationCount');

    // 核查
    for (const k of f.checks.filter((x) => inPeriod(x.at))) {
      const refs = [...scope, ...personRef(k.role, k.actor)];
      acc.rate(refs, 'onTimeCheckRate', k.onTime);
      acc.count(refs, 'checkCount');
    }
    if (lateInPeriod('case.check', f.pendingCheck)) acc.rate([...scope, ...inspectors], 'onTimeCheckRate', false);

    // 结案
    if (f.close && inPeriod(f.close.at)) {
      const refs = [...scope, ...deptRefs(f.close.departments), ...(f.close.leader ? [{ kind: 'shift-leader' as const, id: f.close.leader }] : [])];
      acc.count(refs, 'closeCount');
      if (f.close.type !== 'special') {
        acc.rate(refs, 'closeRate', true);
        acc.rate(refs, 'onTimeCloseRate', f.close.type === 'normal' || f.close.type === 'error');
        acc.rate(refs, 'overdueRate', f.close.type === 'overdue');
        if (f.close.type === 'overdue') acc.count(refs, 'overdueCount');
      }
    }
    if (f.pendingClose && lateInPeriod('case.close', f.pendingClose)) {
      const p = f.pendingClose;
      const refs = [...scope, ...deptRefs(p.departments), ...(p.leader ? [{ kind: 'shift-leader' as const, id: p.leader }] : [])];
      acc.rate(refs, 'closeRate', false);
      acc.rate(refs, 'onTimeCloseRate', false);
      acc.rate(refs, 'overdueRate', true);
      acc.count(refs, 'overdueCount');
    }
  }

  const subjects: SubjectResult[] = [...acc.subjects.values()]
    .map((s) => {
      const indicators: SubjectResult['indicators'] = {};
      for (const id of INDICATOR_ORDER) {
        const t = s.tallies.get(id);
        if (t) indicators[id] = toValue(id, t);
      }
      const name = opts.names?.[s.kind]?.[s.id] ?? (s.kind === 'area' ? opts.evaluationAreas?.find((a) => a.id === s.id)?.name : undefined);
      const areaClass = s.kind === 'area' ? areaClasses.get(s.id) : undefined;
      return { id: s.id, kind: s.kind, ...(name !== undefined ? { name } : {}), ...(areaClass ? { areaClass } : {}), indicators };
    })
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { period: { from: period.from, to: period.to }, asOf: asOfIso, subjects };
}

function toValue(id: IndicatorId, t: Tally): IndicatorValue {
  if (INDICATORS[id].kind === 'count') return { numerator: t.num, denominator: null, value: t.num };
  return { numerator: t.num, denominator: t.den, value: t.den === 0 ? null : t.num / t.den };
}

// ---------------------------------------------------------------------------------------------------------
// Scores and grades

/** A count through its bands: the first rule that matches, else `otherwise`. */
export function bandScore(value: number, bands: ScoreBands): number {
  for (const r of bands.rules) {
    const hit = r.op === 'gte' ? value >= r.value : r.op === 'gt' ? value > r.value : r.op === 'lte' ? value <= r.value : value < r.value;
    if (hit) return r.score;
  }
  return bands.otherwise;
}

export function gradeOf(score: number, settings: Pick<EvaluationSettings, 'grades'>): Grade {
  const band = settings.grades.find((g) => score >= g.min) ?? settings.grades[settings.grades.length - 1];
  return band!.grade;
}

function areaClassOf(subject: Pick<SubjectResult, 'id' | 'kind' | 'areaClass'>, settings: EvaluationSettings): AreaClass {
  const own = subject.areaClass ?? settings.areaClasses[subject.id];
  if (own) return own;
  if (subject.kind === 'grid') return settings.areaClasses[subject.id.slice(0, 6)] ?? settings.defaultAreaClass;
  return settings.defaultAreaClass;
}

/** One weighted item's 0–100 score, or null when the indicator has no value or a count has no bands. */
export function componentScore(item: PositionItem, subject: Pick<SubjectResult, 'id' | 'kind' | 'indicators' | 'areaClass'>, settings: EvaluationSettings): number | null {
  const value = subject.indicators[item.indicator]?.value ?? null;
  if (value === null) return null;
  const def = INDICATORS[item.indicator];
  if (def.kind === 'count') {
    const bands = item.bands ?? item.bandsByAreaClass?.[areaClassOf(subject, settings)];
    return bands ? bandScore(value, bands) : null;
  }
  const clamped = Math.min(1, Math.max(0, value));
  return (def.direction === 'lower-better' ? 1 - clamped : clamped) * 100;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * 综合指标值 per subject with its position's weights, and its grade. Rates score rate × 100, lower-is-better
 * rates (1 − rate) × 100, counts by their bands. An item without a value (zero denominator, not derivable,
 * no bands) is left out and the other weights are scaled up to 100% (`coverage` says how much weight had
 * values); no value at all gives score and grade null. Scores are rounded to 2 decimals before grading.
 */
export function score(result: EvaluationResult, settings: EvaluationSettings): EvaluationResult {
  return {
    ...result,
    subjects: result.subjects.map((s): SubjectResult => {
      const position = POSITION_OF[s.kind];
      if (!position) return { ...s, score: null, grade: null };
      const items = settings.positions[position];
      const components: ScoreComponent[] = items.map((item) => ({ indicator: item.indicator, weight: item.weight, score: componentScore(item, s, settings) }));
      const total = items.reduce((sum, i) => sum + i.weight, 0);
      const present = components.filter((c): c is ScoreComponent & { score: number } => c.score !== null);
      const weight = present.reduce((sum, c) => sum + c.weight, 0);
      if (weight === 0) return { ...s, score: null, grade: null, coverage: 0, components };
      const value = round2(present.reduce((sum, c) => sum + c.weight * c.score, 0) / weight);
      return { ...s, score: value, grade: gradeOf(value, settings), coverage: total === 0 ? 0 : weight / total, components };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// CSV

export type CsvLang = 'zh' | 'en' | 'bilingual';

const label = (b: { zh: string; en: string }, lang: CsvLang): string => (lang === 'zh' ? b.zh : lang === 'en' ? b.en : `${b.zh} / ${b.en}`);

/** Quotes a field when needed; a text starting like a formula gets a leading apostrophe (CSV injection). */
function cell(v: string | number | null | undefined, text = true): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const percent = (v: number | null): string => (v === null ? '' : `${round2(v * 100).toFixed(2)}%`);

/**
 * The result as CSV for Excel: UTF-8 with a BOM, CRLF lines, one row per subject. Headers are Chinese for
 * `zh`, English for `en`, "中文 / English" for `bilingual`. Columns: kind, id, name, score, grade, then for
 * each indicator any subject has (catalogue order): numerator, denominator and rate (as a percentage), or
 * the count. Empty cells are null values.
 */
export function toCsv(result: EvaluationResult, lang: CsvLang = 'zh'): string {
  const used = INDICATOR_ORDER.filter((id) => result.subjects.some((s) => s.indicators[id] !== undefined));
  const header = [
    label({ zh: '对象类型', en: 'Kind' }, lang),
    label({ zh: '对象编码', en: 'ID' }, lang),
    label({ zh: '名称', en: 'Name' }, lang),
    label({ zh: '综合得分', en: 'Score' }, lang),
    label({ zh: '等级', en: 'Grade' }, lang),
  ];
  for (const id of used) {
    const def = INDICATORS[id];
    if (def.kind === 'count') header.push(label(def.name, lang));
    else header.push(`${label(def.name, lang)}${lang === 'en' ? ': numerator' : lang === 'zh' ? '-分子' : '-分子 / numerator'}`, `${label(def.name, lang)}${lang === 'en' ? ': denominator' : lang === 'zh' ? '-分母' : '-分母 / denominator'}`, label(def.name, lang));
  }
  const rows = result.subjects.map((s) => {
    const row = [cell(label(SUBJECT_KIND_NAMES[s.kind], lang)), cell(s.id), cell(s.name), cell(s.score === null || s.score === undefined ? null : s.score.toFixed(2), false), cell(s.grade)];
    for (const id of used) {
      const v = s.indicators[id];
      if (INDICATORS[id].kind === 'count') row.push(cell(v?.numerator, false));
      else row.push(cell(v?.numerator, false), cell(v?.denominator, false), cell(v ? percent(v.value) : null, false));
    }
    return row.join(',');
  });
  return `\uFEFF${[header.map((h) => cell(h)).join(','), ...rows].join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Periods

/** The calendar month `yyyy-mm` in Asia/Shanghai as a period (e.g. 2026-03 → [03-01T00:00+08:00, 04-01T00:00+08:00)). */
export function shanghaiMonth(month: string): EvaluationPeriod {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`a month is written yyyy-mm, got ${month}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  return { from: `${month}-01T00:00:00+08:00`, to: `${next}-01T00:00:00+08:00` };
}
