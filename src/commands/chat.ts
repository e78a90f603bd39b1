import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { ConcurrencySchema, concurrencyFrom, loadConfigFile, MaxTokensSchema } from '../core/config.js';
import type { ConversationTurn } from '../core/chat/plan-turn.js';
import { addUsage, runTurn, type TurnOutcome, type TurnUsage } from '../core/chat/run-turn.js';
import { DraftError, InterruptedError, RunError, UsageError } from '../core/errors.js';
import { costOf, formatCost } from '../core/pricing.js';
import { requireTemplate } from '../core/templates/load-templates.js';
import { limitConcurrency } from '../core/provider/limited.js';
import { assertRevisable } from '../core/revise/apply-revision.js';
import { unifiedDiff } from '../core/revise/diff-text.js';
import { listFocusPresets } from '../core/revise/focus-presets.js';
import { loadPost, postTitle } from '../core/revise/post.js';
import { loadReviseTemplates } from '../core/revise/revise-templates.js';
import { readFile } from 'node:fs/promises';
import { parseOrThrow, positiveNumber } from '../core/validation.js';
import { asking, confirmApply, pickTitle } from '../ui/questions.js';
import { diffPaint, paintDiff } from '../ui/diff-view.js';
import type { CommandContext } from './context.js';
import { runHistory } from './history.js';
import { openProvider, parseProviderOptions, resolveSettings } from './shared/provider-options.js';
import { runUndo } from './undo.js';

const ChatOptionsSchema = z
  .object({
    say: z.array(z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2000 characters')).default([]),
    pick: z.coerce.number().int('must be a whole number').min(1, 'counts from 1').optional(),
    author: z.string().trim().min(1).max(200).optional(),
    maxCost: positiveNumber('US dollars').optional(),
    yes: z.boolean().default(false),
    dryRun: z.boolean().default(false),
    concurrency: ConcurrencySchema.optional(),
    maxTokens: MaxTokensSchema.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.yes && o.dryRun) ctx.addIssue({ code: 'custom', path: ['dryRun'], message: 'cannot be combined with --yes' });
  });

/** Words the loop answers itself; anything else is a direction for the model to plan. */
const WORDS = new Set(['undo', 'history', 'diff', 'quit', 'exit', 'help']);

/**
 * `draft chat FILE`: the editor directs in plain words, one sentence a turn; each turn is planned,
 * shown, and run as a `draft revise` (diff, confirmation, history). On a terminal it is a `> ` loop;
 * `--say` gives the turns for scripts.
 */
export async function runChat(file: string, rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(ChatOptionsSchema, rawOptions, 'options', 'see `draft chat --help`');
  const providerOptions = parseProviderOptions(rawOptions);
  const scripted = options.say.length > 0;
  const askable = ctx.ui.interactive;
  if (!scripted && !askable) {
    throw new UsageError('stdin is not a terminal, so there is no one to chat with', {
      hint: 'give the turns with --say "..." (repeatable) and --yes or --dry-run',
    });
  }
  if (scripted && !options.yes && !options.dryRun && !askable) {
    throw new UsageError('stdin is not a terminal, so the revisions cannot be shown for approval', {
      hint: 'pass --yes to apply each turn, or --dry-run to see the plans and diffs without writing anything',
    });
  }
  const path = resolve(ctx.cwd, file);
  // Everything that can be refused is refused before the model is called.
  const post = await loadPost(path, file);
  if (!options.dryRun) await assertRevisable(post.path, file);
  const [templates, planTemplate, presets] = await Promise.all([
    loadReviseTemplates(ctx),
    requireTemplate('chat-plan', ctx),
    listFocusPresets(ctx),
  ]);
  const { settings, config } = await resolveSettings(
    providerOptions,
    ctx,
    await loadConfigFile(ctx.cwd, providerOptions.config, dirname(post.path)),
  );
  const cfg = config.config;
  const local = settings.provider === 'local';
  if (
    options.maxCost !== undefined &&
    costOf({ inputTokens: 1, outputTokens: 1 }, settings.model, { local, prices: cfg.prices }) === null
  ) {
    throw new UsageError(`--max-cost: there is no price for the model "${settings.model}", so the session's spend cannot be capped`, {
      hint: 'add its price under `prices` in draft.config.json, or leave out --max-cost',
    });
  }
  const provider = limitConcurrency(await openProvider(settings, ctx), concurrencyFrom(options.concurrency, cfg));
  const author = options.author ?? cfg.author;
  const session = { start: post.text, spent: { inputTokens: 0, outputTokens: 0, requests: 0, costUsd: 0 } as TurnUsage, turns: 0 };
  const conversation: ConversationTurn[] = [];

  const turn = async (words: string): Promise<void> => {
    if (options.maxCost !== undefined && (session.spent.costUsd ?? 0) >= options.maxCost) {
      throw new RunError(
        `--max-cost ${options.maxCost}: the session has spent ${formatCost(session.spent.costUsd, local)}, so no further turn starts`,
        {
          hint: 'raise --max-cost to go on',
          code: 'budget-exceeded',
        },
      );
    }
    const progress = await ctx.ui.progress(`Planning with ${settings.model}`);
    let outcome: TurnOutcome;
    try {
      outcome = await runTurn({
        path,
        label: file,
        words,
        conversation,
        provider,
        templates,
        planTemplate,
        presets,
        author,
        dryRun: options.dryRun,
        signal: ctx.signal,
        maxTokens: options.maxTokens ?? cfg.maxTokens,
        prices: cfg.prices,
        remainingUsd: options.maxCost === undefined ? undefined : options.maxCost - (session.spent.costUsd ?? 0),
        onPlan: (steps, request) => {
          progress.stop();
          ctx.ui.out(`  plan: ${steps.join('; ')}`);
          if (request.title && options.pick === undefined && !askable && !options.dryRun) {
            throw new UsageError('this turn proposes titles, and stdin is not a terminal to pick one on', {
              hint: 'pass --pick N (the model lists its best first)',
            });
          }
        },
        onPhase: (phase) => ctx.ui.info(`  ${phase}`),
        chooseTitle: async (titles) => {
          ctx.ui.out(['  titles:', ...titles.map((t, i) => `    ${i + 1}. ${t.title}`)].join('\n'));
          if (options.pick !== undefined) {
            if (options.pick > titles.length)
              throw new RunError(`--pick ${options.pick}: the model proposed only ${titles.length} titles`, {
                hint: 'pick a lower number',
              });
            return options.pick - 1;
          }
          if (options.dryRun && !askable) return undefined;
          return pickTitle(ctx.ui, postTitle(await loadPost(path, file)), titles, ctx.signal);
        },
        confirm: async (_proposal, diff) => {
          ctx.ui.out(paintDiff(diff || '(only the front matter changes)\n', diffPaint(ctx.ui)));
          return options.yes || confirmApply(`Apply this turn to ${file}?`, ctx.signal);
        },
      });
    } catch (error) {
      progress.stop();
      throw error;
    }
    progress.stop();
    session.turns++;
    session.spent = addUsage(session.spent, outcome.usage);
    conversation.push({
      said: words,
      outcome: outcome.kind === 'question' ? `you asked: ${outcome.question}` : `${outcome.kind}: ${outcome.steps.join('; ')}`,
    });
    report(ctx, file, outcome);
    ctx.ui.info(`  tokens    ${usageLine(outcome.usage, local)} (session: ${formatCost(session.spent.costUsd, local)})`);
  };

  const say = async (line: string): Promise<'quit' | undefined> => {
    const word = line.trim().toLowerCase();
    if (!WORDS.has(word)) {
      await turn(line.trim());
      return;
    }
    if (word === 'quit' || word === 'exit') return 'quit';
    if (word === 'help') ctx.ui.out('Say what to change in plain words, or: undo, history, diff, quit.');
    if (word === 'history') await runHistory(file, {}, ctx);
    if (word === 'undo') await runUndo(file, options.dryRun ? { dryRun: true } : {}, ctx);
    if (word === 'diff') {
      const now = await readFile(path, 'utf8').catch(() => '');
      const diff = unifiedDiff(`a/${file}`, `b/${file}`, session.start, now);
      ctx.ui.out(diff ? paintDiff(diff, diffPaint(ctx.ui)) : 'No changes in this session.');
    }
  };

  try {
    if (scripted) {
      for (const line of options.say) {
        ctx.ui.out(`> ${line}`);
        if ((await say(line)) === 'quit') break;
      }
    } else {
      ctx.ui.info(`Chatting about ${file}. Say what to change; undo, history, diff and quit are understood.`);
      for (;;) {
        const line = await ask(ctx);
        try {
          if ((await say(line)) === 'quit') break;
        } catch (error) {
          // A refused plan or a failed turn leaves the file as it was; the editor can say it another way.
          if (error instanceof InterruptedError || !(error instanceof DraftError) || error.code === 'budget-exceeded') throw error;
          ctx.ui.warn(`${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}`);
        }
      }
    }
  } finally {
    await provider.close?.();
  }
  if (session.turns > 0) ctx.ui.info(`Session: ${session.turns} turn${session.turns === 1 ? '' : 's'}, ${usageLine(session.spent, local)}`);
}

async function ask(ctx: CommandContext): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  return asking(() => input({ message: '>', theme: { prefix: '' } }, { signal: ctx.signal }));
}

function report(ctx: CommandContext, file: string, outcome: TurnOutcome): void {
  switch (outcome.kind) {
    case 'question':
      ctx.ui.out(`  question: ${outcome.question}`);
      ctx.ui.info('  nothing was revised; answer in your next sentence');
      return;
    case 'unchanged':
      ctx.ui.info(`  nothing to change in ${file}; nothing written`);
      return;
    case 'dry-run':
      ctx.ui.out(paintDiff(outcome.diff || '(only the front matter changes)\n', diffPaint(ctx.ui)));
      ctx.ui.info('  dry run: nothing written');
      return;
    case 'declined':
      ctx.ui.info('  not applied; nothing written');
      return;
    case 'applied':
      ctx.ui.success(`Revised ${file}: ${outcome.proposal.summary.join('; ')}`);
      ctx.ui.info(`  history   #${outcome.applied.entry.id} keeps the previous version (say \`undo\`, or \`draft undo ${file}\`)`);
  }
}

function usageLine(usage: TurnUsage, local: boolean): string {
  return (
    `${usage.inputTokens} in / ${usage.outputTokens} out in ${usage.requests} request${usage.requests === 1 ? '' : 's'}, ` +
    `cost ${formatCost(usage.costUsd, local)}`
  );
}
