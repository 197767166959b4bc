/** Realistic API answers for tests: Changsha (430100) and the Hunan province tenant (430000). */
import type { AlarmView, CaseSummary, DeadLetter, DeviceView, Photo, SupervisionItem, TelemetryAggregate, TenantProfile } from '../../../contracts';
import type { CaseDetail, Me, Task } from '../api/schemas';

export const CHANGSHA: TenantProfile = {
  code: '430100',
  name: { zh: '长沙市', en: 'Changsha' },
  level: 'city',
  parent: '430000',
  platform: 'own-platform',
  bounds: [111.89, 27.85, 114.25, 28.67],
  departments: [
    { code: 'urban-mgmt', name: { zh: '市城市管理局', en: 'Urban Management Bureau' }, responsibilities: ['市容环境', '市政设施'], phone: '0731-88888888' },
    { code: 'water', name: { zh: '市水务局', en: 'Water Bureau' }, responsibilities: ['供水', '排水'] },
  ],
  onboardedAt: '2025-01-06T02:00:00.000Z',
  manifestHash: 'sha256-changsha',
};

export const FURONG: TenantProfile = {
  code: '430102',
  name: { zh: '芙蓉区', en: 'Furong District' },
  level: 'county',
  parent: '430100',
  platform: 'integrated-with-city',
  bounds: [112.95, 28.15, 113.1, 28.25],
  departments: [],
  onboardedAt: '2025-02-10T02:00:00.000Z',
  manifestHash: 'sha256-furong',
};

export const HUNAN: TenantProfile = {
  code: '430000',
  name: { zh: '湖南省', en: 'Hunan Province' },
  level: 'province',
  parent: null,
  platform: 'own-platform',
  bounds: [108.78, 24.64, 114.26, 30.13],
  departments: [],
  onboardedAt: '2025-01-01T00:00:00.000Z',
  manifestHash: 'sha256-hunan',
};

const summary = (p: TenantProfile): Me['tenantProfile'] => ({ code: p.code, name: p.name, level: p.level, parent: p.parent, platform: p.platform });

export const DISPATCHER: Me = {
  subject: '430100.dispatcher',
  tenant: '430100',
  roles: ['dispatcher'],
  name: '王派遣',
  kind: 'staff',
  tenantProfile: summary(CHANGSHA),
};

export const SHIFT_LEADER_AND_LEADER: Me = {
  subject: '430100.shift-leader',
  tenant: '430100',
  roles: ['shift-leader', 'leader'],
  name: '李值班',
  kind: 'staff',
  tenantProfile: summary(CHANGSHA),
};

export const PROVINCE_SUPERVISOR: Me = {
  subject: '430000.supervisor',
  tenant: '430000',
  roles: ['province-supervisor'],
  name: '赵督办',
  kind: 'staff',
  tenantProfile: summary(HUNAN),
};

export const TOKENS = { access_token: 'token-abc', id_token: 'id-abc', token_type: 'Bearer', expires_in: 3600 };

export function task(overrides: Partial<Task> = {}): Task {
  return {
    taskId: 'task-1',
    subject: 'supervision',
    itemId: 'sup-1',
    step: 'supervision.feedback',
    dueAt: '2030-01-01T00:00:00.000Z',
    escalations: 0,
    openedAt: '2025-11-20T01:00:00.000Z',
    title: '整治五一大道占道经营',
    ...overrides,
  };
}

export function supervisionItem(overrides: Partial<SupervisionItem> = {}): SupervisionItem {
  return {
    id: 'sup-1',
    tenant: '430100',
    province: '430000',
    title: '整治五一大道占道经营',
    detail: '请于时限内反馈整治情况',
    urgency: 'urgent',
    status: 'awaiting-feedback',
    escalations: 0,
    dueAt: '2030-01-01T00:00:00.000Z',
    createdAt: '2025-11-20T01:00:00.000Z',
    createdBy: '430000.supervisor',
    history: [{ at: '2025-11-20T01:00:00.000Z', action: 'assigned', actor: '430000.supervisor', role: 'province-supervisor', text: '' }],
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Case loop (CMD-1 … CMD-9)

const staff = (subject: string, roles: Me['roles'], name: string, department?: string): Me => ({
  subject: `430100.${subject}`,
  tenant: '430100',
  roles,
  name,
  kind: 'staff',
  ...(department ? { department } : {}),
  tenantProfile: summary(CHANGSHA),
});

export const INSPECTOR = staff('inspector', ['inspector'], '张监督');
export const ACCEPTOR = staff('acceptor', ['acceptor'], '刘受理');
export const SHIFT_LEADER = staff('shift-leader', ['shift-leader'], '李值班');
export const HANDLER = staff('water-handler', ['department-handler'], '陈处置', 'water');
export const LEADER = staff('leader', ['leader'], '周领导');

/** Case ids and photo ids are ULIDs. */
export const CASE_ID = '01JD2Z8K0M5Q3S7V9X1B3D5F7H';
export const OTHER_CASE_ID = '01JD2Z8K0M5Q3S7V9X1B3D5F8J';
export const PHOTO_ID = '01JD2Z9A0B1C2D3E4F5G6H7J8K';

export function photo(overrides: Partial<Photo> = {}): Photo {
  return { id: PHOTO_ID, contentType: 'image/jpeg', bytes: 123_456, stage: 'report', uploadedAt: '2025-11-24T01:00:00.000Z', ...overrides };
}

export function caseSummary(overrides: Partial<CaseSummary> = {}): CaseSummary {
  return {
    id: CASE_ID,
    tenant: '430100',
    number: '430100-20251124-000123',
    source: 'inspector',
    kind: 'component',
    typeCode: '01001',
    matterCode: '43010001001',
    gridId: '430104005001001',
    description: '供水井盖破损，存在安全隐患',
    location: { lng: 112.9545, lat: 28.1842 },
    address: '岳麓区橘子洲街道西园路 12 号',
    urgency: 'ordinary',
    status: 'filing',
    departments: [],
    createdAt: '2025-11-24T01:00:00.000Z',
    reportedBy: '430100.inspector',
    dueAt: '2030-01-01T00:00:00.000Z',
    extensionHours: 0,
    pauses: [],
    escalations: 0,
    reworks: 0,
    extensions: 0,
    ...overrides,
  };
}

export function caseDetail(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    ...caseSummary(),
    photos: [photo()],
    history: [
      { at: '2025-11-24T01:00:00.000Z', action: 'reported', actor: '430100.inspector', role: 'inspector', note: '' },
      { at: '2025-11-24T01:20:00.000Z', action: 'verified', step: 'case.verify', actor: '430100.inspector', role: 'inspector', onTime: true, note: '现场确认' },
    ],
    allowedActions: [],
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Monitoring (MON-1, MON-3, MUN-3/4/5)

export const MONITORING_OPERATOR = staff('monitoring-operator', ['monitoring-operator'], '吴值守');
export const TENANT_ADMIN = staff('tenant-admin', ['tenant-admin'], '孙管理');

/** Alarm ids are ULIDs. */
export const ALARM_ID = '01JD3A0000000000000000000A';
export const OTHER_ALARM_ID = '01JD3A0000000000000000000B';
export const COVER_ID = 'MH-YL-0001';
export const GAUGE_ID = 'DL-YL-0002';

export function deviceView(overrides: Partial<DeviceView> = {}): DeviceView {
  return {
    tenant: '430100',
    id: COVER_ID,
    kind: 'manhole-cover',
    domain: 'manhole',
    name: '西园路 12 号井盖',
    location: { lng: 112.9545, lat: 28.1842 },
    gridId: '430104005001001',
    componentId: '43010401001000123',
    address: '岳麓区西园路 12 号',
    ownerDepartment: 'water',
    status: 'active',
    registeredAt: '2025-11-01T02:00:00.000Z',
    live: { online: true, lastTs: '2025-11-24T05:58:00.000Z', receivedAt: '2025-11-24T05:58:01.000Z', readings: { open: false, tiltDeg: 1.5, waterLevelM: 0.42 }, alarmLevel: null },
    ...overrides,
  };
}

export function alarmView(overrides: Partial<AlarmView> = {}): AlarmView {
  return {
    id: ALARM_ID,
    tenant: '430100',
    deviceId: COVER_ID,
    kind: 'manhole-cover',
    domain: 'manhole',
    deviceName: '西园路 12 号井盖',
    location: { lng: 112.9545, lat: 28.1842 },
    ruleId: 'cover-open',
    type: 'state',
    level: 'orange',
    value: true,
    status: 'raised',
    raisedAt: '2025-11-24T05:00:00.000Z',
    history: [{ at: '2025-11-24T05:00:00.000Z', action: 'raised', actor: 'system', level: 'orange', value: true }],
    ...overrides,
  };
}

export function deadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    id: 'dl-1',
    tenant: '430100',
    deviceId: COVER_ID,
    topic: `cityops/430100/devices/${COVER_ID}/telemetry`,
    reason: 'OUT_OF_RANGE',
    detail: 'tiltDeg: Too big: expected number to be <=180',
    receivedAt: '2025-11-24T05:30:00.000Z',
    payloadPreview: btoa('{"seq":7,"ts":"2025-11-24T13:30:00+08:00","readings":{"tiltDeg":400}}'),
    size: 68,
    ...overrides,
  };
}

/** An hourly bucket of the cover: water level and tilt. */
export function aggregate(bucketStart: string, level: { min: number; max: number; sum: number; count: number }): TelemetryAggregate {
  return {
    tenant: '430100',
    deviceId: COVER_ID,
    kind: 'manhole-cover',
    bucketStart,
    bucketSeconds: 3600,
    metrics: {
      waterLevelM: { type: 'number', ...level },
      open: { type: 'boolean', count: level.count, trueCount: 0 },
    },
  };
}
