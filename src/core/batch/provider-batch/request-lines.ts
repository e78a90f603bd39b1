/**
 * One chat request as a Batch API JSONL line, and one output line back as the ChatResult the
 * drafting core expects from an online call: the same body (model, messages, reply cap, schema),
 * and the same reading of the reply (<think> stripped, secrets scrubbed, cut-off and runaway replies
 * named), so a draft made through a batch job is the draft an online run makes.
 */
import { createHash } from 'node:crypto';
import { ProviderError } from '../../errors.js';
import { classifyFailure, type FailureContext } from '../../provider/error-table.js';
import { mapFinish, messagesFor, reachedTargetCap, schemaName } from '../../provider/chat-completions-wire.js';
import { replyLimits } from '../../provider/reply-limits.js';
import { scrubKnownSecrets } from '../../provider/redact.js';
import { stripThink } from '../../provider/think.js';
import type { ChatRequest, ChatResult, StructuredMode } from '../../provider/types.js';

export const CHAT_ENDPOINT = '/v1/chat/completions';

export interface RequestLine {
  custom_id: string;
  method: 'POST';
  url: typeof CHAT_ENDPOINT;
  body: Record<string, unknown>;
}

/** What a structured request is asked for with: the strongest mode, or the plain prompt when the caller's floor says so. */
function modeFor(request: ChatRequest): StructuredMode | undefined {
  if (!request.json) return undefined;
  return request.structuredFloor === 'prompt' ? 'prompt' : request.structuredFloor === 'json_object' ? 'json_object' : 'json_schema';
}

export function requestBody(model: string, request: ChatRequest): Record<string, unknown> {
  const mode = modeFor(request);
  const limits = replyLimits(request);
  const messages = messagesFor(request, mode);
  return {
    model,
    messages,
    ...(limits.maxTokens !== undefined ? { max_tokens: limits.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.json && mode === 'json_schema'
      ? {
          response_format: {
            type: 'json_schema',
            json_schema: { name: schemaName(request.json.name), schema: request.json.schema, strict: true },
          },
        }
      : request.json && mode === 'json_object'
        ? { response_format: { type: 'json_object' } }
        : {}),
  };
}

/** Identifies a line's request across runs: a resumed run reuses a job's answer only for the very same request. */
export function bodyHash(body: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32);
}

/**
 * The custom_id of one request: the brief's id, the stage it belongs to, and the attempt, e.g.
 * `deepseek-costs:outline:1`, `deepseek-costs:section-3:2`, `deepseek-costs:link-1a2b3c4d:1`.
 */
export function stageOf(purpose: string): string {
  if (purpose === 'the outline') return 'outline';
  if (purpose === 'the introduction') return 'section-0';
  const section = /^section (\d+)/.exec(purpose);
  if (section) return `section-${section[1]}`;
  const link = /^the link to (.+)$/.exec(purpose);
  if (link) return `link-${createHash('sha256').update(link[1]!).digest('hex').slice(0, 8)}`;
  return purpose.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 40) || 'request';
}

/** Output and error file lines, as the Batch API writes them. */
export interface OutputLine {
  custom_id: string;
  response: { status_code: number; request_id?: string; body?: LineBody | null } | null;
  error: { code?: string | null; message?: string | null } | null;
}

/** The parts of a line's chat-completion body that are read; each is checked before use, since the file is the provider's data. */
interface LineBody {
  error?: { message?: unknown; code?: unknown };
  choices?: { message?: { content?: unknown }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

export function parseOutputFile(text: string): Map<string, OutputLine> {
  const lines = new Map<string, OutputLine>();
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    let line: OutputLine;
    try {
      line = JSON.parse(raw) as OutputLine;
    } catch {
      continue; // a damaged line is a line not answered: its request is asked for again
    }
    if (typeof line?.custom_id === 'string') lines.set(line.custom_id, line);
  }
  return lines;
}

/** The code OpenAI gives a line the job never reached before its window closed (or it was cancelled). */
export function unanswered(line: OutputLine | undefined): boolean {
  return !line || line.error?.code === 'batch_expired' || line.error?.code === 'batch_cancelled';
}

/**
 * A finished line as a ChatResult, or the ProviderError it stands for. The error belongs to the one
 * request (so to one draft), never to the run.
 */
export function resultOf(line: OutputLine, request: ChatRequest, context: FailureContext): ChatResult {
  const purpose = request.purpose;
  if (!line.response || line.error) {
    const detail = [line.error?.code, line.error?.message].filter(Boolean).join(': ') || 'no response';
    throw new ProviderError('server', `the batch line for ${purpose} failed: ${scrub(detail, context)}`, {
      hint: 'the other drafts are unaffected; run the batch again to retry this one',
    });
  }
  const { status_code: status, body } = line.response;
  if (status < 200 || status >= 300) {
    const error = body?.error ?? {};
    throw classifyFailure(
      {
        status,
        detail: typeof error.message === 'string' ? error.message : `status ${status}`,
        code: typeof error.code === 'string' ? error.code : undefined,
      },
      context,
    );
  }
  const choice = body?.choices?.[0];
  const raw: string = typeof choice?.message?.content === 'string' ? choice.message.content : '';
  const { text, scrubbed } = scrubKnownSecrets(stripThink(raw), context.secrets);
  const limits = replyLimits(request);
  const usage = body?.usage
    ? { inputTokens: Number(body.usage.prompt_tokens) || 0, outputTokens: Number(body.usage.completion_tokens) || 0 }
    : undefined;
  const counted = usage ?? { inputTokens: Math.ceil(JSON.stringify(request.messages).length / 4), outputTokens: Math.ceil(raw.length / 4) };
  const overBytes = Buffer.byteLength(raw) > limits.maxBytes;
  const finishReason = overBytes ? 'length' : mapFinish(choice?.finish_reason);
  const tooLong = overBytes || (finishReason === 'length' && reachedTargetCap(limits, counted.outputTokens));
  const mode = modeFor(request);
  return {
    text: overBytes ? '' : text,
    finishReason,
    usage: counted,
    ...(mode ? { structuredMode: mode } : {}),
    ...(tooLong ? { tooLong } : {}),
    ...(scrubbed ? { secretsScrubbed: true } : {}),
    ...(usage ? {} : { usageEstimated: true }),
  };
}

function scrub(text: string, context: FailureContext): string {
  return scrubKnownSecrets(text, context.secrets).text;
}
