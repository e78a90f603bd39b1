import { Option, type Command } from 'commander';
import type { CommandContext } from '../commands/context.js';
import * as defaults from '../core/defaults.js';

export interface GlobalOptions {
  debug?: boolean;
  yes?: boolean;
}

/** Builds the context a command runs in, once its options are known (e.g. --yes turns off questions). */
export type ContextFactory = (options: GlobalOptions) => Promise<CommandContext>;

export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Flags shared by every command that talks to a model. */
export function providerOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--provider <name>',
        'a preset (`draft providers` lists them: openai, azure, anthropic, gemini, groq, ...), custom or local',
      ),
    )
    .option('--base-url <url>', 'any OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1)')
    .option('--model <name>', 'model name (default: the provider preset’s, or $DRAFT_MODEL)')
    .option('--api-key-env <NAME>', 'read the API key from this environment variable')
    .option('--model-path <file>', 'a GGUF model file for --provider local')
    .option('--deployment <name>', 'Azure OpenAI deployment for --provider azure (default: --model)')
    .option('--api-version <version>', `Azure OpenAI api-version (default: $OPENAI_API_VERSION or ${defaults.DEFAULT_AZURE_API_VERSION})`)
    .option(
      '--timeout <seconds>',
      `idle timeout per request: no reply or streamed token for this long, then retry (default ${defaults.DEFAULT_TIMEOUT_SECONDS}, ` +
        `at most ${defaults.MAX_TIMEOUT_SECONDS})`,
    )
    .option('--retries <n>', `retries after a failed request (default ${defaults.DEFAULT_RETRIES})`)
    .option('--config <file>', 'config file (default: ./draft.config.json)');
}
