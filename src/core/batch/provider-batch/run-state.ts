/**
 * A provider-batch run's state: which jobs were created, for which lines, and how far each got.
 * Saved in the project's `.draft/batches/<run>.json` the moment a job exists, so a run stopped
 * anywhere (Ctrl-C, a killed CI job) is picked up, on this machine or another, by running the same
 * command again: its jobs are polled, never submitted twice. It holds ids and hashes, never prompts,
 * replies or keys.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { writeNewFile } from '../../fs/atomic-write.js';
import { findProjectRoot, stateDir } from '../../project-root.js';
import { UsageError } from '../../errors.js';
import type { Shard } from '../shard.js';
import type { JobStatus } from './batch-client.js';
import { namesIn } from '../../fs/names-in.js';

export interface SavedJob {
  id: string;
  inputFileId: string;
  /** The model key (the brief's model, '' for the default) and the model it was sent to. */
  modelKey: string;
  model: string;
  /** What the job holds, e.g. "outlines" or "sections + outline retries". */
  stage: string;
  round: number;
  status: JobStatus;
  createdAt: string;
  outputFileId?: string;
  errorFileId?: string;
  /** custom_id → hash of the request body it was sent with. */
  lines: Record<string, string>;
  /** Lines already resubmitted once after this job expired or was cancelled. */
  resubmission?: boolean;
}

export interface RunState {
  version: 1;
  run: string;
  manifest: string;
  shard: Shard | null;
  baseURL: string;
  createdAt: string;
  updatedAt: string;
  /** Set by `draft batch cancel`: the jobs were cancelled; a re-run submits what they left unanswered. */
  cancelledAt?: string;
  finishedAt?: string;
  jobs: SavedJob[];
}

/** The run's name: the manifest's, its shard, and a hash of its path in the project, so two manifests never share a file. */
export function runName(manifestPath: string, shard: Shard | undefined): string {
  const stem =
    basename(manifestPath, extname(manifestPath))
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .slice(0, 40) || 'manifest';
  const hash = createHash('sha256')
    .update(`${manifestPath}\0${shard ? `${shard.index}/${shard.count}` : ''}`)
    .digest('hex')
    .slice(0, 8);
  return `${stem}${shard ? `-shard${shard.index}of${shard.count}` : ''}-${hash}`;
}

export async function batchesDir(cwd: string): Promise<string> {
  return join(stateDir(await findProjectRoot(cwd)), 'batches');
}

/** Where a manifest's runs are kept, and the manifest's path inside the project (the same on every machine). */
export async function runPlace(cwd: string, manifestPath: string): Promise<{ dir: string; manifestKey: string }> {
  const root = await findProjectRoot(cwd);
  return { dir: join(stateDir(root), 'batches'), manifestKey: relative(root, resolve(cwd, manifestPath)).split(sep).join('/') };
}

export async function loadRunState(dir: string, run: string): Promise<RunState | undefined> {
  const path = join(dir, `${run}.json`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as RunState;
    if (state.version !== 1 || !Array.isArray(state.jobs)) throw new Error('not a draft batch state file');
    return state;
  } catch (error) {
    throw new UsageError(`${path}: cannot read this batch run's state (${(error as Error).message})`, {
      hint: 'its jobs may still be running at the provider; move the file away to start the run afresh',
    });
  }
}

/** Atomic: a run killed mid-save leaves the previous state, never half of one. */
export async function saveRunState(dir: string, state: RunState): Promise<void> {
  state.updatedAt = new Date().toISOString();
  await writeNewFile(dir, `${state.run}.json`, `${JSON.stringify(state, null, 1)}\n`, { force: true });
}

export async function listRunStates(dir: string): Promise<RunState[]> {
  const names = await namesIn(dir);
  const states = await Promise.all(
    names.filter((n) => n.endsWith('.json')).map((n) => loadRunState(dir, n.slice(0, -5)).catch(() => undefined)),
  );
  return states.filter((s): s is RunState => s !== undefined);
}
