/**
 * When to replace workerd to give memory back. workerd's allocator
 * (tcmalloc, linked in) keeps what a burst of requests freed and never
 * returns it: after the benchmark workerd held 308 MiB, of which tcmalloc
 * reported about 32 MiB in use by the program and 115 MiB in its free lists
 * and caches. Nothing inside workerd can ask it to let go, so the stack
 * starts a successor on the same listening sockets once workerd is over a
 * limit and idle, and the old one exits (workerd drains on SIGTERM). Nothing
 * is lost: workers keep no state a restart needs.
 *
 * Idle means no connection open to workerd's sockets, and almost no CPU for
 * a while: a slow clone uses little CPU but holds its connection, and a
 * drain closes a kept-alive connection a client may be sending on.
 */
import fs from 'node:fs';

export interface RecyclePolicy {
  /** Replace workerd when its RSS is above this many MiB; 0: never. */
  rssMiB: number;
  /** ...and it has used almost no CPU for this long. */
  idleMs: number;
  /** ...and it holds at least this many MiB more than when first seen (default MIN_GAIN_MIB): a fresh workerd over a low limit is not replaced again and again. */
  minGainMiB?: number;
}

/**
 * Idle: under this share of one core over the whole idle window. Measured:
 * a page view on a new connection costs workerd about 6 ms, so this is a few
 * requests a second at most; health checks and timers stay well below.
 */
export const IDLE_CPU_SHARE = 0.05;

/**
 * What a replacement must be able to give back, at least (RecyclePolicy.minGainMiB).
 * A fresh workerd starts at about 138 MiB and stays within a few MiB of it
 * when idle, so this is well above that and well below what a burst leaves.
 */
export const MIN_GAIN_MIB = 16;

export interface ProcessSample {
  /** When it was taken (ms, monotonic). */
  at: number;
  rssKiB: number;
  /** CPU time used so far, user + system (ms). */
  cpuMs: number;
  /** Connections open to its sockets (any state but listening and closed); taken by the watcher. */
  connections?: number;
}

/** Linux's clock tick for /proc times; 100 on every mainstream kernel build. */
const TICK_MS = 10;

/** RSS and CPU time of a running process from /proc; null once it is gone (or off Linux). */
export function sampleProcess(pid: number, at = performance.now()): ProcessSample | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rssKiB = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (!Number.isFinite(rssKiB) || !Number.isFinite(ticks)) return null;
    return { at, rssKiB, cpuMs: ticks * TICK_MS };
  } catch {
    return null;
  }
}

/**
 * Decides from successive samples of one process: true when the newest is
 * over the limit and the samples cover a whole idle window in which the
 * process used under IDLE_CPU_SHARE of a core.
 */
export class RecycleDecision {
  readonly #policy: RecyclePolicy;
  #samples: ProcessSample[] = [];
  /** The process's RSS when first seen: what a replacement comes back to, about. */
  #firstRssKiB: number | null = null;

  constructor(policy: RecyclePolicy) {
    this.#policy = policy;
  }

  observe(sample: ProcessSample): boolean {
    const samples = this.#samples;
    samples.push(sample);
    this.#firstRssKiB ??= sample.rssKiB;
    // Keep the newest sample at or before the window's start, and everything after it.
    while (samples.length > 1 && samples[1]!.at <= sample.at - this.#policy.idleMs) samples.shift();
    if (this.#policy.rssMiB <= 0 || sample.rssKiB <= this.#policy.rssMiB * 1024) return false;
    if (sample.rssKiB - this.#firstRssKiB < (this.#policy.minGainMiB ?? MIN_GAIN_MIB) * 1024) return false;
    if ((sample.connections ?? 0) > 0) return false;
    const first = samples[0]!;
    const span = sample.at - first.at;
    if (span < this.#policy.idleMs) return false;
    return sample.cpuMs - first.cpuMs <= span * IDLE_CPU_SHARE;
  }

  /** Forget the samples (another process is watched now). */
  reset(): void {
    this.#samples = [];
    this.#firstRssKiB = null;
  }
}

export interface MemoryWatch {
  stop(): void;
}

/**
 * Samples the process `pid()` names every `intervalMs` and calls `recycle`
 * when the decision says so; while it runs nothing is sampled, and the
 * process watched afterwards is judged from scratch.
 */
export function watchMemory(options: { pid: () => number | undefined; ports: readonly number[]; policy: RecyclePolicy; recycle: (rssMiB: number) => Promise<void>; intervalMs?: number }): MemoryWatch {
  const decision = new RecycleDecision(options.policy);
  const intervalMs = options.intervalMs ?? Math.max(100, Math.min(1000, options.policy.idleMs / 5));
  let watched: number | undefined;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    const pid = options.pid();
    if (pid !== watched) {
      decision.reset();
      watched = pid;
    }
    const sample = pid === undefined ? null : sampleProcess(pid);
    if (!sample || !decision.observe({ ...sample, connections: openConnections(options.ports) })) return;
    busy = true;
    void options.recycle(sample.rssKiB / 1024).finally(() => {
      busy = false;
      decision.reset();
    });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** TCP states in /proc/net/tcp that are not a connection in use: listening (0A), closed (07) and TIME_WAIT (06, already gone for the server). */
const NOT_IN_USE = new Set(['0A', '07', '06']);

/**
 * How many TCP connections are open on these local ports (the server side of
 * connections to them), from /proc/net/tcp and tcp6; 0 where they cannot be read.
 */
export function openConnections(ports: readonly number[]): number {
  const wanted = new Set(ports.map((p) => p.toString(16).toUpperCase().padStart(4, '0')));
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // "  0: 0100007F:1F90 0100007F:D2F4 01 …": local address:port, remote, state.
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || !state || NOT_IN_USE.has(state)) continue;
      if (wanted.has(local.slice(local.lastIndexOf(':') + 1))) n++;
    }
  }
  return n;
}
