/**
 * The models an OpenAI-compatible server offers, from GET <base URL>/models, for
 * `draft models list --provider NAME`. Plain fetch rather than the SDK: one GET needs no retries,
 * streaming or fallbacks, and failures are worded by the same error table as chat requests.
 */
import { InterruptedError, RunError, UsageError } from '../errors.js';
import { classifyFailure, socketCode, type FailureContext, type FailureFacts } from './error-table.js';
import { redactSecrets, splitBaseUrl } from './redact.js';
import type { ProviderSettings } from './types.js';

export interface RemoteModel {
  id: string;
  ownedBy?: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
/** The Models API version Anthropic's documentation sends with x-api-key. */
const ANTHROPIC_VERSION = '2023-06-01';

export async function listRemoteModels(settings: ProviderSettings, signal?: AbortSignal): Promise<RemoteModel[]> {
  if (settings.azure) throw azureHasNoModelList();
  const target = splitBaseUrl(settings.baseURL);
  const context: FailureContext = {
    baseURL: target.url,
    model: settings.model,
    apiKeyEnv: settings.apiKeyEnv,
    hasApiKey: Boolean(settings.apiKey) || target.secrets.length > 0,
    timeoutMs: settings.timeoutMs,
    secrets: [settings.apiKey, ...target.secrets],
  };
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.authorization) headers.authorization = target.authorization;
  if (settings.apiKey && settings.quirks?.modelsAuth === 'x-api-key') {
    headers['x-api-key'] = settings.apiKey;
    headers['anthropic-version'] = ANTHROPIC_VERSION;
  } else if (settings.apiKey) {
    headers.authorization = `Bearer ${settings.apiKey}`;
  }

  const url = `${target.url.replace(/\/+$/, '')}/models`;
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    if (signal?.aborted) throw new InterruptedError();
    if (timeout.aborted) throw classifyFailure({ transport: 'timeout', detail: '' }, context);
    const code = socketCode(error);
    throw classifyFailure(
      { transport: code && DNS_CODES.has(code) ? 'dns' : 'connection', code, detail: code ? '' : String(error) },
      context,
    );
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    if (response.status === 404) {
      throw new RunError(`${target.url} has no model list (404 for GET ${redactSecrets(url, context.secrets)})`, {
        hint: 'the server may not offer /models; check --base-url, which usually ends in /v1',
      });
    }
    const facts: FailureFacts = { status: response.status, detail: errorDetail(text) };
    throw classifyFailure(facts, context);
  }
  const models = parseModelList(text);
  if (!models) {
    throw new RunError(`${target.url} sent a reply to GET /models that is not an OpenAI-compatible model list`, {
      hint: '--base-url must point at an OpenAI-compatible API, usually ending in /v1',
    });
  }
  return models.sort((a, b) => a.id.localeCompare(b.id));
}

export function azureHasNoModelList(): UsageError {
  return new UsageError('--provider azure: an Azure OpenAI resource lists its deployments in Azure, not through /models', {
    hint:
      'see the deployments in the Azure AI Foundry portal, or run `az cognitiveservices account deployment list`; ' +
      'pass the name as --deployment',
  });
}

/** `{data: [{id, owned_by}]}`; anything else is not a model list. Ids are the server's data, kept as text. */
function parseModelList(text: string): RemoteModel[] | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data)) return undefined;
  return data
    .filter((m): m is { id: string; owned_by?: unknown } => typeof m?.id === 'string' && m.id !== '')
    .map((m) => ({ id: m.id, ...(typeof m.owned_by === 'string' && m.owned_by ? { ownedBy: m.owned_by } : {}) }));
}

function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'string') return body.error;
    if (typeof body.error?.message === 'string') return body.error.message;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: the first line of whatever it is
  }
  return text.split('\n')[0]!.slice(0, 300);
}
