/**
 * The benchmarks' stack: attach to the platform answering on CITYOPS_PORT, or start the embedded stack (as
 * `npm start` does, without building the web app) in its own process, on free ports and a throwaway data
 * folder, and stop it again at the end. Also finds the stack's processes (its Node process and the DynamoDB
 * Local JVM it spawned) and reads their resident memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../ports';

/** The repository root (not imported from platform.ts, so a benchmark does not load the whole stack). */
export const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface StackProcess {
  pid: number;
  /** The command name from /proc (`node`, `java`). */
  name: string;
  rssMb: number;
  /** CPU time used so far (user + system), in ms; with a difference of two readings a phase's CPU cost. */
  cpuMs: number;
}

export interface BenchStack {
  /** `http://localhost:<port>` of the web and API server. */
  base: string;
  mqttUrl: string;
  dynamoEndpoint: string;
  /** True when this process started the stack (and will stop it); false when it attached to a running one. */
  started: boolean;
  /** The data folder of a stack started here (removed by stop()). */
  dataDir?: string;
  /** The stack's Node process: the child started here, or the process listening on the HTTP port. */
  pid?: number;
  /** How `pid` was found, to print beside memory figures. */
  pidSource: 'spawned' | 'listening-socket' | 'unknown';
  /** The stack's processes (its Node process and every descendant, e.g. the DynamoDB Local JVM) with their RSS. */
  processes(): StackProcess[];
  /** Stops a stack started here (SIGINT to its process group, as Ctrl-C would); nothing when attached. */
  stop(): Promise<void>;
}

export interface EnsureStackOptions {
  log?: (line: string) => void;
  /** How long a starting stack may take to print "ready in"; default 120 s. */
  startTimeoutMs?: number;
  /** Start a stack of its own even when one answers on CITYOPS_PORT (so a run never writes into someone's stack). */
  ownStack?: boolean;
}

/** Starts the embedded stack unless one answers on CITYOPS_PORT (default 3000). */
export async function ensureStack(opts: EnsureStackOptions = {}): Promise<BenchStack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const port = Number(process.env.CITYOPS_PORT ?? 3000);
  const base = `http://localhost:${port}`;
  const health = opts.ownStack ? undefined : await fetch(`${base}/healthz`).then((r) => (r.ok ? r.text() : undefined)).catch(() => undefined);
  if (health !== undefined) {
    const pid = listeningPid(port);
    // The broker says its port in /healthz ("port 1883, 0 clients"); CITYOPS_MQTT_PORT when it does not.
    const mqttPort = /"mqtt":\{[^}]*"detail":"port (\d+)/.exec(health)?.[1] ?? process.env.CITYOPS_MQTT_PORT ?? 1883;
    log(`attaching to the platform answering on ${base} (its devices and data stay there; --own-stack starts a separate one)`);
    return {
      base,
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      dynamoEndpoint: `http://127.0.0.1:${process.env.CITYOPS_DYNAMO_PORT ?? 8000}`,
      started: false,
      pid,
      pidSource: pid ? 'listening-socket' : 'unknown',
      processes: () => (pid ? processTree(pid) : []),
      stop: async () => {},
    };
  }

  // The stack runs in its own process (as `npm start` does), so the benchmark client does not share its event
  // loop. Its data goes to a RAM-backed folder when the machine has one (/dev/shm): DynamoDB Local's sqlite then
  // pays no fsync per write. Raw figures measured in the same run use the same instance, so ratios compare like
  // with like; run a benchmark against `npm start` to measure the on-disk default instead.
  const ram = process.env.CITYOPS_BENCH_DISK ? undefined : ['/dev/shm'].find((d) => existsSync(d));
  const dataDir = mkdtempSync(path.join(ram ?? os.tmpdir(), 'cityops-bench-'));
  log(`data in ${dataDir}${ram ? ' (RAM-backed; CITYOPS_BENCH_DISK=1 for disk)' : ''}`);
  const ports = { http: await freePort(), mqtt: await freePort(), dynamo: await freePort() };
  log(opts.ownStack ? 'starting an embedded stack of its own for this run…' : 'no platform answering: starting the embedded stack for this run…');
  // CITYOPS_BENCH_NODE_ARGS passes flags to the stack's Node process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
  // to profile it (NODE_OPTIONS refuses those).
  const nodeArgs = (process.env.CITYOPS_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', '--import', './infra/local/polyfill.ts', 'infra/local/start.ts'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      CITYOPS_PORT: String(ports.http),
      CITYOPS_MQTT_PORT: String(ports.mqtt),
      CITYOPS_DYNAMO_PORT: String(ports.dynamo),
      CITYOPS_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        // The Node process only: it stops its own DynamoDB Local after the last writes (a group signal would kill the JVM first).
        child.kill('SIGINT');
      } catch {
        /* already gone */
      }
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const until = Date.now() + (opts.startTimeoutMs ?? 120_000);
  while (!out.includes('ready in')) {
    if (Date.now() > until || child.exitCode !== null) {
      await stop();
      throw new Error(`the stack did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base: `http://localhost:${ports.http}`,
    mqttUrl: `mqtt://127.0.0.1:${ports.mqtt}`,
    dynamoEndpoint: `http://127.0.0.1:${ports.dynamo}`,
    started: true,
    dataDir,
    pid: child.pid,
    pidSource: 'spawned',
    processes: () => processTree(child.pid!),
    stop,
  };
}

// ---- /proc (Linux); elsewhere these find nothing and the benchmarks say so ------------------------------------

function procStatus(pid: number): { name: string; ppid: number; rssKb: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(text)?.[1] ?? '';
    return { name: field('Name'), ppid: Number(field('PPid')), rssKb: parseInt(field('VmRSS'), 10) || 0 };
  } catch {
    return undefined;
  }
}

const allPids = (): number[] => {
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [];
  }
};

/** `root` and all its descendants that are still alive, with their resident memory. */
export function processTree(root: number): StackProcess[] {
  const statuses = new Map<number, { name: string; ppid: number; rssKb: number }>();
  for (const pid of allPids()) {
    const s = procStatus(pid);
    if (s) statuses.set(pid, s);
  }
  if (!statuses.has(root)) return [];
  const tree: number[] = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, s] of statuses) if (s.ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  }
  return tree.map((pid) => {
    const s = statuses.get(pid)!;
    return { pid, name: s.name, rssMb: Math.round((s.rssKb / 1024) * 10) / 10, cpuMs: procCpuMs(pid) };
  });
}

/** utime + stime of a process from /proc/<pid>/stat (clock ticks of 10 ms on Linux), or 0. */
function procCpuMs(pid: number): number {
  try {
    // The command name may hold spaces: the fields after it start behind the last ')'.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The process holding a listening TCP socket on `port` (same user only), from /proc/net/tcp{,6} and /proc/<pid>/fd. */
export function listeningPid(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const localPort = parseInt(cols[1]!.split(':')[1] ?? '', 16);
      if (localPort === port && cols[3] === '0A') inodes.add(cols[9]!); // 0A = LISTEN
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of allPids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return pid;
      } catch {
        /* gone */
      }
    }
  }
  return undefined;
}

/**
 * Waits (up to `maxSeconds`) until the stack's stream handler has stopped delivering records — after a start it
 * is still feeding the base data it imported, after a bulk registration the new items — so a measurement does
 * not share the CPU with that. Reads the "N records delivered" detail of /healthz once a second.
 */
export async function waitForStreamsQuiet(base: string, maxSeconds = 120): Promise<void> {
  const delivered = async () =>
    Number(/(\d+) records delivered/.exec(JSON.stringify(await (await fetch(`${base}/healthz`)).json()))?.[1] ?? 0);
  for (let last = -1, now = await delivered(), waited = 0; now !== last && waited < maxSeconds; waited++) {
    await new Promise((r) => setTimeout(r, 1000));
    [last, now] = [now, await delivered()];
  }
}

/** Busy CPU time (s) of the whole machine and of the given processes, from /proc (zeros elsewhere). */
export function cpuSnapshot(pids: readonly number[]): { at: number; machineBusyS: number; processesS: number; byPid: Map<number, number> } {
  const hz = 100; // USER_HZ on Linux
  let machineBusyS = 0;
  try {
    const cols = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    machineBusyS = ((cols[0] ?? 0) + (cols[1] ?? 0) + (cols[2] ?? 0) + (cols[5] ?? 0) + (cols[6] ?? 0) + (cols[7] ?? 0)) / hz;
  } catch {
    /* not Linux */
  }
  let processesS = 0;
  const byPid = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / hz; // utime, stime
      byPid.set(pid, seconds);
      processesS += seconds;
    } catch {
      /* gone */
    }
  }
  return { at: performance.now(), machineBusyS, processesS, byPid };
}

/** Average cores busy with OTHER work (not `pids`) between two snapshots: > 0.2 means the figures were shared. */
export function otherCores(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>): number {
  const wall = (b.at - a.at) / 1000;
  return wall > 0 ? Math.max(0, b.machineBusyS - a.machineBusyS - (b.processesS - a.processesS)) / wall : 0;
}

/** Average cores each process used between two snapshots. */
export function coresByPid(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>): Map<number, number> {
  const wall = (b.at - a.at) / 1000;
  const out = new Map<number, number>();
  for (const [pid, s] of b.byPid) out.set(pid, wall > 0 ? (s - (a.byPid.get(pid) ?? s)) / wall : 0);
  return out;
}
