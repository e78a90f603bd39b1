/**
 * The provider's Batch API through the openai SDK: upload a JSONL file (`files.create`, purpose
 * batch), create a job on it (`batches.create`, /v1/chat/completions, 24h), poll it
 * (`batches.retrieve`), cancel it, and download its output and error files (`files.content`).
 * Transient failures (429, 5xx, a dropped connection) are retried here with a capped back-off, as
 * online calls are; a server with no Batch API is named, with the endpoint that answered 404.
 */
import type OpenAI from 'openai';
import { InterruptedError, RunError } from '../../errors.js';
import { httpFetch } from '../../provider/http-fetch.js';
import { redactSecrets, splitBaseUrl } from '../../provider/redact.js';
import { abortableSleep } from '../../provider/retry-wait.js';
import type { ProviderSettings } from '../../provider/types.js';
import { CHAT_ENDPOINT, parseOutputFile, type OutputLine } from './request-lines.js';
import type { SavedJob } from './run-state.js';

export type JobStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

export interface JobView {
  id: string;
  status: JobStatus;
  outputFileId?: string;
  errorFileId?: string;
  counts: { total: number; completed: number; failed: number };
  /** Why a job failed validation, in the provider's words. */
  errors?: string;
}

export const FINISHED: ReadonlySet<JobStatus> = new Set(['completed', 'expired', 'cancelled', 'failed']);

export interface BatchClient {
  readonly baseURL: string;
  submit(jsonl: string, name: string, signal: AbortSignal): Promise<{ jobId: string; inputFileId: string }>;
  retrieve(jobId: string, signal: AbortSignal): Promise<JobView>;
  cancel(jobId: string, signal: AbortSignal): Promise<JobView>;
  /** The file's text, or undefined when the provider no longer has it. */
  download(fileId: string, signal: AbortSignal): Promise<string | undefined>;
}

export async function createBatchClient(settings: ProviderSettings): Promise<BatchClient> {
  const sdk = await import('openai');
  const target = splitBaseUrl(settings.baseURL);
  const secrets = [settings.apiKey, ...target.secrets];
  const client: OpenAI = new sdk.OpenAI({
    baseURL: target.url,
    ...(target.authorization ? { defaultHeaders: { Authorization: target.authorization } } : {}),
    apiKey: settings.apiKey || 'no-key',
    adminAPIKey: null,
    ...(settings.provider === 'openai' ? {} : { organization: null, project: null }),
    maxRetries: 0,
    timeout: settings.timeoutMs,
    logLevel: 'off',
    // The file upload's multipart body goes on to the global fetch (http-fetch.ts).
    fetch: httpFetch,
  });
  const baseURL = target.url;

  /** One control-plane call, retried on what is worth retrying; failures become one clear RunError. */
  async function call<T>(what: string, endpoint: string, signal: AbortSignal, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw new InterruptedError();
      try {
        return await run();
      } catch (error) {
        if (signal.aborted) throw new InterruptedError();
        const status = error instanceof sdk.APIError ? error.status : undefined;
        const transient =
          status === undefined
            ? error instanceof sdk.APIConnectionError
            : status === 408 || status === 409 || status === 429 || status >= 500;
        if (status === 404 && (endpoint === '/files' || endpoint === '/batches')) {
          throw new RunError(`${baseURL} has no Batch API: POST ${baseURL}${endpoint} answered 404`, {
            hint: 'drop --provider-batch to draft online, or use a server with the OpenAI Batch API (OpenAI, vLLM, OpenRouter…)',
            code: 'batch-api-missing',
          });
        }
        if (status === 401 || status === 403) {
          throw new RunError(
            `authentication failed for ${baseURL}${endpoint}${settings.apiKeyEnv ? ` with the key from ${settings.apiKeyEnv}` : ''}`,
            {
              hint: `check ${settings.apiKeyEnv ?? 'the API key'}`,
            },
          );
        }
        if (!transient || attempt >= settings.maxRetries) {
          const detail = error instanceof Error ? error.message : String(error);
          throw new RunError(redactSecrets(`the Batch API ${what} failed at ${baseURL}${endpoint}: ${detail}`, secrets), {
            hint: 'run the batch again: jobs already created are resumed from .draft/batches, not sent again',
          });
        }
        await abortableSleep(Math.min(settings.retryAfterCapMs, settings.backoffBaseMs * 2 ** attempt), signal);
      }
    }
  }

  const view = (job: OpenAI.Batches.Batch): JobView => ({
    id: job.id,
    status: job.status,
    ...(job.output_file_id ? { outputFileId: job.output_file_id } : {}),
    ...(job.error_file_id ? { errorFileId: job.error_file_id } : {}),
    counts: {
      total: job.request_counts?.total ?? 0,
      completed: job.request_counts?.completed ?? 0,
      failed: job.request_counts?.failed ?? 0,
    },
    ...(job.errors?.data?.length
      ? {
          errors: redactSecrets(
            job.errors.data.map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.message ?? e.code}`).join('; '),
            secrets,
          ),
        }
      : {}),
  });

  return {
    baseURL,
    async submit(jsonl, name, signal) {
      const file = await call('upload', '/files', signal, async () =>
        client.files.create({ file: await sdk.toFile(Buffer.from(jsonl, 'utf8'), name), purpose: 'batch' }, { signal }),
      );
      // Not abortable: a job the provider has created must reach the state file, or a re-run would pay for it twice.
      const never = new AbortController().signal;
      const job = await call('job creation', '/batches', never, () =>
        client.batches.create({ input_file_id: file.id, endpoint: CHAT_ENDPOINT, completion_window: '24h' }),
      );
      return { jobId: job.id, inputFileId: file.id };
    },
    retrieve: async (jobId, signal) =>
      view(await call('status check', `/batches/${jobId}`, signal, () => client.batches.retrieve(jobId, { signal }))),
    cancel: async (jobId, signal) =>
      view(await call('cancellation', `/batches/${jobId}/cancel`, signal, () => client.batches.cancel(jobId, { signal }))),
    async download(fileId, signal) {
      try {
        return await call('download', `/files/${fileId}/content`, signal, async () =>
          (await client.files.content(fileId, { signal })).text(),
        );
      } catch (error) {
        if (error instanceof RunError && /answered 404|404/.test(error.message)) return undefined;
        throw error;
      }
    },
  };
}

/**
 * Polls with a growing interval (by half each time, up to maxPollMs) until the job is finished, saying
 * how far it is whenever that changes; `onStatus` runs after each change of `job.status`.
 */
export async function pollUntilFinished(
  client: BatchClient,
  job: SavedJob,
  options: { pollMs: number; maxPollMs: number; signal: AbortSignal; onProgress(line: string): void; onStatus(): Promise<void> },
): Promise<JobView> {
  let wait = options.pollMs;
  let said = '';
  for (;;) {
    const view = await client.retrieve(job.id, options.signal);
    const progress =
      `Batch job ${job.id} (${job.stage}): ${view.status}, ` +
      `${view.counts.completed + view.counts.failed}/${view.counts.total || Object.keys(job.lines).length} done`;
    if (progress !== said) options.onProgress(progress);
    said = progress;
    if (FINISHED.has(view.status)) return view;
    if (job.status !== view.status) {
      job.status = view.status;
      await options.onStatus();
    }
    await abortableSleep(wait, options.signal);
    wait = Math.min(options.maxPollMs, Math.round(wait * 1.5));
  }
}

/** A finished job's answers by custom_id, from its output and error files. */
export async function downloadAnswers(client: BatchClient, job: SavedJob, signal: AbortSignal): Promise<Map<string, OutputLine>> {
  const [output, errors] = await Promise.all(
    [job.outputFileId, job.errorFileId].map((id) => (id ? client.download(id, signal) : Promise.resolve(''))),
  );
  // Errors first, so an answer in the output file wins over a stale error for the same line.
  return new Map([...parseOutputFile(errors ?? ''), ...parseOutputFile(output ?? '')]);
}
