/**
 * MON-3 alarm transitions as the items of one transaction: repeats write nothing, each alarm and the open-alarm
 * marker are written once however many transitions a batch holds, and what was read is written only over itself.
 */
import { describe, expect, it } from 'vitest';
import { AlarmRule, type AlarmEvent, type Device } from '../../../contracts';
import { keys } from '../data/keys';
import { planAlarmWrites, type AlarmItem } from './alarm-writes';

const GAUGE: Device = { tenant: '430100', id: 'CS-DL-000001', kind: 'drainage-level', name: '液位计', location: { lng: 112.98, lat: 28.2 }, status: 'active', registeredAt: '2026-06-01T00:00:00.000Z' };
const HIGH = AlarmRule.parse({
  id: 'drainage-level-high',
  kind: 'drainage-level',
  type: 'threshold',
  metric: 'levelM',
  caseTypeCode: '01003',
  name: { zh: '排水管网液位超限', en: 'High drainage water level' },
  levels: [{ level: 'yellow', above: 0.8, forSeconds: 0 }, { level: 'red', above: 1.5, forSeconds: 0 }],
  opensCaseFrom: 'red',
});
const NOW = new Date('2026-07-01T00:10:00.000Z');
const ev = (type: AlarmEvent['type'], level: AlarmEvent['level'], value: number, at: string): AlarmEvent => ({ type, ruleId: HIGH.id, level, value, at });
const MARKER = keys.openAlarm(GAUGE.tenant, GAUGE.id, HIGH.id);

/** The yellow alarm the rule raised earlier, as the table holds it. */
const OPEN: AlarmItem = {
  id: '01J0000000000000000000000A',
  tenant: GAUGE.tenant,
  deviceId: GAUGE.id,
  kind: GAUGE.kind,
  ruleId: HIGH.id,
  type: 'threshold',
  level: 'yellow',
  value: 1.0,
  status: 'acknowledged',
  raisedAt: '2026-07-01T00:00:00.000Z',
  history: [{ at: '2026-07-01T00:00:01.000Z', action: 'raised', actor: 'system', level: 'yellow', value: 1.0 }, { at: '2026-07-01T00:01:00.000Z', action: 'acknowledged', actor: 'u1' }],
  domain: 'drainage',
  deviceName: GAUGE.name,
  location: GAUGE.location,
};
const open = new Map([[HIGH.id, { alarmId: OPEN.id, alarm: OPEN }]]);

describe('MON-3 alarm writes', () => {
  it('a raise while the rule\'s alarm is open writes nothing', () => {
    // Act
    const plan = planAlarmWrites(GAUGE, [HIGH], [ev('raise', 'yellow', 1.1, '2026-07-01T00:09:00.000Z')], open, NOW);
    // Assess
    expect(plan).toEqual({ tx: [], raised: [], written: [] });
  });

  it('an escalation to the level the alarm has writes nothing; a higher one writes it over the version read', () => {
    // Act
    const same = planAlarmWrites(GAUGE, [HIGH], [ev('level', 'yellow', 1.1, '2026-07-01T00:09:00.000Z')], open, NOW);
    const higher = planAlarmWrites(GAUGE, [HIGH], [ev('level', 'red', 1.8, '2026-07-01T00:09:00.000Z')], open, NOW);
    // Assess
    expect(same.tx).toEqual([]);
    expect(higher.tx).toHaveLength(1);
    expect(higher.tx[0]?.Put).toMatchObject({ Item: { id: OPEN.id, level: 'red', status: 'acknowledged', wantsCase: true }, ExpressionAttributeValues: { ':s': 'acknowledged', ':n': 2 } });
    expect(higher.raised).toEqual([]);
  });

  it('clear and raise again in one batch: the old alarm cleared, one new alarm, the marker moved once', () => {
    // Act
    const plan = planAlarmWrites(GAUGE, [HIGH], [ev('clear', 'yellow', 0.3, '2026-07-01T00:05:00.000Z'), ev('raise', 'yellow', 0.9, '2026-07-01T00:08:00.000Z'), ev('level', 'red', 1.6, '2026-07-01T00:09:00.000Z')], open, NOW);
    // Assess
    const [cleared, raised, marker] = plan.tx;
    expect(plan.tx).toHaveLength(3);
    expect(cleared?.Put?.Item).toMatchObject({ id: OPEN.id, status: 'cleared', clearedAt: '2026-07-01T00:05:00.000Z' });
    expect(raised?.Put).toMatchObject({ Item: { status: 'raised', level: 'red', raisedAt: '2026-07-01T00:08:00.000Z' }, ConditionExpression: 'attribute_not_exists(PK)' });
    expect(marker?.Put).toMatchObject({ Item: { ...MARKER, alarmId: plan.raised[0]?.id }, ConditionExpression: 'alarmId = :was', ExpressionAttributeValues: { ':was': OPEN.id } });
    expect(plan.written.map((a) => a.history.map((h) => h.action))).toEqual([['raised', 'acknowledged', 'cleared'], ['raised', 'escalated']]);
  });

  it('a raise and clear with nothing open writes the cleared alarm and leaves the marker alone', () => {
    // Act
    const plan = planAlarmWrites(GAUGE, [HIGH], [ev('raise', 'yellow', 0.9, '2026-07-01T00:08:00.000Z'), ev('clear', 'yellow', 0.3, '2026-07-01T00:09:00.000Z')], new Map(), NOW);
    // Assess
    expect(plan.tx).toHaveLength(1);
    expect(plan.tx[0]?.Put?.Item).toMatchObject({ status: 'cleared' });
    expect(plan.raised).toHaveLength(1);
  });

  it('events of a rule removed since write nothing', () => {
    expect(planAlarmWrites(GAUGE, [], [ev('raise', 'yellow', 0.9, '2026-07-01T00:08:00.000Z')], new Map(), NOW).tx).toEqual([]);
  });
});
