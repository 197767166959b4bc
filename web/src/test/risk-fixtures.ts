/** Realistic API answers of the risk module (MON-2, MON-6) for component tests: Changsha (430100). */
import type { AccidentStats, HazardView, PlanView, RiskPoint } from '../../../contracts';

export const RISK_ID = '01JD3B0000000000000000000R';
export const OTHER_RISK_ID = '01JD3B0000000000000000000S';
export const HAZARD_ID = '01JD3B0000000000000000000H';
export const OVERDUE_HAZARD_ID = '01JD3B0000000000000000000J';

export function riskPoint(overrides: Partial<RiskPoint> = {}): RiskPoint {
  return {
    tenant: '430100',
    id: RISK_ID,
    name: '西园路燃气调压站',
    domain: 'gas',
    location: { lng: 112.9545, lat: 28.1842 },
    gridId: '430104005001001',
    level: 'major',
    description: '中压调压站紧邻小学',
    controlMeasures: [{ text: '每日巡检并记录进出口压力', department: 'water', status: 'in-place' }],
    deviceIds: [],
    reviewedBy: '430100.monitoring-operator',
    reviewedAt: '2025-11-20T02:00:00.000Z',
    createdAt: '2025-11-20T02:00:00.000Z',
    version: 1,
    history: [{ at: '2025-11-20T02:00:00.000Z', action: 'registered', actor: '430100.monitoring-operator', role: 'monitoring-operator' }],
    ...overrides,
  };
}

export function hazardView(overrides: Partial<HazardView> = {}): HazardView {
  return {
    tenant: '430100',
    id: HAZARD_ID,
    title: '调压箱锈蚀',
    source: 'inspection',
    level: 'general',
    domain: 'gas',
    location: { lng: 112.955, lat: 28.185 },
    gridId: '430104005001001',
    description: '调压箱箱体锈蚀穿孔',
    status: 'reported',
    reportedBy: '430100.inspector',
    reportedAt: '2025-11-24T01:00:00.000Z',
    history: [{ at: '2025-11-24T01:00:00.000Z', action: 'reported', actor: '430100.inspector', role: 'inspector' }],
    overdue: false,
    ...overrides,
  };
}

export function planView(overrides: Partial<PlanView> = {}): PlanView {
  return {
    id: 'manhole-onsite',
    name: { zh: '长沙市窨井盖缺失、移位现场处置方案', en: 'On-site plan for missing or displaced manhole covers' },
    category: 'onsite',
    domains: ['manhole'],
    appliesTo: { ruleIds: ['cover-open'], ruleTypes: [] },
    responseLevels: [{ level: 'IV', trigger: '井盖开启、移位或缺失', fromAlarmLevel: 'yellow' }],
    steps: [
      { title: '核实', action: '监督员到场核实，拍照上报，设置临时警示。', role: 'inspector', withinMinutes: 30 },
      { title: '复位或更换', action: '权属单位复位、加锁或更换井盖。', department: 'water', withinMinutes: 120 },
    ],
    contacts: [{ department: 'urban-mgmt', duty: '井盖管理协调' }],
    issuedBy: '长沙市城市管理和综合执法局（示例）',
    version: '示例-1',
    status: 'effective',
    note: 'PROVISIONAL',
    ruleIds: ['cover-open'],
    ...overrides,
  };
}

const counts = (total: number): AccidentStats['current'] => ({ total, deaths: 0, injuries: total, directLossWanYuan: total * 10, byDomain: total ? { gas: total } : {} });
export const ACCIDENT_STATS: AccidentStats = {
  month: '2025-11',
  current: counts(3),
  previousMonth: counts(2),
  sameMonthLastYear: counts(0),
  monthOnMonth: 0.5,
  yearOnYear: null,
};
