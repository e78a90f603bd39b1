/**
 * Runs the ordinary drafting pipeline of every brief at once, with a ChatProvider that does not send
 * a request but holds it. When every unfinished draft is waiting on held requests (none can go on
 * without a reply), the held requests are one stage: they go to the provider as one Batch API job per
 * model, the job is polled, and each reply is handed back to the draft that asked. The first stage is
 * every outline; the next holds every section, plus the outlines that failed validation (the
 * pipeline's own retry); then the link repairs. So prompts, validation, retries, files, state, notes
 * and report are exactly the online run's: only the transport differs.
 */
import { BudgetStop, InterruptedError, ProviderError, RunError } from '../../errors.js';
import type { FailureContext } from '../../provider/error-table.js';
import type { ChatProvider, ChatRequest, ChatResult, ProviderInfo, Usage } from '../../provider/types.js';
import type { BatchItem } from '../validate-manifest.js';
import { downloadAnswers, FINISHED, pollUntilFinished, type BatchClient } from './batch-client.js';
import { bodyHash, requestBody, resultOf, stageOf, unanswered, type OutputLine } from './request-lines.js';
import { saveRunState, type RunState, type SavedJob } from './run-state.js';
import { jobInputFiles, stageEstimateUsd, stageLabel, type Held } from './stage-jobs.js';

export interface CollectorOptions {
  clientFor(modelKey: string): BatchClient;
  infoFor(modelKey: string): ProviderInfo;
  failureContext(modelKey: string): FailureContext;
  state: RunState;
  stateDir: string;
  signal: AbortSignal;
  /** First wait between polls; it grows by half each poll up to maxPollMs. */
  pollMs: number;
  maxPollMs: number;
  /** --max-cost: checked before each stage is submitted, at batch prices. */
  budget?: { maxUsd: number; costOf(modelKey: string, usage: Usage): number };
  onProgress(line: string): void;
}

export class StageCollector {
  private readonly unfinished = new Set<BatchItem>();
  private readonly inFlight = new Map<BatchItem, number>();
  private readonly held = new Map<BatchItem, number>();
  private queue: Held[] = [];
  private readonly attempts = new Map<string, number>();
  private readonly outputs = new Map<string, Promise<Map<string, OutputLine>>>();
  private scheduled = false;
  private flushing = false;
  private round = 0;
  /** Spent so far by lines answered through this run, at batch prices. */
  private spentUsd = 0;
  readonly budgetStopped = new Set<BatchItem>();
  jobsCreated = 0;
  jobsResumed = 0;

  constructor(private readonly options: CollectorOptions) {}

  begin(items: readonly BatchItem[]): void {
    for (const item of items) this.unfinished.add(item);
  }

  finish(item: BatchItem): void {
    this.unfinished.delete(item);
    this.schedule();
  }

  /**
   * The item's provider: `wrap` puts layers (the response cache) between the draft and the holding
   * provider; every call through the result is counted, so a draft busy in a layer is not "waiting".
   */
  providerFor(item: BatchItem, modelKey: string, wrap: (inner: ChatProvider) => ChatProvider): ChatProvider {
    const info = this.options.infoFor(modelKey);
    const holding: ChatProvider = { info, chat: (request) => this.hold(item, modelKey, request) };
    const inner = wrap(holding);
    return {
      info,
      chat: async (request) => {
        this.inFlight.set(item, (this.inFlight.get(item) ?? 0) + 1);
        try {
          return await inner.chat(request);
        } finally {
          this.inFlight.set(item, this.inFlight.get(item)! - 1);
          this.schedule();
        }
      },
    };
  }

  private hold(item: BatchItem, modelKey: string, request: ChatRequest): Promise<ChatResult> {
    if (this.options.signal.aborted || request.signal?.aborted) return Promise.reject(new InterruptedError());
    const stage = stageOf(request.purpose);
    const attempt = (this.attempts.get(`${item.id}\0${stage}`) ?? 0) + 1;
    this.attempts.set(`${item.id}\0${stage}`, attempt);
    const body = requestBody(this.options.infoFor(modelKey).model, request);
    return new Promise<ChatResult>((resolve, reject) => {
      const onAbort = () => {
        this.queue = this.queue.filter((h) => h !== held);
        held.reject(new InterruptedError());
      };
      const done = () => {
        held.settled = true;
        request.signal?.removeEventListener('abort', onAbort);
        this.held.set(item, this.held.get(item)! - 1);
        this.schedule();
      };
      const held: Held = {
        item,
        modelKey,
        customId: `${item.id}:${stage}:${attempt}`,
        request,
        body,
        hash: bodyHash(body),
        resubmitted: false,
        settled: false,
        resolve: (result) => {
          if (held.settled) return;
          done();
          resolve(result);
        },
        reject: (error) => {
          if (held.settled) return;
          done();
          reject(error);
        },
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.held.set(item, (this.held.get(item) ?? 0) + 1);
      this.queue.push(held);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.maybeFlush();
    });
  }

  /** A stage is complete when every unfinished draft has calls in flight and all of them are held here. */
  private stageComplete(): boolean {
    for (const item of this.unfinished) {
      const inFlight = this.inFlight.get(item) ?? 0;
      if (inFlight === 0 || inFlight !== (this.held.get(item) ?? 0)) return false;
    }
    return true;
  }

  private async maybeFlush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    if (this.options.signal.aborted) {
      for (const held of this.queue.splice(0)) held.reject(new InterruptedError());
      return;
    }
    if (!this.stageComplete()) return;
    this.flushing = true;
    const stage = this.queue.splice(0);
    this.round++;
    try {
      const byModel = new Map<string, Held[]>();
      for (const held of stage) byModel.set(held.modelKey, [...(byModel.get(held.modelKey) ?? []), held]);
      await Promise.all([...byModel].map(([modelKey, group]) => this.runStage(modelKey, group)));
    } catch (error) {
      for (const held of stage) held.reject(this.options.signal.aborted ? new InterruptedError() : error);
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  private async runStage(modelKey: string, group: Held[]): Promise<void> {
    const { state } = this.options;
    // A line this run (or an earlier, interrupted one) already sent is polled, never sent again.
    const resumed = new Map<SavedJob, Held[]>();
    const fresh: Held[] = [];
    for (const held of group) {
      const job = [...state.jobs].reverse().find((j) => j.modelKey === modelKey && j.lines[held.customId] === held.hash);
      if (!job) fresh.push(held);
      else {
        held.resubmitted = Boolean(job.resubmission);
        resumed.set(job, [...(resumed.get(job) ?? []), held]);
      }
    }
    this.jobsResumed += resumed.size;
    const waits = [...resumed].map(([job, lines]) => this.settleJob(job, lines));
    if (fresh.length > 0) waits.push(this.submitAndSettle(modelKey, fresh, false));
    await Promise.all(waits);
  }

  private async submitAndSettle(modelKey: string, lines: Held[], resubmission: boolean): Promise<void> {
    // In manifest order, so a job's input file reads like the manifest.
    const live = lines
      .filter((h) => !h.settled)
      .sort((a, b) => a.item.entry.index - b.item.entry.index || (a.customId < b.customId ? -1 : 1));
    if (live.length === 0) return;
    if (!this.withinBudget(modelKey, live)) return;
    const jobs = await this.submit(modelKey, live, resubmission);
    await Promise.all(jobs.map(([job, held]) => this.settleJob(job, held)));
  }

  /** The stage's estimate must fit what is left of --max-cost. */
  private withinBudget(modelKey: string, lines: Held[]): boolean {
    const budget = this.options.budget;
    if (!budget) return true;
    const estimate = stageEstimateUsd(lines, (usage) => budget.costOf(modelKey, usage));
    if (this.spentUsd + estimate <= budget.maxUsd) return true;
    const message =
      `--max-cost ${budget.maxUsd}: this stage (${lines.length} request(s), ~$${estimate.toFixed(4)} at batch prices) ` +
      `would take the spend past it (spent $${this.spentUsd.toFixed(4)})`;
    this.options.onProgress(`${message}; not submitted`);
    for (const held of lines) {
      this.budgetStopped.add(held.item);
      held.reject(new BudgetStop(message));
    }
    return false;
  }

  private async submit(modelKey: string, lines: Held[], resubmission: boolean): Promise<[SavedJob, Held[]][]> {
    const { state, signal } = this.options;
    const client = this.options.clientFor(modelKey);
    const label = stageLabel(lines);
    const chunks = jobInputFiles(lines);
    const created: [SavedJob, Held[]][] = [];
    for (const [i, { part, jsonl }] of chunks.entries()) {
      const { jobId, inputFileId } = await client.submit(
        jsonl,
        `${state.run}-r${this.round}${chunks.length > 1 ? `-${i + 1}` : ''}.jsonl`,
        signal,
      );
      const job: SavedJob = {
        id: jobId,
        inputFileId,
        modelKey,
        model: this.options.infoFor(modelKey).model,
        stage: resubmission ? `${label} (resubmitted)` : label,
        round: this.round,
        status: 'validating',
        createdAt: new Date().toISOString(),
        lines: Object.fromEntries(part.map((h) => [h.customId, h.hash])),
        ...(resubmission ? { resubmission: true } : {}),
      };
      state.jobs.push(job);
      // Saved before anything else can go wrong: from here on a re-run polls this job.
      await saveRunState(this.options.stateDir, state);
      this.jobsCreated++;
      this.options.onProgress(`Batch job ${jobId} created: ${label}, ${part.length} request(s)${resubmission ? ' (resubmitted)' : ''}`);
      created.push([job, part]);
    }
    return created;
  }

  private async settleJob(job: SavedJob, lines: Held[]): Promise<void> {
    const view = FINISHED.has(job.status)
      ? undefined
      : await pollUntilFinished(this.options.clientFor(job.modelKey), job, {
          ...this.options,
          onStatus: () => saveRunState(this.options.stateDir, this.options.state),
        });
    if (view) {
      job.status = view.status;
      if (view.outputFileId) job.outputFileId = view.outputFileId;
      if (view.errorFileId) job.errorFileId = view.errorFileId;
      await saveRunState(this.options.stateDir, this.options.state);
    }
    if (job.status === 'failed') {
      const error = new RunError(`batch job ${job.id} (${job.stage}) failed${view?.errors ? `: ${view.errors}` : ''}`, {
        hint: 'nothing of it was answered; fix the cause and run the batch again',
      });
      for (const held of lines) held.reject(error);
      return;
    }
    const answers = await this.answersOf(job);
    const again: Held[] = [];
    for (const held of lines) {
      const line = answers.get(held.customId);
      if (unanswered(line)) {
        if (held.resubmitted) {
          held.reject(
            new ProviderError('timeout', `the batch job expired before answering ${held.request.purpose}, also when resubmitted`, {
              hint: 'run the batch again to retry this draft',
            }),
          );
        } else again.push(held);
        continue;
      }
      try {
        const result = resultOf(line!, held.request, this.options.failureContext(job.modelKey));
        if (this.options.budget) this.spentUsd += this.options.budget.costOf(job.modelKey, result.usage);
        held.resolve(result);
      } catch (error) {
        held.reject(error);
      }
    }
    if (again.length > 0) {
      // What an expired (or cancelled) job left unanswered is sent once more, in a job of its own.
      for (const held of again) held.resubmitted = true;
      this.options.onProgress(
        `Batch job ${job.id} ${job.status}: ${lines.length - again.length} answer(s) used, ${again.length} resubmitted`,
      );
      await this.submitAndSettle(job.modelKey, again, true);
    }
  }

  /** The job's output and error lines, downloaded once per run. */
  private answersOf(job: SavedJob): Promise<Map<string, OutputLine>> {
    let answers = this.outputs.get(job.id);
    if (!answers) {
      answers = downloadAnswers(this.options.clientFor(job.modelKey), job, this.options.signal);
      this.outputs.set(job.id, answers);
    }
    return answers;
  }
}
