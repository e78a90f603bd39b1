import os from 'node:os';
import { UsageError } from '../errors.js';

/**
 * CPU threads for generation. llama.cpp's worker threads spin while they wait, so more threads
 * than free cores is catastrophic (the library default of 4 on a 2-core machine measured ~500x
 * slower), and beyond ~4 threads CPU generation is bound by memory bandwidth, not compute.
 */
export function defaultThreads(
  cores: number = os.cpus().length,
  parallelism: number = os.availableParallelism(),
): number {
  return Math.max(1, Math.min(4, cores, parallelism));
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
