/**
 * Key builders: the only place key strings are written. Every tenant-owned partition key starts with
 * `T#<tenant>#` (IAM LeadingKeys-ready); the sparse province index uses `P#<province>#`.
 */
export const tenantPrefix = (tenant: string): string => `T#${tenant}#`;
export const provincePrefix = (province: string): string => `P#${province}#`;

export const keys = {
  tenantProfile: (tenant: string) => ({ PK: `${tenantPrefix(tenant)}TENANT`, SK: 'PROFILE' }),
  tenantManifest: (tenant: string) => ({ PK: `${tenantPrefix(tenant)}TENANT`, SK: 'MANIFEST' }),
  provinceTenants: (province: string) => `${provincePrefix(province)}TENANTS`,

  supervision: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}SUP#${id}`, SK: 'ITEM' }),
  /** Province-owned pointer from an item id to the tenant it was assigned to. */
  supervisionRef: (province: string, id: string) => ({ PK: `${tenantPrefix(province)}SUPREF#${id}`, SK: 'REF' }),
  supervisionEvent: (tenant: string, id: string, seq: string) => ({ PK: `${tenantPrefix(tenant)}SUP#${id}`, SK: `EVT#${seq}` }),
  tenantSupervisionList: (tenant: string) => `${tenantPrefix(tenant)}SUPS`,
  provinceSupervisionList: (province: string) => `${provincePrefix(province)}SUPS`,
  requestMarker: (tenant: string, clientRequestId: string) => ({ PK: `${tenantPrefix(tenant)}REQ#${clientRequestId}`, SK: 'REQ' }),

  /** One current human task per subject item and step. */
  task: (tenant: string, subject: string, itemId: string, step: string) => ({
    PK: `${tenantPrefix(tenant)}${subject.toUpperCase()}#${itemId}`,
    SK: `TASK#${step}`,
  }),
  tenantOpenTasks: (tenant: string) => `${tenantPrefix(tenant)}OPENTASKS`,
  /** Tasks claimed by a person whose output has not yet reached the flow. */
  undeliveredTasks: (tenant: string) => `${tenantPrefix(tenant)}UNDELIVERED`,
  provinceOpenTasks: (province: string) => `${provincePrefix(province)}OPENTASKS`,

  case: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}CASE#${id}`, SK: 'CASE' }),
  /** GSI1: cases by status, earliest due first (queues of the command centre). */
  caseStatusIndex: (tenant: string, status: string) => `${tenantPrefix(tenant)}CASEST#${status}`,
  /** GSI2: cases by month of creation (lists, similar-case search, evaluation periods). */
  caseMonthIndex: (tenant: string, yyyymm: string) => `${tenantPrefix(tenant)}CASES#${yyyymm}`,
  photo: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}PHOTO#${id}`, SK: 'PHOTO' }),
  tenantEvaluation: (tenant: string) => ({ PK: `${tenantPrefix(tenant)}TENANT`, SK: 'EVALUATION' }),
  tenantCatalogue: (tenant: string) => ({ PK: `${tenantPrefix(tenant)}TENANT`, SK: 'CATALOGUE' }),
  /** Notifications of a tenant (the local outbox; real SMS/WeChat adapters behind the same port). */
  outbox: (tenant: string) => `${tenantPrefix(tenant)}OUTBOX`,

  /** A registered device (MON-1); listed through GSI1 `deviceList`. */
  device: (tenant: string, deviceId: string) => ({ PK: `${tenantPrefix(tenant)}DEV#${deviceId}`, SK: 'DEVICE' }),
  deviceList: (tenant: string) => `${tenantPrefix(tenant)}DEVICES`,
  /** The local broker's credential of a device (salted hash only); in AWS the device has an X.509 certificate. */
  deviceCredential: (tenant: string, deviceId: string) => ({ PK: `${tenantPrefix(tenant)}DEV#${deviceId}`, SK: 'CREDENTIAL' }),
  /** The latest state of a device (readings, running bucket, rule memory); listed through GSI2 `deviceStates`. */
  deviceState: (tenant: string, deviceId: string) => ({ PK: `${tenantPrefix(tenant)}DEV#${deviceId}`, SK: 'STATE' }),
  deviceStates: (tenant: string) => `${tenantPrefix(tenant)}DEVSTATES`,
  /** A closed time bucket of a device's readings. */
  telemetryAggregate: (tenant: string, deviceId: string, bucketStart: string) => ({ PK: `${tenantPrefix(tenant)}DEV#${deviceId}`, SK: `AGG#${bucketStart}` }),
  /** The open alarm of (device, rule): one at a time, so a herd of readings raises one alarm and opens one case. */
  openAlarm: (tenant: string, deviceId: string, ruleId: string) => ({ PK: `${tenantPrefix(tenant)}DEV#${deviceId}`, SK: `OPENALARM#${ruleId}` }),
  alarm: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}ALARM#${id}`, SK: 'ALARM' }),
  /** GSI1: alarms by open/closed, newest first. */
  alarmIndex: (tenant: string, open: boolean) => `${tenantPrefix(tenant)}ALARMS#${open ? 'open' : 'closed'}`,
  /** GSI2: one device's alarms, open and closed, newest first (device detail). */
  deviceAlarms: (tenant: string, deviceId: string) => `${tenantPrefix(tenant)}DEVALARMS#${deviceId}`,
  /** Device messages the ingest could not use, with their reason. */
  deadLetters: (tenant: string) => `${tenantPrefix(tenant)}DEADLETTERS`,
  tenantAlarmRules: (tenant: string) => ({ PK: `${tenantPrefix(tenant)}TENANT`, SK: 'ALARMRULES' }),

  /** MON-2: a risk point (风险点); listed through GSI1 `riskList`. */
  risk: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}RISK#${id}`, SK: 'RISK' }),
  riskList: (tenant: string) => `${tenantPrefix(tenant)}RISKS`,
  /** MON-2: a hidden hazard (隐患); GSI1 by open/closed, newest first. */
  hazard: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}HAZARD#${id}`, SK: 'HAZARD' }),
  hazardIndex: (tenant: string, open: boolean) => `${tenantPrefix(tenant)}HAZARDS#${open ? 'open' : 'closed'}`,
  /** MON-2: an accident record (事故); GSI1 by time of occurrence (monthly statistics). */
  accident: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}ACCIDENT#${id}`, SK: 'ACCIDENT' }),
  accidentList: (tenant: string) => `${tenantPrefix(tenant)}ACCIDENTS`,
  /** tenants/<code>/risk-settings.json and contingency-plans.json as loaded at onboarding. */
  tenantRiskSettings: (tenant: string) => ({ PK: `${tenantPrefix(tenant)}TENANT`, SK: 'RISKSETTINGS' }),
  tenantContingencyPlans: (tenant: string) => ({ PK: `${tenantPrefix(tenant)}TENANT`, SK: 'CONTINGENCYPLANS' }),

  /** MON-5 patrol: teams and plans (listed through GSI1), tasks (GSI1 by month of the cycle day; GSI2 while open, by due time) with their results in the task's partition. */
  patrolTeam: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}PTEAM#${id}`, SK: 'TEAM' }),
  patrolTeamList: (tenant: string) => `${tenantPrefix(tenant)}PTEAMS`,
  patrolPlan: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}PPLAN#${id}`, SK: 'PLAN' }),
  patrolPlanList: (tenant: string) => `${tenantPrefix(tenant)}PPLANS`,
  patrolTask: (tenant: string, id: string) => ({ PK: `${tenantPrefix(tenant)}PTASK#${id}`, SK: 'TASK' }),
  patrolResult: (tenant: string, taskId: string, targetId: string) => ({ PK: `${tenantPrefix(tenant)}PTASK#${taskId}`, SK: `RESULT#${targetId}` }),
  patrolTaskMonth: (tenant: string, yyyymm: string) => `${tenantPrefix(tenant)}PTASKS#${yyyymm}`,
  patrolOpenTasks: (tenant: string) => `${tenantPrefix(tenant)}PTASKOPEN`,
  /** tenants/<code>/patrol-settings.json as loaded at onboarding. */
  tenantPatrolSettings: (tenant: string) => ({ PK: `${tenantPrefix(tenant)}TENANT`, SK: 'PATROLSETTINGS' }),

  /** MUN-3: an inspector's latest shared position (personal data, with an expiry); listed through GSI1 `inspectorPositions`. */
  inspectorPosition: (tenant: string, subject: string) => ({ PK: `${tenantPrefix(tenant)}INSP#${subject}`, SK: 'POSITION' }),
  inspectorPositions: (tenant: string) => `${tenantPrefix(tenant)}INSPPOS`,
  /** tenants/<code>/dispatch-settings.json as loaded at onboarding. */
  tenantDispatchSettings: (tenant: string) => ({ PK: `${tenantPrefix(tenant)}TENANT`, SK: 'DISPATCHSETTINGS' }),

  /** Per-tenant rollup counters written by stream handlers, summed on read by the province. */
  rollup: (tenant: string, metric: string) => ({ PK: `${tenantPrefix(tenant)}ROLLUP`, SK: metric }),
  provinceRollups: (province: string) => `${provincePrefix(province)}ROLLUPS`,
  streamMarker: (tenant: string, eventId: string) => ({ PK: `${tenantPrefix(tenant)}APPLIED#${eventId}`, SK: 'APPLIED' }),
} as const;

/** The tenant a key belongs to, or undefined for keys outside tenant space. */
export function tenantOfKey(pk: string): string | undefined {
  const m = /^T#(\d{6})#/.exec(pk);
  return m?.[1];
}
