import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Channel, deviceTopic, parseTopic, ruleTopicFilter } from '../../../contracts/src/mqtt';
import {
  ARCHIVE_KEY_TEMPLATE,
  archiveKey,
  matchRule,
  RULE_TARGETS,
  envelopePayload,
  RuleEnvelope,
  ruleEnvelope,
  ruleSql,
  TELEMETRY_RULES,
  telemetryRuleSql,
  TOPIC_LEVEL,
  topicMatches,
} from './telemetry-rules';

const CHANGSHA = '430100';

describe('declared rules', () => {
  it('has one rule per routed channel, with unique IoT-compatible names and known targets', () => {
    expect(TELEMETRY_RULES.map((r) => [r.name, r.channel])).toEqual([
      ['telemetry', 'telemetry'],
      ['status', 'status'],
    ]);
    expect(new Set(TELEMETRY_RULES.map((r) => r.name)).size).toBe(TELEMETRY_RULES.length);
    expect(new Set(TELEMETRY_RULES.map((r) => r.channel)).size).toBe(TELEMETRY_RULES.length);
    for (const r of TELEMETRY_RULES) {
      expect(r.name).toMatch(/^[a-z0-9_]+$/);
      expect(r.targets.length).toBeGreaterThan(0);
      for (const t of r.targets) expect(RULE_TARGETS).toContain(t);
      expect(r.topicFilter).toBe(ruleTopicFilter(r.channel));
      expect(r.sql).toBe(ruleSql(r.channel));
    }
  });

  it('derives the SQL from the topic grammar: raw payload (base64) + tenant, device, channel from the topic + receive time', () => {
    expect(telemetryRuleSql()).toBe(
      "SELECT encode(*, 'base64') AS payload, topic(2) AS tenant, topic(4) AS deviceId, topic(5) AS channel, timestamp() AS receivedAt FROM 'cityops/+/devices/+/telemetry'",
    );
    expect(ruleSql('status')).toBe(
      "SELECT encode(*, 'base64') AS payload, topic(2) AS tenant, topic(4) AS deviceId, topic(5) AS channel, timestamp() AS receivedAt FROM 'cityops/+/devices/+/status'",
    );
    // topic(n) is 1-based over the levels of the grammar.
    const topic = deviceTopic(CHANGSHA, 'wl-0001', 'status');
    const levels = topic.split('/');
    expect({ tenant: levels[TOPIC_LEVEL.tenant - 1], deviceId: levels[TOPIC_LEVEL.deviceId - 1], channel: levels[TOPIC_LEVEL.channel - 1] }).toEqual(
      parseTopic(topic),
    );
  });
});

describe('topicMatches (MQTT filter semantics)', () => {
  it.each([
    ['cityops/+/devices/+/telemetry', 'cityops/430100/devices/wl-1/telemetry', true],
    ['cityops/+/devices/+/telemetry', 'cityops/430100/devices/wl-1/status', false],
    ['cityops/+/devices/+/telemetry', 'cityops/430100/devices/wl-1/telemetry/extra', false],
    ['cityops/+/devices/+/telemetry', 'cityops/430100/devices/telemetry', false],
    ['cityops/+/devices/+/telemetry', 'cityops//devices//telemetry', true], // + matches an empty level
    ['cityops/#', 'cityops', true], // # includes the parent level
    ['cityops/#', 'cityops/a/b/c', true],
    ['cityops/#', 'other/a', false],
    ['#', 'cityops/a', true],
    ['#', '$aws/things/x/shadow/update', false], // wildcards at the start never match $ topics
    ['+/x', '$sys/x', false],
    ['$aws/+/x', '$aws/a/x', true],
    ['cityops/#/x', 'cityops/a/x', false], // # must be last
    ['cityops/a+', 'cityops/a+', false], // + must be a whole level
    ['cityops/+', 'cityops/+', false], // topics contain no wildcards
    ['', 'cityops', false],
    ['Cityops/+', 'cityops/a', false], // case-sensitive
  ])('%s ~ %s → %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it('agrees with the topic grammar: a rule filter matches exactly the well-formed topics of its channel', () => {
    const deviceIdArb = fc.stringMatching(/^[A-Za-z0-9_-]{3,64}$/);
    const tenantArb = fc.stringMatching(/^\d{6}$/);
    fc.assert(
      fc.property(tenantArb, deviceIdArb, fc.constantFrom(...Channel.options), fc.constantFrom(...Channel.options), (tenant, id, channel, filterChannel) => {
        expect(topicMatches(ruleTopicFilter(filterChannel), deviceTopic(tenant, id, channel))).toBe(channel === filterChannel);
      }),
    );
  });
});

describe('matchRule', () => {
  it('routes each channel to its rule and everything else nowhere', () => {
    expect(matchRule(deviceTopic(CHANGSHA, 'wl-0001', 'telemetry'))?.name).toBe('telemetry');
    expect(matchRule(deviceTopic(CHANGSHA, 'wl-0001', 'status'))?.name).toBe('status');
    expect(matchRule(deviceTopic(CHANGSHA, 'wl-0001', 'events'))).toBeUndefined();
    expect(matchRule('cityops/430100/devices/wl-0001')).toBeUndefined();
    expect(matchRule('$aws/things/wl-0001/shadow/update')).toBeUndefined();
  });

  it('takes another rule table', () => {
    const events = { ...TELEMETRY_RULES[0]!, name: 'events', channel: 'events' as const, topicFilter: ruleTopicFilter('events'), sql: ruleSql('events') };
    expect(matchRule(deviceTopic(CHANGSHA, 'wl-0001', 'events'), [events])).toBe(events);
  });
});

describe('ruleEnvelope (the local twin of the SQL)', () => {
  const topic = deviceTopic(CHANGSHA, 'wl-0001', 'telemetry');
  const rule = matchRule(topic)!;

  it('carries the payload bytes untouched next to the topic fields, which the payload cannot override', () => {
    const payload = JSON.stringify({ seq: 1, tenant: '430181', deviceId: 'spoofed', readings: { level: 1.25 } });
    const envelope = ruleEnvelope(rule, topic, payload, 1_777_593_600_000)!;
    expect(envelope).toEqual({
      payload: Buffer.from(payload).toString('base64'),
      tenant: CHANGSHA,
      deviceId: 'wl-0001',
      channel: 'telemetry',
      receivedAt: 1_777_593_600_000,
    });
    expect(RuleEnvelope.parse(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
    expect(envelopePayload(envelope).toString('utf8')).toBe(payload);
  });

  it('passes malformed, binary and empty payloads through for the ingest to judge', () => {
    for (const payload of ['not json', '[1,2]', '', new Uint8Array([0x7b, 0xff, 0x00, 0x7d])]) {
      const envelope = ruleEnvelope(rule, topic, payload, 1)!;
      expect(RuleEnvelope.safeParse(envelope).success).toBe(true);
      expect(new Uint8Array(envelopePayload(envelope))).toEqual(typeof payload === 'string' ? new TextEncoder().encode(payload) : payload);
    }
    // A view into a larger buffer: only its own bytes.
    const big = new TextEncoder().encode('xx{"a":1}yy');
    expect(envelopePayload(ruleEnvelope(rule, topic, big.subarray(2, 9), 1)!).toString()).toBe('{"a":1}');
  });

  it('emits nothing for another channel or an off-grammar topic', () => {
    expect(ruleEnvelope(rule, deviceTopic(CHANGSHA, 'wl-0001', 'status'), '{}', 1)).toBeUndefined();
    expect(ruleEnvelope(rule, 'cityops/4301/devices/wl-0001/telemetry', '{}', 1)).toBeUndefined();
  });

  it('rejects envelopes that are not what a rule emits', () => {
    const ok = ruleEnvelope(rule, topic, '{}', 1)!;
    for (const bad of [{ ...ok, payload: 'not base64!' }, { ...ok, tenant: '4301' }, { ...ok, channel: 'other' }, { ...ok, receivedAt: -1 }]) {
      expect(RuleEnvelope.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('raw archive key', () => {
  it('is telemetry/<tenant>/<China date>/<device>/<channel>/<ms>-<uuid>.json in both runtimes', () => {
    expect(ARCHIVE_KEY_TEMPLATE).toBe(
      'telemetry/${topic(2)}/${parse_time("yyyy-MM-dd", timestamp(), "Asia/Shanghai")}/${topic(4)}/${topic(5)}/${timestamp()}-${newuuid()}.json',
    );
    // 2026-04-30T16:30:00Z is already 1 May in Changsha.
    const at = Date.UTC(2026, 3, 30, 16, 30);
    expect(archiveKey(deviceTopic(CHANGSHA, 'wl-0001', 'telemetry'), at, 'u-1')).toBe(`telemetry/430100/2026-05-01/wl-0001/telemetry/${at}-u-1.json`);
    expect(archiveKey(deviceTopic(CHANGSHA, 'wl-0001', 'status'), Date.UTC(2026, 3, 30, 15, 59), 'u-2')).toMatch(/^telemetry\/430100\/2026-04-30\/wl-0001\/status\//);
    expect(archiveKey('cityops/x/devices/wl-0001/telemetry', at, 'u')).toBeUndefined();
  });
});
