// Test code: the mutations and the runner of the input fuzz tests (not exported by the package).
import { appendFileSync } from 'node:fs';
import { Generator } from '@descent/random';

/** Values that break parsers most often: zero, all ones, the sign bit, a byte short of them. */
const EXTREMES = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];

/** A change to a valid file that a reader must survive; `header` edits the first bytes only. */
export type Mutation = (bytes: Uint8Array, g: Generator) => Uint8Array;

const flipBits: Mutation = (bytes, g) => {
  const out = bytes.slice();
  const flips = 1 + g.int(8);
  for (let k = 0; k < flips && out.length > 0; k++) out[g.int(out.length)] ^= 1 << g.int(8);
  return out;
};

const truncate: Mutation = (bytes, g) => bytes.slice(0, bytes.length > 0 ? g.int(bytes.length) : 0);

const header: Mutation = (bytes, g) => {
  const out = bytes.slice();
  const edits = 1 + g.int(4);
  for (let k = 0; k < edits && out.length > 0; k++) {
    const at = g.int(Math.min(out.length, 40));
    out[at] = g.uniform() < 0.5 ? EXTREMES[g.int(EXTREMES.length)] : g.int(256);
  }
  return out;
};

const cut: Mutation = (bytes, g) => {
  if (bytes.length < 2) return bytes.slice();
  const from = g.int(bytes.length);
  const to = Math.min(bytes.length, from + 1 + g.int(64));
  const out = new Uint8Array(bytes.length - (to - from));
  out.set(bytes.subarray(0, from));
  out.set(bytes.subarray(to), from);
  return out;
};

const repeat: Mutation = (bytes, g) => {
  if (bytes.length === 0) return bytes.slice();
  const from = g.int(bytes.length);
  const piece = bytes.subarray(from, Math.min(bytes.length, from + 1 + g.int(256)));
  const times = 1 + g.int(16);
  const at = g.int(bytes.length + 1);
  const out = new Uint8Array(bytes.length + piece.length * times);
  out.set(bytes.subarray(0, at));
  for (let t = 0; t < times; t++) out.set(piece, at + t * piece.length);
  out.set(bytes.subarray(at), at + piece.length * times);
  return out;
};

export const GENERIC_MUTATIONS = { flipBits, truncate, header, cut, repeat } as const;

export interface FuzzTarget {
  name: string;
  /** Valid inputs to start from. */
  seeds: Uint8Array[];
  /** Mutations of this format besides the generic ones (e.g. a huge declared size). */
  mutations?: Record<string, Mutation>;
  /** Reads one input; returns the size it decoded to (pixels, values, rows) to check limits. */
  read: (bytes: Uint8Array) => number | Promise<number>;
  /** The project's typed errors for this reader: anything else is a failure. */
  expected: (err: unknown) => boolean;
  /** The most a successful read may return (the limit given to the reader). */
  limit: number;
}

export interface FuzzReport {
  target: string;
  cases: number;
  /** Outcomes by name: 'ok', an expected error's class name, or 'UNEXPECTED <name>: <message>'. */
  outcomes: Record<string, number>;
  /** Cases by mutation applied (one or two per case). */
  mutations: Record<string, number>;
  slowestMs: number;
  largestOutput: number;
  /** The first few failures, to reproduce them. */
  failures: { case: number; how: string; problem: string }[];
}

/** Cases from `FUZZ_CASES` (the bench script's 10,000) or the small default that CI runs. */
export function fuzzCases(fallback: number): number {
  const n = Number(process.env.FUZZ_CASES);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/**
 * Feeds `cases` mutated inputs to a reader, seeded, and tallies what happened. A failure is an
 * error that is not one of the project's typed errors, a case over `maxMs`, or a result over the
 * limit. Set FUZZ_REPORT to a file to append the report as a JSON line (bench/fuzz-inputs.mjs).
 */
export async function fuzz(
  target: FuzzTarget,
  cases: number,
  seed: number,
  maxMs = 2000,
): Promise<FuzzReport> {
  const g = new Generator(seed);
  // Plain copies: a Node Buffer's slice() is a view, and the mutations must not change the seeds.
  const seeds = target.seeds.map((s) => new Uint8Array(s));
  const all: Record<string, Mutation> = { ...GENERIC_MUTATIONS, ...target.mutations };
  const names = Object.keys(all);
  const report: FuzzReport = {
    target: target.name,
    cases,
    outcomes: {},
    mutations: {},
    slowestMs: 0,
    largestOutput: 0,
    failures: [],
  };
  const tally = (counts: Record<string, number>, key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (let i = 0; i < cases; i++) {
    let bytes: Uint8Array = seeds[g.int(seeds.length)];
    const applied: string[] = [];
    const steps = 1 + (g.uniform() < 0.3 ? 1 : 0);
    for (let s = 0; s < steps; s++) {
      const name = names[g.int(names.length)];
      bytes = all[name](bytes, g);
      applied.push(name);
      tally(report.mutations, name);
    }
    const how = applied.join('+');
    const start = performance.now();
    let outcome: string;
    let problem: string | undefined;
    try {
      const size = await target.read(bytes);
      outcome = 'ok';
      report.largestOutput = Math.max(report.largestOutput, size);
      if (size > target.limit) problem = `decoded ${size}, over the limit ${target.limit}`;
    } catch (err) {
      const name = err instanceof Error ? err.name : typeof err;
      if (target.expected(err)) outcome = name;
      else {
        outcome = `UNEXPECTED ${name}`;
        problem = `${name}: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    const ms = performance.now() - start;
    report.slowestMs = Math.max(report.slowestMs, ms);
    if (ms > maxMs) problem = `took ${Math.round(ms)} ms`;
    tally(report.outcomes, outcome);
    if (problem && report.failures.length < 10) report.failures.push({ case: i, how, problem });
  }
  report.slowestMs = Math.round(report.slowestMs);
  if (process.env.FUZZ_REPORT) appendFileSync(process.env.FUZZ_REPORT, `${JSON.stringify(report)}\n`);
  return report;
}
