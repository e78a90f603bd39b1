import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

/** `--shard 2/4`: this job takes the second of four shares. 1-based, as CI matrices count. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard: "${text}" is not i/n with 1 <= i <= n`, {
      hint: 'e.g. --shard 1/4 in the first of four CI jobs, --shard 4/4 in the last',
    });
  }
  return { index, count };
}

/**
 * Which share a brief belongs to, from a hash of its id alone: adding, removing or reordering other
 * briefs never moves it, so jobs that read different versions of a manifest still agree.
 */
export function shardOf(id: string, count: number): number {
  const hash = createHash('sha256').update(id).digest();
  return (hash.readUInt32BE(0) % count) + 1;
}

export function inShard(id: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(id, shard.count) === shard.index;
}
