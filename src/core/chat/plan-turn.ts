import * as z from 'zod';
import { callForChecked, type UsageMeter } from '../drafting/model-call.js';
import { headingOutline } from '../document/section-names.js';
import { renderTemplate, type Template } from '../templates/template.js';
import { replySchema } from '../provider/strict-schema.js';
import type { ChatProvider } from '../provider/types.js';
import { parseJsonReply } from '../validation.js';
import type { FocusPreset } from '../revise/focus-presets.js';
import { postTitle, type LoadedPost } from '../revise/post.js';
import { oneLine } from '../model-text.js';

const name = z.string().trim().min(1).max(300);
const nullableText = (max: number) => z.string().trim().max(max).nullable();

/** One revise operation as the model proposes it: every field present, null where it does not apply. */
const OperationSchema = z.object({
  op: z.enum(['revise', 'title', 'link', 'seo', 'add-section']),
  sections: z.array(name).max(30),
  focus: nullableText(60),
  instruction: nullableText(2000),
  heading: nullableText(150),
  after: nullableText(300),
  linkTitle: nullableText(300),
  url: nullableText(2000),
  section: nullableText(300),
  keywords: z.array(z.string().trim().min(1).max(100)).max(20),
});

export const PlanReplySchema = z.object({
  question: nullableText(500),
  operations: z.array(OperationSchema).max(8),
});

export type PlannedOperation = z.infer<typeof OperationSchema>;

/** Offered as a function to call where the server takes tools, else as a JSON Schema (see openai-provider.ts). */
export const CHAT_PLAN_JSON_SCHEMA = {
  ...replySchema('chat_plan', PlanReplySchema),
  tool: { description: "Plan the editor's sentence as revise operations, or ask one question back when it is ambiguous." },
};

/** What the model made of one sentence: operations to check and run, or a question for the editor. */
export type ModelPlan = { kind: 'question'; question: string } | { kind: 'operations'; operations: PlannedOperation[] };

/** One earlier exchange in the session, so "yes, that one" or an answer to a question has its context. */
export interface ConversationTurn {
  said: string;
  /** The question asked back, or the plan it became, in one line. */
  outcome: string;
}

/**
 * The editor's sentence to a plan, by one structured call: a function call where the server takes
 * tools, else json_schema, json_object or the schema in the prompt, the local engine's grammar (all through
 * callForChecked). A reply of the wrong shape is retried once with the problem named. Whether the
 * plan's arguments exist in this post is checked afterwards (check-plan.ts), before anything runs.
 */
export async function planTurn(options: {
  post: LoadedPost;
  words: string;
  conversation: readonly ConversationTurn[];
  presets: readonly FocusPreset[];
  keywords: readonly string[];
  template: Template;
  provider: ChatProvider;
  meter: UsageMeter;
  signal?: AbortSignal;
  maxTokens?: number;
}): Promise<ModelPlan> {
  const { post } = options;
  const headings = post.structure.sections.some((s) => s.heading !== null) ? headingOutline(post.structure) : '  (no headings)';
  const lead = post.structure.sections.some((s) => s.heading === null) ? '  introduction (the text before the first heading)\n' : '';
  return callForChecked<ModelPlan>(
    options.provider,
    {
      purpose: 'the plan for the editor’s words',
      render: (validationError) =>
        renderTemplate(options.template, {
          title: postTitle(post),
          headings: lead + headings,
          presets: options.presets.map((p) => `- ${p.name}: ${p.description}`).join('\n') || '(none)',
          keywords: options.keywords.join(', '),
          conversation: options.conversation.map((t) => `- The editor said: ${oneLine(t.said)}\n  → ${oneLine(t.outcome)}`).join('\n'),
          words: options.words,
          validationError,
        }),
      json: CHAT_PLAN_JSON_SCHEMA,
      signal: options.signal,
      maxTokens: options.maxTokens ?? 1200,
      check: (reply) => {
        const parsed = parseJsonReply(reply, PlanReplySchema);
        if ('problem' in parsed) return parsed;
        const { question, operations } = parsed.value;
        if (operations.length === 0) {
          return question ? { value: { kind: 'question', question } } : { problem: 'the reply has neither operations nor a question' };
        }
        return { value: { kind: 'operations', operations } };
      },
      unusable: "the model's plan for the editor's words was unusable twice",
    },
    options.meter,
  );
}
