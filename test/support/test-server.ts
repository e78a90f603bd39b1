/**
 * A real OpenAI-compatible HTTP server for tests and benchmarks. Real sockets, not a mocked fetch:
 * retries, timeouts, dropped connections and aborted streams only behave truthfully over the wire.
 * Also serves plain files with Range support, for model-download tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string with its `?` (e.g. `?api-version=2024-10-21`), or ''. */
  query?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: any;
  rawBody: string;
}

export interface ContentReply {
  content: string;
  finishReason?: 'stop' | 'length' | 'content_filter';
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Sent as delta.reasoning_content / message.reasoning_content, like DeepSeek. */
  reasoning?: string;
  delayMs?: number;
  /** Characters per SSE chunk (default 20). */
  chunkSize?: number;
  chunkDelayMs?: number;
}
export interface ErrorReply {
  status: number;
  /** JSON error body; default {error: {message, type, code}}. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}
/** Destroys the socket without any response. */
export interface DropReply {
  drop: true;
  delayMs?: number;
}
/**
 * Streams the first `stallAfterChunks` SSE events of the reply (the role chunk counts as one), then
 * stays silent until the client goes away or the server closes.
 */
export interface StallReply {
  stallAfterChunks: number;
  content: string;
}
/** Streams the first `dropAfterChunks` SSE events, then destroys the socket mid-reply. */
export interface DropMidStreamReply {
  dropAfterChunks: number;
  content: string;
}
/** An arbitrary body, e.g. malformed JSON or an HTML error page. */
export interface RawReply {
  raw: string;
  status?: number;
  contentType?: string;
}
export type Reply = ContentReply | ErrorReply | DropReply | StallReply | DropMidStreamReply | RawReply;
export type Handler = (req: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface TestServer {
  /** Base URL including /v1. */
  url: string;
  origin: string;
  /** Chat-completions requests only, in arrival order. */
  requests: RecordedRequest[];
  /** GET/HEAD requests for served files, in arrival order (e.g. to check a resumed download's Range). */
  fileRequests: RecordedRequest[];
  /** GET /v1/models requests, in arrival order (to check the headers a model listing sends). */
  modelRequests: RecordedRequest[];
  /** What GET /v1/models lists from now on (default: one model, `test-model`). */
  setModels(models: { id: string; owned_by?: string }[]): void;
  /** Chat requests currently open. */
  readonly inFlight: number;
  /** High-water mark of inFlight. */
  readonly maxInFlight: number;
  setHandler(handler: Handler): void;
  /** A FIFO script consumed before the handler is used. */
  queue(...replies: Reply[]): void;
  /** Added before every chat reply (for benchmarks). */
  setDelay(ms: number): void;
  serveFile(path: string, data: Buffer): void;
  /** How the Batch API (`/v1/files`, `/v1/batches`) behaves from now on. */
  setBatchBehaviour(behaviour: BatchBehaviour): void;
  /** Batch jobs created, in order. */
  readonly batches: readonly TestBatch[];
  /** Every JSONL line the Batch API answered, in order (as if it were a chat request), with its custom_id. */
  readonly batchLines: (RecordedRequest & { customId: string })[];
  /** Closes every socket, including stalled streams. */
  close(): Promise<void>;
}

/**
 * The Batch API: a job stays in_progress for `delayMs` after it is created (measured when it is
 * retrieved), then every line is answered by the chat handler and the job completes, or expires
 * after `expireAfterLines` lines (the rest go to the error file as batch_expired).
 */
export interface BatchBehaviour {
  /** false: /v1/files and /v1/batches answer 404, as servers without the Batch API do. */
  available?: boolean;
  delayMs?: number;
  /** The job expires once this many of its lines are answered. */
  expireAfterLines?: number | ((job: TestBatch) => number | undefined);
  /** A per-line failure: the line goes to the error file with this code and message. */
  lineError?: (customId: string, body: any) => { code: string; message: string } | undefined;
}

export interface TestBatch {
  id: string;
  inputFileId: string;
  status: 'validating' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled' | 'failed';
  createdAtMs: number;
  lines: { custom_id: string; body: any }[];
  outputFileId?: string;
  errorFileId?: string;
  /** Times it was retrieved (polled). */
  polls: number;
}

const CHAT_PATH = '/v1/chat/completions';
const AZURE_CHAT_PATH = /^\/openai\/deployments\/[^/]+\/chat\/completions$/;
const MODEL_ID = 'test-model';

export async function startTestServer(options: { handler?: Handler; delayMs?: number } = {}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const fileRequests: RecordedRequest[] = [];
  const modelRequests: RecordedRequest[] = [];
  let modelList: { id: string; owned_by?: string }[] | undefined;
  const files = new Map<string, Buffer>();
  const script: Reply[] = [];
  let handler: Handler = options.handler ?? (() => ({ content: 'ok' }));
  let delayMs = options.delayMs ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let closed = false;
  let ids = 0;
  let batchBehaviour: BatchBehaviour = {};
  const batches: TestBatch[] = [];
  const batchLines: (RecordedRequest & { customId: string })[] = [];
  const uploaded = new Map<string, { filename: string; purpose: string; data: string; createdAt: number }>();
  // Wake-ups for every pending wait, so close() never leaves a timer holding the process open.
  const wakers = new Set<() => void>();

  /** Waits `ms` (or forever when ms is Infinity), ending early when the client goes or the server closes. */
  const pause = (ms: number, res: ServerResponse): Promise<void> => {
    if (ms <= 0 || gone(res)) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        res.off('close', wake);
        wakers.delete(wake);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(wake, ms) : undefined;
      res.once('close', wake);
      wakers.add(wake);
    });
  };
  const gone = (res: ServerResponse) => closed || res.destroyed || res.writableEnded;

  async function chat(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);

    const recorded = await record(req, path);
    requests.push(recorded);
    const reply = script.shift() ?? (await handler(recorded, requests.length - 1));
    await pause(delayMs + ('delayMs' in reply ? (reply.delayMs ?? 0) : 0), res);
    if (gone(res)) return;

    if ('drop' in reply) {
      req.socket.destroy();
    } else if ('raw' in reply) {
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(reply.raw);
    } else if ('status' in reply) {
      sendJson(res, reply.status, reply.body ?? defaultErrorBody(reply.status), reply.headers);
    } else if ('stallAfterChunks' in reply) {
      await stream(res, sseEvents(reply, recorded.body, ++ids).slice(0, reply.stallAfterChunks), 0);
      await pause(Infinity, res);
    } else if ('dropAfterChunks' in reply) {
      await stream(res, sseEvents(reply, recorded.body, ++ids).slice(0, reply.dropAfterChunks), 0);
      // Let the written chunks reach the client before the socket dies.
      await pause(20, res);
      req.socket.destroy();
    } else if (recorded.body?.stream === true) {
      await stream(res, sseEvents(reply, recorded.body, ++ids), reply.chunkDelayMs ?? 0);
      if (!gone(res)) res.end('data: [DONE]\n\n');
    } else {
      sendJson(res, 200, completion(reply, recorded.body, ++ids));
    }
  }

  async function stream(res: ServerResponse, events: object[], chunkDelayMs: number): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    for (const [i, event] of events.entries()) {
      if (i > 0) await pause(chunkDelayMs, res);
      if (gone(res)) return;
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === CHAT_PATH) return chat(req, res, path);
    // Azure OpenAI's shape: the deployment in the path, the api-version in the query.
    if (method === 'POST' && AZURE_CHAT_PATH.test(path)) return chat(req, res, path);
    const file = files.get(path);
    if (file && (method === 'GET' || method === 'HEAD')) {
      fileRequests.push(await record(req, path));
      return sendFile(req, res, file);
    }
    const recordedOther = await record(req, path); // drain the body so the connection can be reused
    if (
      (path === '/v1/files' || path.startsWith('/v1/files/') || path === '/v1/batches' || path.startsWith('/v1/batches/')) &&
      batchBehaviour.available !== false
    ) {
      return batchApi(req, res, method, path, recordedOther);
    }
    if (method === 'GET' && path === '/v1/models') {
      modelRequests.push(recordedOther);
      return sendJson(res, 200, {
        object: 'list',
        data: (modelList ?? [{ id: MODEL_ID, owned_by: 'test-server' }]).map((m) => ({ object: 'model', created: 1_700_000_000, ...m })),
      });
    }
    sendJson(res, 404, { error: { message: `no route for ${method} ${path}`, type: 'invalid_request_error', code: null } });
  }

  function fileObject(id: string) {
    const file = uploaded.get(id)!;
    return {
      id,
      object: 'file',
      bytes: Buffer.byteLength(file.data),
      created_at: file.createdAt,
      filename: file.filename,
      purpose: file.purpose,
      status: 'processed',
    };
  }
  function addFile(filename: string, purpose: string, data: string): string {
    const id = `file-test-${uploaded.size + 1}`;
    uploaded.set(id, { filename, purpose, data, createdAt: Math.floor(Date.now() / 1000) });
    return id;
  }
  function batchObject(job: TestBatch) {
    const done = job.status === 'completed' || job.status === 'expired' || job.status === 'cancelled';
    const failedLines = job.errorFileId ? uploaded.get(job.errorFileId)!.data.split('\n').filter(Boolean).length : 0;
    const total = job.lines.length;
    return {
      id: job.id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      input_file_id: job.inputFileId,
      completion_window: '24h',
      status: job.status,
      output_file_id: job.outputFileId ?? null,
      error_file_id: job.errorFileId ?? null,
      created_at: Math.floor(job.createdAtMs / 1000),
      request_counts: { total, completed: done ? total - failedLines : 0, failed: done ? failedLines : 0 },
      errors: null,
      metadata: null,
    };
  }
  /** Answers every line of a job that is due, through the same handler as the chat endpoint. */
  async function settle(job: TestBatch): Promise<void> {
    if (job.status !== 'in_progress' || Date.now() - job.createdAtMs < (batchBehaviour.delayMs ?? 0)) return;
    job.status = 'finalizing';
    const limit =
      typeof batchBehaviour.expireAfterLines === 'function' ? batchBehaviour.expireAfterLines(job) : batchBehaviour.expireAfterLines;
    const out: string[] = [];
    const errors: string[] = [];
    for (const [i, line] of job.lines.entries()) {
      const requestId = `req-test-${job.id}-${i}`;
      if (limit !== undefined && i >= limit) {
        errors.push(
          failedLine(i, line.custom_id, {
            code: 'batch_expired',
            message: 'This request could not be executed before the completion window expired.',
          }),
        );
        continue;
      }
      const failure = batchBehaviour.lineError?.(line.custom_id, line.body);
      if (failure) {
        errors.push(failedLine(i, line.custom_id, failure));
        continue;
      }
      const recorded: RecordedRequest & { customId: string } = {
        method: 'POST',
        path: CHAT_PATH,
        headers: {},
        body: line.body,
        rawBody: JSON.stringify(line.body),
        customId: line.custom_id,
      };
      batchLines.push(recorded);
      const reply = script.shift() ?? (await handler(recorded, requests.length + batchLines.length - 1));
      if ('content' in reply && !('stallAfterChunks' in reply) && !('dropAfterChunks' in reply)) {
        out.push(
          JSON.stringify({
            id: `batch_req_${i}`,
            custom_id: line.custom_id,
            response: { status_code: 200, request_id: requestId, body: completion(reply, line.body, ++ids) },
            error: null,
          }),
        );
      } else if ('status' in reply && !('raw' in reply)) {
        out.push(
          JSON.stringify({
            id: `batch_req_${i}`,
            custom_id: line.custom_id,
            response: { status_code: reply.status, request_id: requestId, body: reply.body ?? defaultErrorBody(reply.status) },
            error: null,
          }),
        );
      } else {
        errors.push(failedLine(i, line.custom_id, { code: 'server_error', message: 'the test server could not answer this line' }));
      }
    }
    if (out.length) job.outputFileId = addFile(`${job.id}_output.jsonl`, 'batch_output', `${out.join('\n')}\n`);
    if (errors.length) job.errorFileId = addFile(`${job.id}_error.jsonl`, 'batch_output', `${errors.join('\n')}\n`);
    job.status = limit !== undefined && limit < job.lines.length ? 'expired' : 'completed';
  }
  async function batchApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    recorded: RecordedRequest,
  ): Promise<void> {
    const notFound = (what: string) =>
      sendJson(res, 404, { error: { message: `No such ${what}`, type: 'invalid_request_error', code: null } });
    if (method === 'POST' && path === '/v1/files') {
      const form = parseMultipart(recorded.rawBody, String(req.headers['content-type'] ?? ''));
      const file = form.get('file');
      if (!file || form.get('purpose')?.value !== 'batch') {
        return sendJson(res, 400, {
          error: { message: 'a file and purpose "batch" are required', type: 'invalid_request_error', code: null },
        });
      }
      return sendJson(res, 200, fileObject(addFile(file.filename ?? 'upload.jsonl', 'batch', file.value)));
    }
    const fileMatch = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    if (method === 'GET' && fileMatch) {
      const file = uploaded.get(fileMatch[1]!);
      if (!file) return notFound('file');
      if (!fileMatch[2]) return sendJson(res, 200, fileObject(fileMatch[1]!));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(file.data) });
      return void res.end(file.data);
    }
    if (method === 'POST' && path === '/v1/batches') {
      const body = recorded.body ?? {};
      const input = uploaded.get(body.input_file_id);
      if (!input) return notFound('file');
      if (body.endpoint !== CHAT_PATH || body.completion_window !== '24h') {
        return sendJson(res, 400, {
          error: { message: 'endpoint must be /v1/chat/completions and completion_window 24h', type: 'invalid_request_error', code: null },
        });
      }
      const lines = input.data
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { custom_id: string; method: string; url: string; body: any });
      const job: TestBatch = {
        id: `batch_test_${batches.length + 1}`,
        inputFileId: body.input_file_id,
        status: 'in_progress',
        createdAtMs: Date.now(),
        lines: lines.map((l) => ({ custom_id: l.custom_id, body: l.body })),
        polls: 0,
      };
      batches.push(job);
      return sendJson(res, 200, batchObject(job));
    }
    const batchMatch = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    const job = batchMatch ? batches.find((b) => b.id === batchMatch[1]) : undefined;
    if (batchMatch && !job) return notFound('batch');
    if (job && method === 'GET' && !batchMatch![2]) {
      job.polls++;
      await settle(job);
      return sendJson(res, 200, batchObject(job));
    }
    if (job && method === 'POST' && batchMatch![2]) {
      if (job.status === 'in_progress' || job.status === 'validating') job.status = 'cancelled';
      return sendJson(res, 200, batchObject(job));
    }
    sendJson(res, 404, { error: { message: `no route for ${method} ${path}`, type: 'invalid_request_error', code: null } });
  }

  const server = createServer((req, res) => {
    // Clients that abort mid-stream make writes fail; that is expected, not a test-server crash.
    req.on('error', () => {});
    res.on('error', () => {});
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, 500, { error: { message: `test-server handler failed: ${message}`, type: 'server_error', code: null } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    requests,
    fileRequests,
    modelRequests,
    setModels(models) {
      modelList = models;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    setHandler(next) {
      handler = next;
    },
    queue(...replies) {
      script.push(...replies);
    },
    setDelay(ms) {
      delayMs = ms;
    },
    serveFile(path, data) {
      files.set(path.startsWith('/') ? path : `/${path}`, data);
    },
    setBatchBehaviour(behaviour) {
      batchBehaviour = behaviour;
    },
    batches,
    batchLines,
    async close() {
      if (closed) return;
      closed = true;
      for (const wake of [...wakers]) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The fields of a multipart/form-data body (text only: the Batch API uploads JSONL). */
function parseMultipart(body: string, contentType: string): Map<string, { value: string; filename?: string }> {
  const fields = new Map<string, { value: string; filename?: string }>();
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return fields;
  for (const part of body.split(`--${boundary[1] ?? boundary[2]}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) continue;
    const head = part.slice(0, split);
    const name = /name="([^"]*)"/.exec(head)?.[1];
    if (!name) continue;
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    fields.set(name, { value: part.slice(split + 4).replace(/\r\n$/, ''), ...(filename !== undefined ? { filename } : {}) });
  }
  return fields;
}

function record(req: IncomingMessage, path: string): Promise<RecordedRequest> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const done = () => {
      const rawBody = Buffer.concat(parts).toString('utf8');
      const query = new URL(req.url ?? '/', 'http://localhost').search;
      resolve({ method: req.method ?? 'GET', path, query, headers: { ...req.headers }, body: parseJson(rawBody), rawBody });
    };
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', done);
    req.on('error', done);
  });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function defaultErrorBody(status: number): unknown {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message: `test server error ${status}`, type, code: null } };
}

function usageFor(reply: { content: string; usage?: ContentReply['usage'] }, body: any) {
  const prompt = reply.usage?.prompt_tokens ?? Math.ceil(messageChars(body) / 4);
  const completion = reply.usage?.completion_tokens ?? Math.ceil(reply.content.length / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function messageChars(body: any): number {
  const messages: unknown[] = Array.isArray(body?.messages) ? body.messages : [];
  let chars = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown })?.content;
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) {
      for (const part of content) chars += typeof part?.text === 'string' ? part.text.length : 0;
    }
  }
  return chars;
}

/** Every SSE event of a streamed reply, in OpenAI's order, without the final [DONE]. */
function sseEvents(reply: ContentReply | StallReply | DropMidStreamReply, body: any, id: number): object[] {
  const includeUsage = body?.stream_options?.include_usage === true;
  const base = {
    id: `chatcmpl-test-${id}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: typeof body?.model === 'string' ? body.model : MODEL_ID,
    system_fingerprint: null,
  };
  const chunk = (delta: object, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const size = 'chunkSize' in reply && reply.chunkSize ? reply.chunkSize : 20;
  const events: object[] = [chunk({ role: 'assistant', content: '' })];
  if ('reasoning' in reply && reply.reasoning) {
    for (const piece of split(reply.reasoning, size)) events.push(chunk({ reasoning_content: piece }));
  }
  // A request that names one function to call (tools + tool_choice) gets the reply as that call's arguments.
  const tool = Array.isArray(body?.tools) ? body?.tool_choice?.function?.name : undefined;
  for (const [i, piece] of split(reply.content, size).entries()) {
    events.push(
      chunk(
        typeof tool === 'string'
          ? {
              tool_calls: [
                {
                  index: 0,
                  ...(i === 0 ? { id: `call_test_${id}`, type: 'function' } : {}),
                  function: { ...(i === 0 ? { name: tool } : {}), arguments: piece },
                },
              ],
            }
          : { content: piece },
      ),
    );
  }
  events.push(chunk({}, ('finishReason' in reply && reply.finishReason) || (typeof tool === 'string' ? 'tool_calls' : 'stop')));
  if (includeUsage) events.push({ ...base, choices: [], usage: usageFor(reply, body) });
  return events;
}

function completion(reply: ContentReply, body: any, id: number): object {
  return {
    id: `chatcmpl-test-${id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof body?.model === 'string' ? body.model : MODEL_ID,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.content,
          refusal: null,
          ...(reply.reasoning ? { reasoning_content: reply.reasoning } : {}),
        },
        logprobs: null,
        finish_reason: reply.finishReason ?? 'stop',
      },
    ],
    usage: usageFor(reply, body),
  };
}

/** A line of a batch's error file: the Batch API's shape for a request it did not answer. */
function failedLine(index: number, customId: string, error: unknown): string {
  return JSON.stringify({ id: `batch_req_${index}`, custom_id: customId, response: null, error });
}

/** Splits by code point, so an emoji is never cut in half between chunks. */
function split(text: string, size: number): string[] {
  // By index, not Array.from(text): a 10 MB reply would be ten million one-character strings.
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = start;
    for (let n = 0; n < size && end < text.length; n++) end += text.codePointAt(end)! > 0xffff ? 2 : 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function sendFile(req: IncomingMessage, res: ServerResponse, data: Buffer): void {
  const total = data.length;
  const head = req.method === 'HEAD';
  const common = { 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
  const range = parseRange(req.headers.range, total);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'content-range': `bytes */${total}` });
    return void res.end();
  }
  if (!range) {
    res.writeHead(200, { ...common, 'content-length': total });
    return void res.end(head ? undefined : data);
  }
  const { start, end } = range;
  res.writeHead(206, { ...common, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${total}` });
  res.end(head ? undefined : data.subarray(start, end + 1));
}

/**
 * A single `bytes=` range. Anything else (multiple ranges, other units, garbage) is ignored and the
 * whole file is served, which RFC 9110 allows.
 */
function parseRange(header: string | undefined, total: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || total === 0) return 'unsatisfiable';
    return { start: Math.max(0, total - suffix), end: total - 1 };
  }
  const start = Number(first);
  const end = last === '' ? total - 1 : Math.min(Number(last), total - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= total) return 'unsatisfiable';
  return { start, end };
}
