/**
 * `npm run bench:telemetry [-- --devices 2000 --rate 9000 --seconds 60 --raw-seconds 10 --covers 20 --own-stack]`
 *
 * Devices simulated over MQTT (infra/local/simulate.ts) across two tenants (430100 长沙, 430181 浏阳), each with
 * its own credentials, against the embedded stack (started here in its own process when none answers on
 * CITYOPS_PORT, or always with `--own-stack`; see stack.ts). It registers its devices in that stack (attached to
 * a running one, they stay there). `--rate 0` publishes flat out (bounded in flight) instead of at a rate. In one run:
 *
 * 1. Raw broker throughput: the same connected devices publish flat out (bounded in flight) on their `events`
 *    channel, which no ingest rule consumes, to a server-side no-op subscriber (`/_local/noop-subscriber` on
 *    `cityops/+/devices/+/events`): QoS 1 messages acknowledged per second.
 * 2. Sustained telemetry: the devices publish readings at `--rate` messages/s (`--rate 0`: flat out) for
 *    `--seconds`; achieved rate = messages acknowledged / seconds from the first publish to the last PUBACK.
 *    Meanwhile a manhole cover is opened every few seconds (alternating tenants) and the time from its publish
 *    to the `alarm` event carrying a caseId on `/v1/monitoring/events` (SSE, as a monitoring operator) is the
 *    alarm-to-case latency.
 * 3. Nothing lost: once publishing stopped, wait until the ingest has nothing pending, then
 *    lost = acknowledged − (accepted + duplicates + dead-lettered), from `/_local/ingest-stats` deltas.
 * 4. Memory: peak resident memory of the stack's processes (its Node process and the DynamoDB Local JVM),
 *    sampled every second.
 *
 * Prints the figures and, last, one JSON line. Targets (2-core machine): ≥ 5,000 msg/s sustained for 60 s,
 * lost 0, ratio (sustained / raw) ≥ 0.3, alarm-to-case p99 < 2 s.
 */
import { prepareFleet, type PhaseResult } from '../simulate';
import os from 'node:os';
import { coresByPid, cpuSnapshot, ensureStack, otherCores, waitForStreamsQuiet, type BenchStack, type StackProcess } from './stack';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number ≥ 0`);
  return v;
};
const DEVICES = arg('devices', 2000);
const RATE = arg('rate', 9000);
const SECONDS = arg('seconds', 60);
const RAW_SECONDS = arg('raw-seconds', 10);
const COVERS = arg('covers', 20);
const MAX_INFLIGHT = arg('inflight', 1000);
const TENANTS = ['430100', '430181'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface IngestStats {
  received: number;
  accepted: number;
  duplicates: number;
  deadLettered: number;
  pending: number;
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const r = await fetch(url, init);
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
  return (await r.json()) as T;
}

/** Reads `event: alarm` messages from the monitoring SSE stream of one tenant until aborted. */
function alarmStream(base: string, token: string, onAlarm: (alarm: { deviceId?: string; ruleId?: string; caseId?: string }) => void, signal: AbortSignal): Promise<void> {
  return (async () => {
    while (!signal.aborted) {
      try {
        const r = await fetch(`${base}/v1/monitoring/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal });
        if (!r.ok || !r.body) throw new Error(`GET /v1/monitoring/events: HTTP ${r.status}`);
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split(/\r?\n/)) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (event !== 'alarm' || data.length === 0) continue;
            try {
              onAlarm(JSON.parse(data.join('\n')) as { deviceId?: string; ruleId?: string; caseId?: string });
            } catch {
              /* not JSON: ignore */
            }
          }
        }
      } catch (err) {
        if (signal.aborted) return;
        console.error(`event stream: ${(err as Error).message}; reconnecting`);
        await sleep(500);
      }
    }
  })();
}

/** Peak and last resident memory of the stack's processes, sampled every second. */
function memorySampler(stack: BenchStack) {
  let peak = { totalMb: 0, processes: [] as StackProcess[] };
  let benchPeakMb = 0;
  const sample = () => {
    const processes = stack.processes();
    const totalMb = processes.reduce((a, p) => a + p.rssMb, 0);
    if (totalMb > peak.totalMb) peak = { totalMb, processes };
    benchPeakMb = Math.max(benchPeakMb, process.memoryUsage().rss / 2 ** 20);
  };
  sample();
  const timer = setInterval(sample, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { peak, benchPeakMb };
    },
  };
}

async function main() {
  const t00 = performance.now();
  const stack = await ensureStack({ ownStack: process.argv.includes('--own-stack') });
  try {
    await run(stack, t00);
  } finally {
    await stack.stop();
  }
}

async function run(stack: BenchStack, t00: number) {
  const { base, mqttUrl } = stack;
  console.log(`platform ${base}, MQTT ${mqttUrl}${stack.started ? ' (started for this run)' : ' (already running: attached)'}`);
  console.log(`${fmt(DEVICES)} devices over ${TENANTS.join(' + ')}, ${RATE > 0 ? `${fmt(RATE)} msg/s` : 'flat out'} for ${SECONDS} s, raw broker phase ${RAW_SECONDS} s`);
  const mem = memorySampler(stack);

  // The device API must be there (it arrived with the monitoring module).
  const probe = await fetch(`${base}/v1/devices/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (probe.status === 404) throw new Error('this stack has no POST /v1/devices/import (the monitoring module): nothing to measure');

  // Register and connect the devices (each with its own credentials).
  const tPrep = performance.now();
  const { fleet, provision } = await prepareFleet({ url: base, mqttUrl, tenants: TENANTS, devices: DEVICES, log: (l) => console.log(l) });
  const prepSeconds = (performance.now() - tPrep) / 1000;
  const connected = fleet.stats().connected;
  if (connected === 0) throw new Error('no device connected');

  try {
    await waitForStreamsQuiet(base);
    // CPU used by anything else on the machine while measuring (a test run, a build) distorts every figure.
    const ours = () => [process.pid, ...stack.processes().map((p) => p.pid)];
    const cpu0 = cpuSnapshot(ours());
    // 1. Raw broker QoS 1 throughput: events channel, no-op subscriber, same publishers, flat out.
    const noop = await getJson<{ id: string }>(`${base}/_local/noop-subscriber`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: 'cityops/+/devices/+/events' }),
    });
    await fleet.phase({ channel: 'events', rate: 0, seconds: Math.min(2, RAW_SECONDS), maxInflight: MAX_INFLIGHT }).done; // warm-up (JIT, buffers)
    const raw = await fleet.phase({ channel: 'events', rate: 0, seconds: RAW_SECONDS, maxInflight: MAX_INFLIGHT }).done;
    const noopReceived = (await getJson<{ received: number }>(`${base}/_local/noop-subscriber/${noop.id}`, { method: 'DELETE' })).received;
    const rawAckedAll = fleet.stats().ackedByChannel.events;
    console.log(`raw broker    ${fmt(raw.ackedPerSec)} msg/s QoS 1 acknowledged (${fmt(raw.acked)} in ${raw.seconds.toFixed(1)} s; the no-op subscriber received ${fmt(noopReceived)} of ${fmt(rawAckedAll)} acknowledged incl. warm-up)`);

    // 2. Sustained telemetry with covers opened along the way.
    const tokens = new Map<string, string>();
    for (const t of TENANTS) {
      const r = await getJson<{ access_token: string }>(`${base}/oidc/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `${t}.monitoring-operator`, password: 'demo' }),
      });
      tokens.set(t, r.access_token);
    }
    const opened = new Map<string, { sentAt: number; tenant: string; caseAt?: number; alarmAt?: number }>();
    const abort = new AbortController();
    const streams = TENANTS.map((t) =>
      alarmStream(
        base,
        tokens.get(t)!,
        (alarm) => {
          const o = alarm.deviceId ? opened.get(alarm.deviceId) : undefined;
          if (!o) return;
          if (alarm.ruleId && alarm.ruleId !== 'manhole-open') return;
          const now = Date.now();
          o.alarmAt ??= now;
          if (alarm.caseId && o.caseAt === undefined) o.caseAt = now;
        },
        abort.signal,
      ),
    );
    await sleep(300); // let the streams subscribe

    const before = await getJson<IngestStats>(`${base}/_local/ingest-stats`);
    const ackedBefore = fleet.stats().ackedByChannel.telemetry;
    const covers = TENANTS.map((t) => fleet.devices.filter((d) => d.tenant === t && d.kind === 'manhole-cover' && d.connected));
    const cpuSustained0 = cpuSnapshot(ours());
    const phase = fleet.phase({ channel: 'telemetry', rate: RATE, seconds: SECONDS, maxInflight: MAX_INFLIGHT });
    const startedAt = performance.now();
    // Covers: one every `gap` seconds from 3 s in, until 5 s before the end, alternating tenants.
    const gap = COVERS > 0 ? Math.max(1, (SECONDS - 8) / COVERS) : Infinity;
    let coverCount = 0;
    const coverTimer = setInterval(() => {
      if (coverCount >= COVERS || (performance.now() - startedAt) / 1000 > SECONDS - 5) return;
      const list = covers[coverCount % covers.length]!;
      const d = list[Math.floor(coverCount / covers.length)];
      coverCount++;
      if (!d?.connected) return;
      const { sentAt, acked } = fleet.openCover(d.id);
      acked.catch(() => undefined);
      opened.set(d.id, { sentAt, tenant: d.tenant });
    }, gap * 1000);
    let lastAcked = 0;
    let lastAt = startedAt;
    const progress = setInterval(() => {
      const p = phase.progress();
      const now = performance.now();
      const rate = ((p.acked - lastAcked) * 1000) / (now - lastAt);
      [lastAcked, lastAt] = [p.acked, now];
      const st = fleet.stats();
      console.log(`[${String(Math.round(p.elapsedS)).padStart(3)} s] acked ${fmt(p.acked)}  ${fmt(rate)} msg/s  in flight ${st.inflight}  failed ${p.failed}  connected ${st.connected}/${st.devices}  covers opened ${opened.size}`);
    }, 5_000);
    const sustained: PhaseResult = await phase.done;
    clearInterval(coverTimer);
    clearInterval(progress);
    const cpuSustained = coresByPid(cpuSustained0, cpuSnapshot(ours()));
    await fleet.settled(); // the cover messages too
    // Every telemetry message acknowledged in this phase: the rate's and the covers'.
    const acked = fleet.stats().ackedByChannel.telemetry - ackedBefore;

    // 3. Drain: wait until the ingest has taken in and written everything acknowledged.
    const tDrain = performance.now();
    let after = await getJson<IngestStats>(`${base}/_local/ingest-stats`);
    const settledCount = (s: IngestStats) => s.accepted + s.duplicates + s.deadLettered - (before.accepted + before.duplicates + before.deadLettered);
    while (performance.now() - tDrain < 120_000) {
      if (after.pending === 0 && settledCount(after) >= acked) break;
      await sleep(250);
      after = await getJson<IngestStats>(`${base}/_local/ingest-stats`);
    }
    const drainSeconds = (performance.now() - tDrain) / 1000;
    // A last look, in case a straggler was still on its way from the broker to the ingest.
    await sleep(500);
    after = await getJson<IngestStats>(`${base}/_local/ingest-stats`);
    const lost = acked - settledCount(after);
    const delta = {
      received: after.received - before.received,
      accepted: after.accepted - before.accepted,
      duplicates: after.duplicates - before.duplicates,
      deadLettered: after.deadLettered - before.deadLettered,
      pending: after.pending,
    };

    // Alarm → case: give the last covers a few seconds more, then read what arrived.
    const tWait = Date.now();
    while ([...opened.values()].some((o) => o.caseAt === undefined) && Date.now() - tWait < 10_000) await sleep(100);
    abort.abort();
    await Promise.allSettled(streams);
    const latencies = [...opened.values()].filter((o) => o.caseAt !== undefined).map((o) => o.caseAt! - o.sentAt);
    const toAlarm = [...opened.values()].filter((o) => o.alarmAt !== undefined).map((o) => o.alarmAt! - o.sentAt);
    const alarmOnly = [...opened.values()].filter((o) => o.alarmAt !== undefined && o.caseAt === undefined).length;
    const noAlarm = [...opened.values()].filter((o) => o.alarmAt === undefined).length;
    // Close the covers again (their alarms clear; the cases stay for an inspector).
    for (const id of opened.keys()) fleet.closeCover(id).acked.catch(() => undefined);
    await sleep(200);

    const memory = mem.stop();
    const busyElsewhere = otherCores(cpu0, cpuSnapshot(ours()));
    const sustainedMsgPerSec = sustained.ackedPerSec;
    const result = {
      devices: connected,
      tenants: TENANTS,
      targetRate: RATE,
      seconds: round(sustained.seconds, 1),
      acked: acked,
      sustainedMsgPerSec: round(sustainedMsgPerSec),
      rawBrokerMsgPerSec: round(raw.ackedPerSec),
      ratio: round(sustainedMsgPerSec / raw.ackedPerSec, 3),
      alarmToCaseP50Ms: round(pct(latencies, 50)),
      alarmToCaseP99Ms: round(pct(latencies, 99)),
      alarmToCaseMaxMs: round(latencies.length ? Math.max(...latencies) : NaN),
      alarmSamples: latencies.length,
      /** Publish → the first alarm event of the cover (with or without its case yet). */
      publishToAlarmP50Ms: round(pct(toAlarm, 50)),
      publishToAlarmMaxMs: round(toAlarm.length ? Math.max(...toAlarm) : NaN),
      coversOpened: opened.size,
      lost,
      failedPublishes: sustained.failed,
      duplicates: delta.duplicates,
      deadLettered: delta.deadLettered,
      drainSeconds: round(drainSeconds, 1),
      /** Messages the ingest took in / (publishing + draining): the platform's own end-to-end rate. */
      endToEndMsgPerSec: round(settledCount(after) / (sustained.seconds + drainSeconds)),
      rssMb: round(memory.peak.totalMb),
      rssByProcess: Object.fromEntries(memory.peak.processes.map((p) => [`${p.name}:${p.pid}`, p.rssMb])),
      rssSource: stack.pidSource,
      benchRssMb: round(memory.benchPeakMb),
      registerAndConnectSeconds: round(prepSeconds, 1),
      registered: provision.registered,
      rotated: provision.rotated,
      connectRefused: fleet.stats().refused,
      stackStartedHere: stack.started,
      cores: os.availableParallelism(),
      /** Cores used while publishing at the rate: this benchmark (the simulated devices) and the stack's processes. */
      cpuCoresSustained: Object.fromEntries(
        [...cpuSustained].map(([pid, c]) => [pid === process.pid ? 'bench' : `${stack.processes().find((p) => p.pid === pid)?.name ?? 'pid'}:${pid}`, round(c, 2)]),
      ),
      /** Cores busy with other processes (not this benchmark, not the stack) on average while measuring. */
      otherCpuCores: round(busyElsewhere, 2),
      totalSeconds: round((performance.now() - t00) / 1000, 1),
    };
    console.log('');
    console.log(`devices       ${fmt(connected)} connected (registered ${provision.registered}, rotated ${provision.rotated}; ${result.registerAndConnectSeconds} s to register and connect)`);
    console.log(`sustained     ${fmt(sustainedMsgPerSec)} msg/s acknowledged over ${result.seconds} s (target ${RATE > 0 ? fmt(RATE) : 'flat out'}${sustained.shortfall ? `; ${fmt(sustained.shortfall)} messages short of the rate: in-flight bound full` : ''})`);
    console.log(`raw broker    ${fmt(raw.ackedPerSec)} msg/s; sustained/raw ${result.ratio}`);
    console.log(`ingest        received ${fmt(delta.received)}, accepted ${fmt(delta.accepted)}, duplicates ${delta.duplicates}, dead-lettered ${delta.deadLettered}, pending ${delta.pending}; drained ${result.drainSeconds} s after the last PUBACK; end to end ${fmt(result.endToEndMsgPerSec)} msg/s`);
    console.log(`lost          ${lost} (acknowledged ${fmt(acked)} − accepted − duplicates − dead-lettered)${sustained.failed ? `; ${sustained.failed} publishes not acknowledged (not counted as sent)` : ''}`);
    console.log(`alarm → case  p50 ${result.alarmToCaseP50Ms} ms  p99 ${result.alarmToCaseP99Ms} ms  max ${result.alarmToCaseMaxMs} ms from the cover's publish to the alarm event with its caseId (${latencies.length} of ${opened.size} covers; ${alarmOnly} alarm without case, ${noAlarm} no alarm seen); publish → first alarm event p50 ${result.publishToAlarmP50Ms} ms, max ${result.publishToAlarmMaxMs} ms`);
    console.log(`memory        stack peak RSS ${result.rssMb} MB (${memory.peak.processes.map((p) => `${p.name} ${p.pid}: ${p.rssMb} MB`).join(', ') || 'processes not found'}${stack.started ? '' : '; attached to a running stack: processes found by its listening socket, children included'}); this benchmark process ${result.benchRssMb} MB`);
    console.log(`cpu           ${result.cores} cores; while publishing: ${Object.entries(result.cpuCoresSustained).map(([k, v]) => `${k} ${v}`).join(', ')}; other processes used ${result.otherCpuCores} cores on average while measuring${busyElsewhere > 0.2 ? ' — the figures shared the machine: run again when it is idle' : ''}`);
    console.log(JSON.stringify(result));
  } finally {
    await fleet.close();
  }
}

await main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:telemetry: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
