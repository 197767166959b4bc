/**
 * The local twin of the IoT rules (functions/src/devices/telemetry-rules.ts): the broker's messages on each
 * declared rule's topic filter become the same `RuleEnvelope`s IoT Core's SQL produces, are appended to the raw
 * archive (NDJSON files under .data/telemetry/<tenant>/<China date>/<hour>.ndjson — one file per hour rather than
 * S3's object per message) and are handed to the same ingest in batches, like the SQS event source does: up to
 * `batchMax` messages or `lingerMs` after the first. Batches run one at a time, so a device's messages are
 * folded in order. A batch that fails is retried (with backoff); the ingest itself dead-letters bad messages.
 * Backpressure: when more than `highWater` messages wait, the broker's handler waits too, which slows the
 * broker's deliveries (and so the publishers) instead of growing memory.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { TELEMETRY_RULES, ruleEnvelope, type RuleEnvelope } from '../../functions/src/devices/telemetry-rules';
import type { TelemetryIngest } from '../../functions/src/monitoring/ingest';
import type { Log } from '../../functions/src/shared/logger';
import type { LocalBroker } from './broker';

export interface TelemetryRouter {
  /** Messages received and not yet ingested. */
  pending(): number;
  /** Messages given up after repeated failures (kept in the raw archive). */
  abandoned(): number;
  stop(): Promise<void>;
}

export function startTelemetryRouter(opts: {
  broker: LocalBroker;
  ingest: TelemetryIngest;
  archiveDir: string | null;
  logger: Log;
  batchMax?: number;
  lingerMs?: number;
  highWater?: number;
}): TelemetryRouter {
  const batchMax = opts.batchMax ?? 5000;
  const lingerMs = opts.lingerMs ?? 100;
  const highWater = opts.highWater ?? 50_000;
  let queue: RuleEnvelope[] = [];
  let inFlight = 0;
  let running = true;
  let wake: (() => void) | undefined;
  let drained: Array<() => void> = [];
  const attempts = new WeakMap<RuleEnvelope, number>();
  let abandoned = 0;
  const archive = opts.archiveDir ? hourlyArchive(opts.archiveDir, opts.logger) : undefined;

  const unsubscribes = TELEMETRY_RULES.map((rule) =>
    opts.broker.subscribe(rule.topicFilter, async (topic, payload) => {
      const env = ruleEnvelope(rule, topic, payload, Date.now());
      if (!env) return;
      if (rule.targets.includes('raw-archive')) archive?.append(env);
      if (!rule.targets.includes('ingest-queue')) return;
      queue.push(env);
      if (queue.length >= batchMax) wake?.();
      if (queue.length > highWater) await new Promise<void>((r) => drained.push(r));
    }),
  );

  const loop = (async () => {
    let failures = 0;
    while (running || queue.length) {
      if (queue.length < batchMax && running) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, queue.length ? lingerMs : lingerMs * 2);
        });
        wake = undefined;
      }
      if (!queue.length) continue;
      const batch = queue.slice(0, batchMax);
      queue = queue.slice(batch.length);
      inFlight = batch.length;
      try {
        const failed = await opts.ingest.ingest(batch);
        if (failed.length) {
          // A message that keeps failing (a tenant whose stored rules no longer parse, say) must not hold up every
          // tenant: after 5 tries it is left to the raw archive, loudly.
          const again = failed.map((i) => batch[i]!).filter((e) => {
            const n = (attempts.get(e) ?? 0) + 1;
            attempts.set(e, n);
            return n < 5;
          });
          if (again.length < failed.length) opts.logger.error('telemetry given up after 5 attempts; the raw archive has it', { messages: failed.length - again.length });
          abandoned += failed.length - again.length;
          queue = [...again, ...queue];
          failures++;
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** failures)));
        } else failures = 0;
      } catch (err) {
        opts.logger.error('telemetry batch failed; retrying', { messages: batch.length, error: (err as Error).message });
        queue = [...batch, ...queue];
        failures++;
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** failures)));
      } finally {
        inFlight = 0;
      }
      if (queue.length <= highWater / 2 && drained.length) {
        const waiting = drained;
        drained = [];
        waiting.forEach((r) => r());
      }
      if (!running && failures > 3) break; // stopping with the store gone: what is left is in the raw archive
    }
  })();

  return {
    pending: () => queue.length + inFlight,
    abandoned: () => abandoned,
    async stop() {
      for (const u of unsubscribes) await u();
      running = false;
      wake?.();
      drained.forEach((r) => r());
      await loop;
      await archive?.close();
    },
  };
}

/** Append-only NDJSON files, one per tenant and hour (China time, like the S3 key's date). */
function hourlyArchive(dir: string, logger: Log) {
  const files = new Map<string, WriteStream>();
  return {
    append(env: RuleEnvelope) {
      const cst = new Date(env.receivedAt + 8 * 3_600_000).toISOString();
      const rel = path.join(env.tenant, cst.slice(0, 10), `${cst.slice(11, 13)}.ndjson`);
      let out = files.get(rel);
      if (!out) {
        // The tenant's previous hour is finished.
        for (const [k, s] of files) if (k.startsWith(`${env.tenant}${path.sep}`) && k < rel) (s.end(), files.delete(k));
        mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
        out = createWriteStream(path.join(dir, rel), { flags: 'a' });
        // A full disk must not take the platform down: the ingest goes on; the archive gap is logged.
        out.on('error', (err) => logger.error('raw archive write failed', { file: rel, error: err.message }));
        files.set(rel, out);
      }
      out.write(`${JSON.stringify(env)}\n`);
    },
    async close() {
      await Promise.all([...files.values()].map((s) => new Promise<void>((r) => s.end(r))));
      files.clear();
    },
  };
}
