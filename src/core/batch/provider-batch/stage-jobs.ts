/** A stage's Batch API jobs on paper: the held requests, cut into input files within the limits, labelled and estimated. */
import type { ChatRequest, ChatResult, Usage } from '../../provider/types.js';
import type { BatchItem } from '../validate-manifest.js';
import { CHAT_ENDPOINT } from './request-lines.js';

/** OpenAI's limits per input file: 50,000 requests, 200 MB (kept under it). */
const MAX_LINES_PER_JOB = 50_000;
const MAX_BYTES_PER_JOB = 190 * 1024 * 1024;

/** A request a draft is waiting on, held until its stage is sent. */
export interface Held {
  item: BatchItem;
  modelKey: string;
  customId: string;
  request: ChatRequest;
  body: Record<string, unknown>;
  hash: string;
  resubmitted: boolean;
  settled: boolean;
  resolve(result: ChatResult): void;
  reject(error: unknown): void;
}

/** The stage's lines as JSONL input files, in order, each within the per-file limits. */
export function jobInputFiles(lines: readonly Held[]): { part: Held[]; jsonl: string }[] {
  const chunks: Held[][] = [];
  let chunk: Held[] = [];
  let bytes = 0;
  const text = new Map<Held, string>();
  for (const held of lines) {
    const line = JSON.stringify({ custom_id: held.customId, method: 'POST', url: CHAT_ENDPOINT, body: held.body });
    text.set(held, line);
    if (chunk.length >= MAX_LINES_PER_JOB || bytes + line.length + 1 > MAX_BYTES_PER_JOB) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(held);
    bytes += Buffer.byteLength(line) + 1;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks.map((part) => ({ part, jsonl: `${part.map((h) => text.get(h)).join('\n')}\n` }));
}

/** What a stage should cost: input ≈ 4 characters a token, output ≈ the word target (else 400 tokens). */
export function stageEstimateUsd(lines: readonly Held[], costOf: (usage: Usage) => number): number {
  let estimate = 0;
  for (const held of lines) {
    const input = Math.ceil(JSON.stringify(held.body.messages).length / 4);
    const output = held.request.targetWords ? Math.round(held.request.targetWords * 1.35) : 400;
    estimate += costOf({ inputTokens: input, outputTokens: output });
  }
  return estimate;
}

/** "outlines", "sections + outline retries", "link repairs"… */
export function stageLabel(lines: readonly Held[]): string {
  const kinds = new Set<string>();
  for (const held of lines) {
    const [, stage = '', attempt = '1'] = held.customId.split(':').slice(-3);
    const kind =
      stage === 'outline' ? 'outline' : stage.startsWith('section') ? 'section' : stage.startsWith('link') ? 'link repair' : 'request';
    kinds.add(attempt === '1' ? `${kind}s` : `${kind} retries`);
  }
  const order = ['outlines', 'sections', 'outline retries', 'section retries', 'link repairs', 'link repair retries'];
  return [...kinds].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99)).join(' + ');
}
