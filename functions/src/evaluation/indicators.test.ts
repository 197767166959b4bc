import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseAction, type Case, type CaseEvent, type CaseSource } from '../../../contracts';
import {
  DEFAULT_EVALUATION_SETTINGS,
  EvaluationResult,
  EvaluationSettings,
  INDICATORS,
  IndicatorId,
  TenantEvaluation,
  type SubjectKind,
  type SubjectResult,
} from '../../../contracts';
import { APPLICABLE, bandScore, computeIndicators, currentStepDue, gradeOf, score, shanghaiMonth, toCsv, type DueFn } from './indicators';

// ---------------------------------------------------------------------------------------------------------
// A small builder of cases with histories

/** A Shanghai wall-clock time in 2026 as the UTC ISO string the case history stores: sh('03-05 10:00'). */
const sh = (local: string): string => new Date(`2026-${local.replace(' ', 'T')}:00+08:00`).toISOString();
const MARCH = shanghaiMonth('2026-03');
const TENANT = '430100';
const G1 = '430102001001001'; // 芙蓉区
const G2 = '430102001001002'; // 芙蓉区
const G3 = '430104001001001'; // 岳麓区
const INSP = '430100.inspector';
const INSP2 = '430100.inspector2';
const LEADER = '430100.shift-leader';
const DISPATCHER = '430100.dispatcher';
const ACCEPTOR = '430100.acceptor';

let seq = 0;
class Builder {
  private readonly events: CaseEvent[] = [];
  constructor(
    private readonly source: CaseSource,
    private readonly gridId: string,
    private readonly extra: Partial<Pick<Case, 'status' | 'dueAt' | 'stepDue' | 'departments'>> = {},
  ) {}

  private push(action: CaseEvent['action'], at: string, e: Partial<CaseEvent> = {}): this {
    this.events.push({ at: sh(at), action, actor: 'system', role: 'system', note: '', ...e });
    return this;
  }
  report(at: string, actor = this.source === 'inspector' ? INSP : ACCEPTOR): this {
    const role = this.source === 'inspector' ? 'inspector' : this.source === 'citizen' ? 'citizen' : 'acceptor';
    return this.push('reported', at, { actor, role, data: { source: this.source } });
  }
  verify(at: string, o: { actor?: string; onTime?: boolean; rejected?: boolean } = {}): this {
    return this.push(o.rejected ? 'verify-rejected' : 'verified', at, { step: 'case.verify', actor: o.actor ?? INSP, role: 'inspector', onTime: o.onTime ?? true });
  }
  file(at: string, o: { actor?: string; onTime?: boolean } = {}): this {
    return this.push('filed', at, { step: 'case.file', actor: o.actor ?? LEADER, role: 'shift-leader', onTime: o.onTime ?? true });
  }
  cancel(at: string, reason = 'invalid'): this {
    return this.push('cancelled', at, { step: 'case.file', actor: LEADER, role: 'shift-leader', onTime: true, data: { reason } });
  }
  dispatch(at: string, departments: string[], o: { actor?: string; onTime?: boolean; auto?: boolean } = {}): this {
    return o.auto
      ? this.push('auto-dispatched', at, { step: 'case.dispatch', onTime: true, data: { departments } })
      : this.push('dispatched', at, { step: 'case.dispatch', actor: o.actor ?? DISPATCHER, role: 'dispatcher', onTime: o.onTime ?? true, data: { departments } });
  }
  ret(at: string, department: string): this {
    return this.push('return-requested', at, { step: 'case.handle', actor: `${department}.handler`, role: 'department-handler', department });
  }
  extend(at: string, department: string): this {
    this.push('extension-requested', at, { step: 'case.handle', actor: `${department}.handler`, role: 'department-handler', department });
    return this.push('extension-approved', at, { step: 'case.extension-approval', actor: DISPATCHER, role: 'dispatcher', onTime: true });
  }
  suspend(at: string): this {
    return this.push('suspension-approved', at, { step: 'case.suspension-approval', actor: DISPATCHER, role: 'dispatcher', onTime: true });
  }
  resume(at: string): this {
    return this.push('resumed', at, { actor: DISPATCHER, role: 'dispatcher' });
  }
  feedback(at: string, department: string, o: { onTime?: boolean } = {}): this {
    return this.push('feedback', at, { step: 'case.handle', actor: `${department}.handler`, role: 'department-handler', department, onTime: o.onTime ?? true });
  }
  check(at: string, passed: boolean, o: { actor?: string; onTime?: boolean } = {}): this {
    return this.push(passed ? 'check-passed' : 'check-failed', at, { step: 'case.check', actor: o.actor ?? INSP, role: 'inspector', onTime: o.onTime ?? true });
  }
  close(at: string, closeType: 'normal' | 'overdue' | 'error' | 'special' = 'normal'): this {
    return this.push('closed', at, { data: { closeType } });
  }
  /** As the flow writes it (督办 of an overdue step). */
  escalate(at: string, step: string): this {
    return this.push('escalated', at, { step, actor: 'system:flow', data: { level: 1 } });
  }
  build(): Case {
    seq += 1;
    const first = this.events[0]?.at ?? sh('03-01 00:00');
    return {
      id: `C${String(seq).padStart(25, '0')}`,
      tenant: TENANT,
      number: `${TENANT}-20260301-${String(seq).padStart(6, '0')}`,
      source: this.source,
      kind: 'matter',
      typeCode: '01001',
      matterCode: '43010001001',
      gridId: this.gridId,
      description: 'test case',
      location: { lng: 112.98, lat: 28.19 },
      urgency: 'ordinary',
      status: 'handling',
      departments: [],
      photos: [],
      createdAt: first,
      reportedBy: this.events[0]?.actor ?? 'x',
      dueAt: null,
      extensionHours: 0,
      pauses: [],
      escalations: 0,
      reworks: 0,
      extensions: 0,
      history: [...this.events],
      ...this.extra,
    };
  }
}
const kase = (source: CaseSource = 'inspector', grid = G1, extra: Partial<Pick<Case, 'status' | 'dueAt' | 'stepDue' | 'departments'>> = {}) => new Builder(source, grid, extra);
/** A complete, on-time loop of an inspector's report. */
const fullLoop = (grid = G1, department = 'CG', day = '10') =>
  kase('inspector', grid)
    .report(`03-${day} 09:00`)
    .file(`03-${day} 09:10`)
    .dispatch(`03-${day} 09:20`, [department])
    .feedback(`03-${day} 15:00`, department)
    .check(`03-${day} 16:00`, true)
    .close(`03-${day} 16:01`)
    .build();

const find = (r: EvaluationResult, kind: SubjectKind, id: string): SubjectResult => {
  const s = r.subjects.find((x) => x.kind === kind && x.id === id);
  if (!s) throw new Error(`no ${kind} ${id} in ${r.subjects.map((x) => `${x.kind}:${x.id}`).join(', ')}`);
  return s;
};
/** [numerator, denominator] of an indicator. */
const nd = (s: SubjectResult, id: IndicatorId): [number, number | null] | undefined => {
  const v = s.indicators[id];
  return v ? [v.numerator, v.denominator] : undefined;
};
/** A due function: every open step is due `hours` after it opened. */
const dueAfter = (hours: number): DueFn => (_c, _step, openedAt) => new Date(Date.parse(openedAt) + hours * 3_600_000).toISOString();

// ---------------------------------------------------------------------------------------------------------

describe('CMD-9 按时核实率 onTimeVerifyRate = 按时核实数 / 应核实数', () => {
  const cases = [
    kase('citizen').report('03-02 09:00').verify('03-02 09:20').build(),
    kase('citizen').report('03-03 09:00').verify('03-03 11:00', { onTime: false }).build(),
    kase('hotline').report('03-04 09:00').verify('03-04 09:10', { actor: INSP2, rejected: true }).build(),
    kase('citizen').report('03-05 09:00').build(), // still open
  ];

  it('counts completed verifications for their inspector and the grid; open ones are not counted without a due time', () => {
    const r = computeIndicators(cases, MARCH);
    expect(nd(find(r, 'inspector', INSP), 'onTimeVerifyRate')).toEqual([1, 2]);
    expect(find(r, 'inspector', INSP).indicators.onTimeVerifyRate?.value).toBe(0.5);
    expect(nd(find(r, 'inspector', INSP2), 'onTimeVerifyRate')).toEqual([1, 1]); // a rejection is a verification too
    expect(nd(find(r, 'grid', G1), 'onTimeVerifyRate')).toEqual([2, 3]);
    expect(nd(find(r, 'grid', G1), 'verifyCount')).toEqual([3, null]);
  });

  it('an open verification past its limit counts, as late, for the inspectors of the grid', () => {
    const r = computeIndicators(cases, MARCH, { dueAt: dueAfter(0.5), inspectorGrids: { [INSP2]: [G1] } });
    expect(nd(find(r, 'grid', G1), 'onTimeVerifyRate')).toEqual([2, 4]);
    expect(nd(find(r, 'inspector', INSP2), 'onTimeVerifyRate')).toEqual([1, 2]);
    expect(nd(find(r, 'inspector', INSP), 'onTimeVerifyRate')).toEqual([1, 2]);
  });

  it("an inspector's own report needs no verification", () => {
    const r = computeIndicators([kase('inspector').report('03-02 09:00').build()], MARCH, { dueAt: dueAfter(0.5) });
    expect(nd(find(r, 'tenant', TENANT), 'onTimeVerifyRate')).toEqual([0, 0]);
  });
});

describe('CMD-9 按时核查率 onTimeCheckRate = 按时核查数 / 应核查数', () => {
  it('counts checks (passed or failed) by their on-time flag, and open checks past their limit as late', () => {
    const cases = [
      kase().report('03-02 09:00').file('03-02 09:05').dispatch('03-02 09:10', ['CG']).feedback('03-02 12:00', 'CG').check('03-02 12:20', true).build(),
      kase().report('03-03 09:00').file('03-03 09:05').dispatch('03-03 09:10', ['CG']).feedback('03-03 12:00', 'CG').check('03-03 15:00', false, { onTime: false }).build(),
      kase().report('03-04 09:00').file('03-04 09:05').dispatch('03-04 09:10', ['CG']).feedback('03-04 12:00', 'CG').build(), // check open
    ];
    const r = computeIndicators(cases, MARCH, { dueAt: dueAfter(0.5), inspectorGrids: { [INSP]: [G1] } });
    expect(nd(find(r, 'inspector', INSP), 'onTimeCheckRate')).toEqual([1, 3]);
    expect(nd(find(r, 'inspector', INSP), 'checkCount')).toEqual([2, null]);
    expect(nd(find(r, 'tenant', TENANT), 'onTimeCheckRate')).toEqual([1, 3]);
  });
});

describe('CMD-9 有效上报率 validReportRate = 有效上报数 / 上报数', () => {
  it("counts an inspector's reports in the period of the report; valid = filed by asOf", () => {
    const cases = [
      kase().report('03-02 09:00').file('03-02 09:10').build(),
      kase().report('03-03 09:00').cancel('03-03 09:10').build(),
      kase().report('03-31 23:00').build(), // not decided at the end of March
      kase().report('03-31 23:30').file('04-01 08:30').build(), // filed after the period
      kase('citizen').report('03-05 09:00').verify('03-05 09:10').file('03-05 09:20').build(), // not an inspector's report
    ];
    const march = computeIndicators(cases, MARCH);
    expect(nd(find(march, 'inspector', INSP), 'validReportRate')).toEqual([1, 4]);
    expect(nd(find(march, 'inspector', INSP), 'reportCount')).toEqual([4, null]);
    expect(nd(find(march, 'tenant', TENANT), 'reportCount')).toEqual([5, null]);
    const settled = computeIndicators(cases, MARCH, { asOf: sh('04-05 00:00') });
    expect(nd(find(settled, 'inspector', INSP), 'validReportRate')).toEqual([2, 4]);
  });
});

describe('CMD-9 漏报率 missedReportRate = 漏报数 / 立案数', () => {
  const cases = [
    kase('citizen', G1).report('03-02 09:00').verify('03-02 09:10').file('03-02 09:20').build(),
    kase('hotline', G1).report('03-03 09:00').verify('03-03 09:10').file('03-03 09:20').build(),
    kase('province', G1).report('03-04 09:00').file('03-04 09:20').build(),
    kase('inspector', G1).report('03-05 09:00').file('03-05 09:20').build(),
    kase('video', G1).report('03-06 09:00').verify('03-06 09:10').file('03-06 09:20').build(),
    kase('citizen', G1).report('03-07 09:00').verify('03-07 09:10', { rejected: true }).build(), // not confirmed: not missed
    kase('citizen', G2).report('03-08 09:00').verify('03-08 09:10').file('03-08 09:20').build(),
  ];

  it("counts filed public, hotline and province cases of the inspector's grids against all filed cases there", () => {
    const r = computeIndicators(cases, MARCH, { inspectorGrids: { [INSP]: [G1], [INSP2]: [G3] } });
    expect(nd(find(r, 'inspector', INSP), 'missedReportRate')).toEqual([3, 5]);
    expect(nd(find(r, 'inspector', INSP), 'missedCount')).toEqual([3, null]);
    expect(find(r, 'inspector', INSP2).indicators.missedReportRate).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(nd(find(r, 'grid', G2), 'missedReportRate')).toEqual([1, 1]);
    expect(nd(find(r, 'region', '430102'), 'missedReportRate')).toEqual([4, 6]);
  });

  it('the missed-report sources are tenant settings', () => {
    const settings = { ...DEFAULT_EVALUATION_SETTINGS, missedReportSources: ['citizen' as const] };
    const r = computeIndicators(cases, MARCH, { inspectorGrids: { [INSP]: [G1] }, settings });
    expect(nd(find(r, 'inspector', INSP), 'missedReportRate')).toEqual([1, 5]);
  });

  it('a grid with two inspectors counts the case for both', () => {
    const r = computeIndicators(cases, MARCH, { inspectorGrids: { [INSP]: [G1], [INSP2]: [G1, G2] } });
    expect(nd(find(r, 'inspector', INSP2), 'missedReportRate')).toEqual([4, 6]);
  });
});

describe('CMD-9 按时立案率 / 准确立案率 / 作废数', () => {
  const cases = [
    kase().report('03-02 09:00').file('03-02 09:10').build(),
    kase().report('03-03 09:00').file('03-03 12:00', { onTime: false }).build(),
    kase().report('03-04 09:00').file('03-04 09:10').dispatch('03-04 09:20', ['CG']).cancel('03-04 10:00', 'invalid').build(), // voided after filing
    kase().report('03-05 09:00').file('03-05 09:10').dispatch('03-05 09:20', ['CG']).feedback('03-05 10:00', 'CG').check('03-05 10:10', true).close('03-05 10:11', 'error').build(),
    kase().report('03-06 09:00').cancel('03-06 09:10', 'invalid').build(), // not filed: not in 立案数
    kase().report('03-07 09:00').cancel('03-07 09:10', 'duplicate').build(),
  ];
  const r = computeIndicators(cases, MARCH);

  it('按时立案率 = filings on time / filings, for the shift leader who filed', () => {
    expect(nd(find(r, 'shift-leader', LEADER), 'onTimeFileRate')).toEqual([3, 4]);
    expect(nd(find(r, 'shift-leader', LEADER), 'fileCount')).toEqual([4, null]);
  });

  it('准确立案率 = (立案数 − 作废数) / 立案数 over the filing-step decisions (立案 + 作废); a filing voided later is not accurate', () => {
    // decisions: 4 filed + 1 voided instead of filed; accurate: the 3 filed and not voided (差错结案 is a close type, not 作废)
    expect(nd(find(r, 'shift-leader', LEADER), 'accurateFileRate')).toEqual([3, 5]);
    expect(find(r, 'tenant', TENANT).indicators.accurateFileRate?.value).toBe(0.6);
  });

  it('作废数 counts cancellations with reason invalid, filed or not', () => {
    expect(nd(find(r, 'shift-leader', LEADER), 'voidCount')).toEqual([2, null]);
  });
});

describe('CMD-9 按时派遣率 / 准确派遣率 / 退回数', () => {
  const cases = [
    kase().report('03-02 09:00').file('03-02 09:05').dispatch('03-02 09:10', ['CG']).build(),
    kase().report('03-03 09:00').file('03-03 09:05').dispatch('03-03 11:00', ['CG'], { onTime: false }).build(),
    kase().report('03-04 09:00').file('03-04 09:05').dispatch('03-04 09:10', ['SW']).ret('03-04 10:00', 'SW').dispatch('03-04 10:30', ['CG']).build(),
    kase().report('03-05 09:00').file('03-05 09:05').dispatch('03-05 09:06', ['CG'], { auto: true }).build(),
    kase().report('03-06 09:00').file('03-06 09:05').build(), // waiting for dispatch
  ];

  it('按时派遣率 counts each dispatch for the dispatcher; automatic dispatches count for no person', () => {
    const r = computeIndicators(cases, MARCH);
    expect(nd(find(r, 'dispatcher', DISPATCHER), 'onTimeDispatchRate')).toEqual([3, 4]);
    expect(nd(find(r, 'tenant', TENANT), 'onTimeDispatchRate')).toEqual([4, 5]);
    expect(r.subjects.some((s) => s.id === 'system')).toBe(false);
  });

  it('准确派遣率: a dispatch the department returns (退回) is inaccurate; an open dispatch past its limit is due', () => {
    const r = computeIndicators(cases, MARCH, { dueAt: dueAfter(1) });
    expect(nd(find(r, 'dispatcher', DISPATCHER), 'accurateDispatchRate')).toEqual([3, 4]);
    expect(nd(find(r, 'dispatcher', DISPATCHER), 'returnCount')).toEqual([1, null]);
    expect(nd(find(r, 'tenant', TENANT), 'accurateDispatchRate')).toEqual([4, 6]);
    expect(nd(find(r, 'tenant', TENANT), 'onTimeDispatchRate')).toEqual([4, 6]);
    expect(nd(find(r, 'department', 'SW'), 'returnCount')).toEqual([1, null]);
  });

  it("a department's 立案数 counts cases dispatched to it and not returned", () => {
    const r = computeIndicators(cases, MARCH);
    expect(nd(find(r, 'department', 'CG'), 'fileCount')).toEqual([4, null]);
    expect(nd(find(r, 'department', 'SW'), 'fileCount')).toEqual([0, null]);
  });
});

describe('CMD-9 处置率 / 按期处置率 / 延期率', () => {
  const cases = [
    kase().report('03-02 09:00').file('03-02 09:05').dispatch('03-02 09:10', ['CG']).feedback('03-02 15:00', 'CG').build(),
    kase().report('03-03 09:00').file('03-03 09:05').dispatch('03-03 09:10', ['CG']).extend('03-03 12:00', 'CG').feedback('03-05 15:00', 'CG', { onTime: false }).build(),
    kase().report('03-04 09:00').file('03-04 09:05').dispatch('03-04 09:10', ['CG', 'YL']).feedback('03-04 15:00', 'CG').build(), // joint
    kase().report('03-06 09:00').file('03-06 09:05').dispatch('03-06 09:10', ['CG']).build(), // open past its limit
    kase().report('03-07 09:00').file('03-07 09:05').dispatch('03-07 09:10', ['CG']).suspend('03-07 10:00').build(), // 挂账
  ];
  const r = computeIndicators(cases, MARCH, { dueAt: dueAfter(24) });

  it('处置率 = 处置数 / 应处置数 with open handling past its limit in 应处置数; suspended cases are left out', () => {
    expect(nd(find(r, 'department', 'CG'), 'handleRate')).toEqual([3, 4]);
    expect(nd(find(r, 'department', 'CG'), 'handleCount')).toEqual([3, null]);
  });

  it('按期处置率 = 按期处置数 / 应处置数', () => {
    expect(nd(find(r, 'department', 'CG'), 'onTimeHandleRate')).toEqual([2, 4]);
  });

  it('joint handling counts the task for every department of the round', () => {
    expect(nd(find(r, 'department', 'YL'), 'handleRate')).toEqual([1, 1]);
  });

  it('延期率 = 延期数 / 应处置数', () => {
    expect(nd(find(r, 'department', 'CG'), 'extensionRate')).toEqual([1, 4]);
    expect(nd(find(r, 'department', 'CG'), 'extensionCount')).toEqual([1, null]);
  });
});

describe('CMD-9 返工率 reworkRate = 返工数 / 处置数', () => {
  const reworked = kase()
    .report('03-30 09:00')
    .file('03-30 09:05')
    .dispatch('03-30 09:10', ['CG'])
    .feedback('03-31 15:00', 'CG')
    .check('04-01 10:00', false) // 返工, decided in April
    .feedback('04-02 15:00', 'CG')
    .check('04-02 16:00', true)
    .close('04-02 16:01')
    .build();

  it('a failed check is a rework of the feedback it rejected, counted in the period of that feedback', () => {
    const march = computeIndicators([reworked, fullLoop()], MARCH, { asOf: sh('04-10 00:00') });
    expect(nd(find(march, 'department', 'CG'), 'reworkRate')).toEqual([1, 2]);
    expect(nd(find(march, 'department', 'CG'), 'reworkCount')).toEqual([1, null]);
    const april = computeIndicators([reworked], shanghaiMonth('2026-04'));
    expect(nd(find(april, 'department', 'CG'), 'reworkRate')).toEqual([0, 1]);
  });

  it('is not known before the check (asOf at the end of March)', () => {
    const march = computeIndicators([reworked], MARCH);
    expect(nd(find(march, 'department', 'CG'), 'reworkRate')).toEqual([0, 1]);
  });
});

describe('CMD-9 结案率 / 按期结案率 / 超期率 (overdue close)', () => {
  const loop = (day: string, closeType: 'normal' | 'overdue' | 'error' | 'special') =>
    kase().report(`03-${day} 09:00`).file(`03-${day} 09:05`).dispatch(`03-${day} 09:10`, ['CG']).feedback(`03-${day} 15:00`, 'CG').check(`03-${day} 16:00`, true).close(`03-${day} 16:01`, closeType).build();
  const cases = [
    loop('02', 'normal'),
    loop('03', 'normal'),
    loop('04', 'overdue'),
    loop('05', 'special'),
    loop('06', 'error'), // 差错结案: reworked or reclassified, but on time
    kase().report('03-07 09:00').file('03-07 09:05').dispatch('03-07 09:10', ['CG']).build(), // open, overdue on 03-10
    kase().report('03-30 09:00').file('03-30 09:05').dispatch('03-30 09:10', ['CG']).build(), // open, due in April
  ];
  const due: DueFn = (_c, step, openedAt) => (step === 'case.close' ? new Date(Date.parse(openedAt) + 72 * 3_600_000).toISOString() : null);
  const r = computeIndicators(cases, MARCH, { dueAt: due });
  const cg = find(r, 'department', 'CG');

  it('结案率 = 结案数 / 应结案数 (closes + open cases that became overdue in the period); 特殊结案 (suspended) is left out', () => {
    expect(nd(cg, 'closeRate')).toEqual([4, 5]);
    expect(nd(cg, 'closeCount')).toEqual([5, null]); // every close, special included
  });

  it('按期结案率 counts normal and error (差错, nothing late) closes', () => {
    expect(nd(cg, 'onTimeCloseRate')).toEqual([3, 5]);
  });

  it('超期率 = (超时结案 + open past the limit) / 应结案数', () => {
    expect(nd(cg, 'overdueRate')).toEqual([2, 5]);
    expect(nd(cg, 'overdueCount')).toEqual([2, null]);
  });

  it('the close counts for the shift leader who filed the case', () => {
    expect(nd(find(r, 'shift-leader', LEADER), 'onTimeCloseRate')).toEqual([3, 5]);
  });

  it('the case still open at the end of March becomes overdue in April', () => {
    const april = computeIndicators(cases, shanghaiMonth('2026-04'), { dueAt: due });
    expect(nd(find(april, 'department', 'CG'), 'closeRate')).toEqual([0, 1]);
  });
});

describe('CMD-9 监督举报率 publicReportRate = 监督举报核实数 / 立案数', () => {
  it('counts filed citizen and hotline cases against all filed cases of the region', () => {
    const cases = [
      kase('citizen', G1).report('03-02 09:00').verify('03-02 09:10').file('03-02 09:20').build(),
      kase('hotline', G3).report('03-03 09:00').verify('03-03 09:10').file('03-03 09:20').build(),
      kase('province', G1).report('03-04 09:00').file('03-04 09:20').build(),
      kase('inspector', G1).report('03-05 09:00').file('03-05 09:20').build(),
    ];
    const r = computeIndicators(cases, MARCH);
    expect(nd(find(r, 'region', '430102'), 'publicReportRate')).toEqual([1, 3]);
    expect(nd(find(r, 'region', '430104'), 'publicReportRate')).toEqual([1, 1]);
    expect(nd(find(r, 'tenant', TENANT), 'publicReportCount')).toEqual([2, null]);
  });
});

describe('CMD-9 受理数 and 督办数', () => {
  it('受理数 counts reports an acceptor registered; 督办数 counts escalations, a handling one for the departments', () => {
    const cases = [
      kase('hotline').report('03-02 09:00', ACCEPTOR).escalate('03-02 10:00', 'case.verify').build(),
      kase('hotline').report('03-03 09:00', ACCEPTOR).verify('03-03 09:30').file('03-03 09:40').dispatch('03-03 09:50', ['CG']).escalate('03-04 10:00', 'case.handle').build(),
    ];
    const r = computeIndicators(cases, MARCH);
    expect(nd(find(r, 'acceptor', ACCEPTOR), 'acceptCount')).toEqual([2, null]);
    expect(nd(find(r, 'department', 'CG'), 'escalationCount')).toEqual([1, null]);
    expect(nd(find(r, 'tenant', TENANT), 'escalationCount')).toEqual([2, null]);
  });
});

describe('CMD-9 grouping by tenant, region, grid, person and department', () => {
  const r = computeIndicators([fullLoop(G1, 'CG', '02'), fullLoop(G2, 'CG', '03'), fullLoop(G3, 'YL', '04')], MARCH, {
    names: { department: { CG: '城管局' } },
  });

  it('a region is the district, the first six characters of the grid id', () => {
    expect(nd(find(r, 'region', '430102'), 'fileCount')).toEqual([2, null]);
    expect(nd(find(r, 'region', '430104'), 'fileCount')).toEqual([1, null]);
    expect(nd(find(r, 'grid', G2), 'fileCount')).toEqual([1, null]);
    expect(nd(find(r, 'tenant', TENANT), 'fileCount')).toEqual([3, null]);
  });

  it('subjects come in kind order, then by id, with names when given', () => {
    expect(r.subjects.map((s) => `${s.kind}:${s.id}`)).toEqual([
      `tenant:${TENANT}`,
      'region:430102',
      'region:430104',
      `grid:${G1}`,
      `grid:${G2}`,
      `grid:${G3}`,
      `inspector:${INSP}`,
      `shift-leader:${LEADER}`,
      `dispatcher:${DISPATCHER}`,
      'department:CG',
      'department:YL',
    ]);
    expect(find(r, 'department', 'CG').name).toBe('城管局');
  });

  it('each kind gets only its applicable indicators', () => {
    for (const s of r.subjects) expect(Object.keys(s.indicators).sort()).toEqual([...APPLICABLE[s.kind]].sort());
  });

  it('the result matches the contract', () => {
    expect(EvaluationResult.safeParse(r).success).toBe(true);
  });
});

describe('CMD-9 period boundaries', () => {
  it('[from, to): an event at from counts, an event at to belongs to the next period', () => {
    const atStart = kase().report('03-01 00:00').file('03-01 00:00').build();
    const atEnd = kase().report('04-01 00:00').file('04-01 00:00').build();
    const r = computeIndicators([atStart, atEnd], MARCH, { asOf: sh('04-02 00:00') });
    expect(nd(find(r, 'tenant', TENANT), 'fileCount')).toEqual([1, null]);
    const april = computeIndicators([atStart, atEnd], shanghaiMonth('2026-04'));
    expect(nd(find(april, 'tenant', TENANT), 'fileCount')).toEqual([1, null]);
  });

  it('months are Asia/Shanghai months', () => {
    expect(shanghaiMonth('2026-12')).toEqual({ from: '2026-12-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' });
    expect(() => shanghaiMonth('2026-13')).toThrow(RangeError);
    // 2026-02-28 23:30 Shanghai is 15:30 UTC: February, not March.
    const r = computeIndicators([kase().report('02-28 23:30').file('02-28 23:40').build()], MARCH);
    expect(r.subjects).toEqual([]);
  });

  it('events after asOf are not seen', () => {
    const c = kase().report('03-10 09:00').file('03-10 09:10').build();
    expect(computeIndicators([c], MARCH, { asOf: sh('03-10 09:05') }).subjects.find((s) => s.kind === 'tenant')?.indicators.fileCount?.value).toBe(0);
  });

  it('a period must start before it ends', () => {
    expect(() => computeIndicators([], { from: MARCH.to, to: MARCH.from })).toThrow(RangeError);
  });
});

describe('CMD-9 zero denominators give null, never NaN', () => {
  it('an assigned inspector with no activity is reported with null rates and zero counts', () => {
    const r = computeIndicators([], MARCH, { inspectorGrids: { [INSP]: [G1] }, tenant: TENANT });
    const insp = find(r, 'inspector', INSP);
    expect(insp.indicators.validReportRate).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(insp.indicators.reportCount).toEqual({ numerator: 0, denominator: null, value: 0 });
    for (const v of Object.values(find(r, 'tenant', TENANT).indicators)) expect(Number.isNaN(v.value)).toBe(false);
    const scored = score(r, DEFAULT_EVALUATION_SETTINGS);
    expect(find(scored, 'inspector', INSP)).toMatchObject({ score: null, grade: null, coverage: 0 });
  });
});

describe('CMD-9 scores and grades with the default weights (DOMAIN_NOTES §2.3)', () => {
  const subject = (kind: SubjectKind, id: string, values: Partial<Record<IndicatorId, readonly [number, number]>>): SubjectResult => ({
    id,
    kind,
    indicators: Object.fromEntries(
      Object.entries(values).map(([k, [n, d]]) => [k, INDICATORS[k as IndicatorId].kind === 'count' ? { numerator: n, denominator: null, value: n } : { numerator: n, denominator: d, value: d === 0 ? null : n / d }]),
    ),
  });
  const scoreOf = (s: SubjectResult, settings: EvaluationSettings = DEFAULT_EVALUATION_SETTINGS) =>
    find(score({ period: MARCH, asOf: MARCH.to, subjects: [s] }, settings), s.kind, s.id);

  it('监督员: 有效上报率 80% ×40 + (1 − 漏报率 10%) ×20 + 按时核实率 75% ×20 + 按时核查率 50% ×20 = 75 → B', () => {
    const s = scoreOf(subject('inspector', INSP, { validReportRate: [8, 10], missedReportRate: [1, 10], onTimeVerifyRate: [3, 4], onTimeCheckRate: [1, 2] }));
    // 32 + 18 + 15 + 10
    expect(s.score).toBe(75);
    expect(s.grade).toBe('B');
    expect(s.coverage).toBe(1);
    expect(s.components?.find((c) => c.indicator === 'missedReportRate')?.score).toBe(90);
  });

  it('专业部门: 立案数 60 → 90 ×10 + 结案率 90% ×30 + 按期处置率 80% ×30 + (1 − 返工率 10%) ×30 = 87 → B', () => {
    const s = scoreOf(subject('department', 'CG', { fileCount: [60, 0], closeRate: [9, 10], onTimeHandleRate: [8, 10], reworkRate: [1, 10] }));
    expect(s.score).toBe(87);
    expect(s.grade).toBe('B');
  });

  it('区域 (单元网格): 立案数分值 depends on the area class; 按期结案率 weighs 40% (inferred)', () => {
    const values = { publicReportRate: [1, 4], fileCount: [4, 0], closeRate: [4, 4], onTimeCloseRate: [3, 4] } as const;
    // 一类: 4 < 5 → 75. 75×0.1 + 75×0.2 + 100×0.3 + 75×0.4 = 7.5 + 15 + 30 + 30 = 82.5
    expect(scoreOf(subject('grid', G1, { ...values })).score).toBe(82.5);
    // 二类: 4 < 6 → 75 too; 3 cases: 一类 75, 二类 90
    const three = { ...values, fileCount: [3, 0] as const };
    const second = { ...DEFAULT_EVALUATION_SETTINGS, areaClasses: { '430102': '二类' as const } };
    expect(scoreOf(subject('grid', G1, three)).components?.find((c) => c.indicator === 'fileCount')?.score).toBe(75);
    expect(scoreOf(subject('grid', G1, three), second).components?.find((c) => c.indicator === 'fileCount')?.score).toBe(90);
    expect(DEFAULT_EVALUATION_SETTINGS.positions.region.find((i) => i.indicator === 'onTimeCloseRate')?.weight).toBe(40);
  });

  it('评价区域 (evaluation areas) group unit grids and are scored on their own class', () => {
    const cases = [fullLoop(G1, 'CG', '02'), fullLoop(G2, 'CG', '03'), fullLoop(G2, 'CG', '04'), fullLoop(G3, 'YL', '05')];
    const areas = [
      { id: '430102A01', name: '五一广场片区', class: '二类' as const, gridIds: [G1, G2] },
      { id: '430104A01', class: '一类' as const, gridIds: [G3] },
    ];
    const r = score(computeIndicators(cases, MARCH, { evaluationAreas: areas }), DEFAULT_EVALUATION_SETTINGS);
    const a = find(r, 'area', '430102A01');
    expect(a).toMatchObject({ name: '五一广场片区', areaClass: '二类' });
    expect(nd(a, 'fileCount')).toEqual([3, null]);
    expect(a.components?.find((c) => c.indicator === 'fileCount')?.score).toBe(90); // 二类: 3 < 4
    expect(r.subjects.map((s) => s.kind).indexOf('area')).toBeLessThan(r.subjects.map((s) => s.kind).indexOf('grid'));
  });

  it('受理员: 受理数 600 → 75; the two 派发率 are not derivable and are left out (weights renormalised, coverage 25%)', () => {
    const s = scoreOf(subject('acceptor', ACCEPTOR, { acceptCount: [600, 0] }));
    expect(s.score).toBe(75);
    expect(s.coverage).toBe(0.25);
  });

  it('派遣员: without 派遣数分值 bands the count is left out; with bands it counts', () => {
    const values = { dispatchCount: [120, 0], onTimeDispatchRate: [9, 10], accurateDispatchRate: [7, 10] } as const;
    expect(scoreOf(subject('dispatcher', DISPATCHER, { ...values })).score).toBe(80); // (90×40 + 70×40) / 80
    const withBands = EvaluationSettings.parse({
      ...DEFAULT_EVALUATION_SETTINGS,
      positions: {
        ...DEFAULT_EVALUATION_SETTINGS.positions,
        dispatcher: [{ indicator: 'dispatchCount', weight: 20, bands: { rules: [{ op: 'gte', value: 100, score: 100 }], otherwise: 0 } }, ...DEFAULT_EVALUATION_SETTINGS.positions.dispatcher.slice(1)],
      },
    });
    expect(scoreOf(subject('dispatcher', DISPATCHER, { ...values }), withBands).score).toBe(84); // 20 + 36 + 28
  });

  it('grades: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E < 40', () => {
    const g = (n: number) => gradeOf(n, DEFAULT_EVALUATION_SETTINGS);
    expect([100, 90, 89.99, 75, 74.99, 60, 59.99, 40, 39.99, 0].map(g)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E']);
  });

  it('a band list picks the first matching rule, else its fallback', () => {
    const acceptBands = DEFAULT_EVALUATION_SETTINGS.positions.acceptor[0]!.bands!;
    expect([2001, 2000, 1201, 501, 301, 101, 100].map((n) => bandScore(n, acceptBands))).toEqual([100, 90, 90, 75, 60, 40, 0]);
  });

  it('the tenant as a whole has no position and no score', () => {
    expect(scoreOf(subject('tenant', TENANT, { closeRate: [1, 1] }))).toMatchObject({ score: null, grade: null });
  });

  it('end to end: a perfect month gives every position 100 / A', () => {
    const r = score(computeIndicators([fullLoop(G1, 'CG', '02'), fullLoop(G1, 'CG', '03')], MARCH, { inspectorGrids: { [INSP]: [G1] } }), DEFAULT_EVALUATION_SETTINGS);
    for (const kind of ['inspector', 'shift-leader', 'department', 'grid'] as const) {
      const s = r.subjects.find((x) => x.kind === kind)!;
      expect(s.score, kind).toBe(kind === 'grid' ? 98 : 100); // a grid with 2 filed cases: 立案数分值 90 ×20%
      expect(s.grade, kind).toBe('A');
    }
  });
});

describe('CMD-9 evaluation settings are tenant data', () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  for (const code of ['430100', '430181']) {
    it(`tenants/${code}/evaluation.json is valid and assigns inspectors by demo username`, () => {
      const file = TenantEvaluation.parse(JSON.parse(readFileSync(path.join(root, 'tenants', code, 'evaluation.json'), 'utf8')));
      for (const [user, grids] of Object.entries(file.inspectorGrids)) {
        expect(user.startsWith(`${code}.`)).toBe(true);
        for (const g of grids) expect(g.startsWith(code === '430181' ? '430181' : '4301')).toBe(true);
      }
    });
  }

  it('the defaults are valid; weights must add up to 100 and rates take no bands', () => {
    expect(EvaluationSettings.safeParse(DEFAULT_EVALUATION_SETTINGS).success).toBe(true);
    const badWeights = { ...DEFAULT_EVALUATION_SETTINGS, positions: { ...DEFAULT_EVALUATION_SETTINGS.positions, region: DEFAULT_EVALUATION_SETTINGS.positions.region.map((i) => (i.indicator === 'onTimeCloseRate' ? { ...i, weight: 10 } : i)) } };
    expect(EvaluationSettings.safeParse(badWeights).error?.issues[0]?.message).toMatch(/add up to 70/);
    const bandedRate = { ...DEFAULT_EVALUATION_SETTINGS, positions: { ...DEFAULT_EVALUATION_SETTINGS.positions, inspector: [{ indicator: 'validReportRate', weight: 100, bands: { rules: [], otherwise: 0 } }] } };
    expect(EvaluationSettings.safeParse(bandedRate).success).toBe(false);
  });

  it('every indicator has Chinese and English names, a numerator and (for rates) a denominator', () => {
    for (const id of IndicatorId.options) {
      const d = INDICATORS[id];
      expect(d.id).toBe(id);
      expect(d.name.zh && d.name.en && d.numerator.zh && d.numerator.en).toBeTruthy();
      expect(d.denominator === null).toBe(d.kind === 'count');
      if (d.kind === 'rate') expect(['higher-better', 'lower-better']).toContain(d.direction);
    }
  });
});

describe('CMD-9 CSV export', () => {
  const r = score(computeIndicators([fullLoop()], MARCH, { names: { department: { CG: '城管局, "市容"' } } }), DEFAULT_EVALUATION_SETTINGS);

  it('starts with a BOM for Excel, uses CRLF and Chinese headers by default', () => {
    const csv = toCsv(r);
    expect(csv.startsWith('\uFEFF对象类型,对象编码,名称,综合得分,等级,')).toBe(true);
    expect(csv).toContain('按时核实率-分子,按时核实率-分母,按时核实率');
    expect(csv.split('\r\n')).toHaveLength(r.subjects.length + 2); // header + rows + final empty
  });

  it('English and bilingual (Chinese first) headers', () => {
    expect(toCsv(r, 'en')).toMatch(/^\uFEFFKind,ID,Name,Score,Grade,/);
    expect(toCsv(r, 'bilingual')).toMatch(/^\uFEFF对象类型 \/ Kind,对象编码 \/ ID,/);
  });

  it('rates as percentages, null as an empty cell, text quoted', () => {
    const lines = toCsv(r).split('\r\n');
    const header = lines[0]!.replace('\uFEFF', '').split(',');
    const dept = lines.find((l) => l.startsWith('专业部门,CG,'))!;
    expect(dept).toContain('"城管局, ""市容"""');
    const tenant = lines.find((l) => l.startsWith('本级平台,'))!.split(',');
    expect(tenant[header.indexOf('按期结案率')]).toBe('100.00%');
    expect(tenant[header.indexOf('按时核实率')]).toBe(''); // 0 / 0
    expect(tenant[3]).toBe(''); // the tenant has no score
  });

  it('neutralises cells that Excel would run as formulas', () => {
    const evil: EvaluationResult = { period: MARCH, asOf: MARCH.to, subjects: [{ id: '=HYPERLINK("x")', kind: 'department', indicators: {} }] };
    expect(toCsv(evil)).toContain(`'=HYPERLINK`);
  });
});

describe('CMD-9 currentStepDue', () => {
  it("uses the case's dueAt for its current step only", () => {
    const c = kase('inspector', G1, { status: 'handling', dueAt: sh('03-10 12:00') }).build();
    expect(currentStepDue(c, 'case.handle', sh('03-10 09:00'))).toBe(sh('03-10 12:00'));
    expect(currentStepDue(c, 'case.close', sh('03-10 09:00'))).toBe(sh('03-10 12:00'));
    expect(currentStepDue(c, 'case.check', sh('03-10 09:00'))).toBeNull();
  });

  it("prefers the case's stepDue (the deadline as first planned)", () => {
    const c = kase('inspector', G1, { status: 'handling', dueAt: sh('03-11 12:00'), stepDue: { step: 'case.handle', dueAt: sh('03-10 12:00') } }).build();
    expect(currentStepDue(c, 'case.handle', sh('03-10 09:00'))).toBe(sh('03-10 12:00'));
    expect(currentStepDue(c, 'case.close', sh('03-10 09:00'))).toBe(sh('03-10 12:00'));
    expect(currentStepDue(c, 'case.dispatch', sh('03-10 09:00'))).toBeNull();
  });
});

describe('CMD-9 property: rates are always within [0, 1] or null', () => {
  const ROLES = ['inspector', 'acceptor', 'shift-leader', 'dispatcher', 'department-handler', 'citizen', 'system'] as const;
  const event = fc.record({
    action: fc.constantFrom(...CaseAction.options),
    minute: fc.integer({ min: 0, max: 90 * 24 * 60 }), // February to April
    role: fc.constantFrom(...ROLES),
    actor: fc.constantFrom('a', 'b', 'c'),
    onTime: fc.option(fc.boolean(), { nil: undefined }),
    department: fc.option(fc.constantFrom('CG', 'SW', 'YL'), { nil: undefined }),
    departments: fc.subarray(['CG', 'SW', 'YL']),
    closeType: fc.constantFrom('normal', 'overdue', 'error', 'special', 'bogus'),
    reason: fc.constantFrom('invalid', 'duplicate'),
  });
  const caseArb = fc.record({
    source: fc.constantFrom<CaseSource>('inspector', 'citizen', 'hotline', 'sensor', 'video', 'leader', 'province'),
    grid: fc.constantFrom(G1, G2, G3),
    events: fc.array(event, { maxLength: 14 }),
    dueHours: fc.option(fc.integer({ min: -48, max: 240 }), { nil: null }),
  });
  const start = Date.parse('2026-02-01T00:00:00+08:00');

  it('holds for random histories, with and without due times, and scores stay within 0–100', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { maxLength: 8 }), fc.boolean(), (specs, withDue) => {
        const hours = new Map<string, number | null>();
        const cases = specs.map((s, i) => {
          const c = kase(s.source, s.grid).build();
          hours.set(c.id, s.dueHours);
          c.history = s.events.map(
            (e): CaseEvent => ({
              at: new Date(start + e.minute * 60_000).toISOString(),
              action: e.action,
              actor: `${e.actor}${i % 2}`,
              role: e.role,
              note: '',
              ...(e.onTime !== undefined ? { onTime: e.onTime } : {}),
              ...(e.department ? { department: e.department } : {}),
              data: { departments: e.departments, closeType: e.closeType, reason: e.reason },
            }),
          );
          return c;
        });
        const dueAt: DueFn = (c, _step, openedAt) => {
          const h = hours.get(c.id);
          return h === null || h === undefined ? null : new Date(Date.parse(openedAt) + h * 3_600_000).toISOString();
        };
        const r = computeIndicators(cases, MARCH, { ...(withDue ? { dueAt } : {}), inspectorGrids: { a0: [G1], b1: [G1, G3] } });
        for (const s of r.subjects) {
          for (const [id, v] of Object.entries(s.indicators)) {
            if (INDICATORS[id as IndicatorId].kind === 'count') {
              expect(v.value).toBe(v.numerator);
              continue;
            }
            expect(v.denominator).not.toBeNull();
            expect(v.numerator).toBeLessThanOrEqual(v.denominator!);
            if (v.value !== null) {
              expect(v.value).toBeGreaterThanOrEqual(0);
              expect(v.value).toBeLessThanOrEqual(1);
            } else expect(v.denominator).toBe(0);
          }
        }
        for (const s of score(r, DEFAULT_EVALUATION_SETTINGS).subjects) {
          if (s.score !== null && s.score !== undefined) {
            expect(s.score).toBeGreaterThanOrEqual(0);
            expect(s.score).toBeLessThanOrEqual(100);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
