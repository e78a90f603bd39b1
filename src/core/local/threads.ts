import os from 'node:os';
import { UsageError } from '../errors.js';

/**
 * CPU threads for generation. llama.cpp's worker threads spin while they wait, so more threads
 * than free cores is catastrophic (the library default of 4 on a 2-core machine measured ~500x
 * slower), and beyond ~4 threads CPU generation is bound by memory bandwidth, not compute.
 * One core is left for everything else: on 2 cores, 2 threads measured 10-40x slower than 1
 * (25-137 vs ~1,000 tokens/s) as soon as anything else ran.
 */
export function defaultThreads(cores: number = os.cpus().length, parallelism: number = os.availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1, parallelism - 1));
}

export function resolveThreads(requested: number | undefined): number {
  if (requested === undefined) return defaultThreads();
  if (!Number.isInteger(requested) || requested < 1) {
    throw new UsageError(`local.threads: must be a whole number of at least 1 (got ${requested})`, {
      hint: `leave it unset to use ${defaultThreads()} on this machine`,
    });
  }
  return requested;
}
