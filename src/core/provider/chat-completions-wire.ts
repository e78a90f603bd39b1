/**
 * The chat-completions request and reply conventions that the streaming provider and the Batch API's
 * request lines share: the structured-output ladder, how a schema is asked for, how a finish is read.
 */
import type OpenAI from 'openai';
import type { ReplyLimits } from './reply-limits.js';
import type { ChatMessage, ChatRequest, FinishReason, JsonSchemaSpec, StructuredMode } from './types.js';

type StreamBody = OpenAI.ChatCompletionCreateParamsStreaming;

/** Strongest first: a server that refuses one mode is asked with the next. */
export const STRUCTURED_ORDER: readonly StructuredMode[] = ['json_schema', 'json_object', 'prompt'];

/** The weaker of two structured modes (the floor a caller asked for wins when it is weaker). */
export function weaker(current: StructuredMode, floor: StructuredMode | undefined): StructuredMode {
  if (!floor || !STRUCTURED_ORDER.includes(floor)) return current;
  return STRUCTURED_ORDER.indexOf(floor) > STRUCTURED_ORDER.indexOf(current) ? floor : current;
}

export function withSchemaInstruction(messages: ChatMessage[], json: JsonSchemaSpec): ChatMessage[] {
  const instruction = `Reply with a single JSON object matching this JSON Schema, and nothing else:\n${JSON.stringify(json.schema)}`;
  const [first, ...rest] = messages;
  // Appended to an existing system message rather than added as a second one: several local chat
  // templates reject more than one system message, or one that is not first.
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}

/** OpenAI requires ^[a-zA-Z0-9_-]{1,64}$ for the schema name. */
export function schemaName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'reply';
}

export function mapFinish(reason: string | null | undefined): FinishReason {
  return reason === 'stop' || reason === 'length' || reason === 'content_filter' ? reason : 'other';
}

/** Stopped at the cap derived from the word target (not at a lower limit of the server's own). */
export function reachedTargetCap(limits: ReplyLimits, outputTokens: number): boolean {
  return limits.fromTarget && limits.maxTokens !== undefined && outputTokens >= limits.maxTokens * 0.9;
}

/** The streaming request for one attempt in the given structured mode, with the reply cap under the field the server takes. */
export function streamingBody(
  model: string,
  request: ChatRequest,
  mode: StructuredMode | undefined,
  limits: ReplyLimits,
  options: { streamUsage: boolean; tokenField: 'max_tokens' | 'max_completion_tokens' },
): StreamBody {
  const body: StreamBody = {
    model,
    messages: messagesFor(request, mode),
    stream: true,
    ...(options.streamUsage ? { stream_options: { include_usage: true } } : {}),
  };
  if (limits.maxTokens !== undefined) body[options.tokenField] = limits.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.json?.tool && mode === 'tool') {
    const name = schemaName(request.json.name);
    body.tools = [
      { type: 'function', function: { name, description: request.json.tool.description, parameters: request.json.schema, strict: true } },
    ];
    body.tool_choice = { type: 'function', function: { name } };
  } else if (request.json && mode === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: schemaName(request.json.name), schema: request.json.schema, strict: true },
    };
  } else if (request.json && mode === 'json_object') {
    body.response_format = { type: 'json_object' };
  }
  return body;
}

/** With json_schema (or a function) the server enforces the shape; weaker modes need the schema spelled out. */
export function messagesFor(request: ChatRequest, mode: StructuredMode | undefined): ChatMessage[] {
  if (!request.json || !mode || mode === 'json_schema' || mode === 'tool') return request.messages;
  return withSchemaInstruction(request.messages, request.json);
}
