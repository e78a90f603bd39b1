import * as z from 'zod';
import {
  loadRunState,
  listRunStates,
  runName,
  runPlace,
  saveRunState,
  type RunState,
  type SavedJob,
} from '../core/batch/provider-batch/run-state.js';
import { createBatchClient, FINISHED, type JobView } from '../core/batch/provider-batch/batch-client.js';
import { parseShard } from '../core/batch/shard.js';
import { UsageError } from '../core/errors.js';
import { check, flagName, problemsError } from '../core/validation.js';
import type { CommandContext } from './context.js';
import { checkProviderOptions, resolveSettings } from './shared/provider-options.js';

const JobsOptionsSchema = z.object({ shard: z.string().optional() });

/** `draft batch status [MANIFEST]`: the saved provider-batch runs, and with a manifest its jobs as the provider sees them now. */
export async function runBatchStatus(
  manifest: string | undefined,
  rawOptions: Record<string, unknown>,
  ctx: CommandContext,
): Promise<void> {
  if (manifest === undefined) {
    const { dir } = await runPlace(ctx.cwd, '.');
    const states = await listRunStates(dir);
    if (states.length === 0) return void ctx.ui.info(`No provider-batch runs saved in ${dir}.`);
    for (const state of states)
      ctx.ui.out(
        `${state.run}  ${state.manifest}${state.shard ? ` shard ${state.shard.index}/${state.shard.count}` : ''}  ` +
          `${runStatus(state)}  ${state.jobs.length} job(s)`,
      );
    return;
  }
  const { state, dir, live } = await openRun(manifest, rawOptions, ctx);
  const views = await Promise.all(state.jobs.map((job) => (FINISHED.has(job.status) ? undefined : live.retrieve(job.id, ctx.signal))));
  state.jobs.forEach((job, i) => {
    if (views[i]) job.status = views[i]!.status;
  });
  await saveRunState(dir, state);
  ctx.ui.out(`${state.run}: ${state.manifest}, ${runStatus(state)}`);
  for (const [i, job] of state.jobs.entries()) ctx.ui.out(jobLine(job, views[i]));
}

/** `draft batch cancel MANIFEST`: cancels the run's unfinished jobs; a later run submits what they left unanswered. */
export async function runBatchCancel(manifest: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const { state, dir, live } = await openRun(manifest, rawOptions, ctx);
  let cancelled = 0;
  for (const job of state.jobs) {
    if (FINISHED.has(job.status)) continue;
    const view = await live.cancel(job.id, ctx.signal);
    job.status = view.status;
    cancelled++;
    ctx.ui.out(jobLine(job, view));
  }
  state.cancelledAt = new Date().toISOString();
  await saveRunState(dir, state);
  ctx.ui.info(
    cancelled
      ? `Cancelled ${cancelled} job(s) of ${state.run}; answers already made are kept for the next run.`
      : `${state.run} has no unfinished job.`,
  );
}

async function openRun(manifest: string, rawOptions: Record<string, unknown>, ctx: CommandContext) {
  const parsed = check(JobsOptionsSchema, rawOptions, { name: flagName });
  const provided = checkProviderOptions(rawOptions);
  const problems = [...parsed.problems, ...provided.problems];
  if (problems.length > 0) throw problemsError(problems, 'see `draft batch status --help`');
  const shard = parsed.value!.shard === undefined ? undefined : parseShard(parsed.value!.shard);
  const { dir, manifestKey } = await runPlace(ctx.cwd, manifest);
  const run = runName(manifestKey, shard);
  const state: RunState | undefined = await loadRunState(dir, run);
  if (!state) {
    throw new UsageError(
      `${manifest}${shard ? ` (shard ${shard.index}/${shard.count})` : ''}: no provider-batch run is saved for it in ${dir}`,
      {
        hint: 'start one with `draft batch MANIFEST --provider-batch`; `draft batch status` lists the saved runs',
      },
    );
  }
  const { settings } = await resolveSettings(provided.value!, ctx);
  return { state, dir, live: await createBatchClient(settings) };
}

function runStatus(state: RunState): string {
  if (state.cancelledAt) return `cancelled ${state.cancelledAt}`;
  if (state.finishedAt) return `finished ${state.finishedAt}`;
  return `unfinished (run the same \`draft batch --provider-batch\` command to resume)`;
}

function jobLine(job: SavedJob, view: JobView | undefined): string {
  const lines = Object.keys(job.lines).length;
  const counts = view ? `, ${view.counts.completed} done, ${view.counts.failed} failed` : '';
  return `  ${job.id}  round ${job.round}  ${job.stage}  ${lines} request(s)  ${job.status}${counts}`;
}
