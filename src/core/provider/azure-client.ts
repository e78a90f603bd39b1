/**
 * The SDK client for Azure OpenAI. Only the client differs from any other OpenAI-compatible server:
 * the request goes to `<endpoint>/openai/deployments/<deployment>/chat/completions?api-version=…` with
 * an `api-key` header, and everything after (streaming, retries, fallbacks, errors) is the one
 * OpenAIProvider's.
 */
import type OpenAI from 'openai';
import { httpFetch } from './http-fetch.js';
import type { AzureSettings, ProviderSettings } from './types.js';

export function createAzureClient(sdk: typeof import('openai'), settings: ProviderSettings, azure: AzureSettings): OpenAI {
  return new sdk.AzureOpenAI({
    // baseURL, not endpoint: with `endpoint` the SDK would also read OPENAI_BASE_URL and refuse both.
    baseURL: `${azure.endpoint.replace(/\/+$/, '')}/openai`,
    deployment: azure.deployment,
    apiVersion: azure.apiVersion,
    apiKey: settings.apiKey,
    // Explicit nulls: otherwise the SDK reads OPENAI_ADMIN_KEY / OPENAI_ORG_ID / OPENAI_PROJECT_ID and
    // sends them to the Azure endpoint.
    adminAPIKey: null,
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: settings.timeoutMs,
    logLevel: 'off',
    fetch: httpFetch,
  });
}
