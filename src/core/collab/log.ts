import * as z from 'zod';

/**
 * The collaboration log: an append-only record of who did what. The Collaboration notes are
 * generated from it alone, so everything the notes say must be an event here.
 *
 * Each kind of event has one schema below: it types `log.add(...)` (a misspelt action or detail
 * does not compile), and it reads the events back from a file. To add a kind, add its schema to
 * EVENT_SCHEMAS; notes.ts then needs a describer for it before anything compiles.
 */

const ActorSchema = z.enum(['editor', 'ai', 'tool']);

const LinkSchema = z.object({ title: z.string(), url: z.string() });
const strings = z.array(z.string());

function event<A extends string, D extends z.ZodType>(action: A, details: D) {
  return z
    .object({
      at: z.string(),
      actor: ActorSchema,
      /** The editor's name, or the model id. */
      name: z.string().optional(),
      action: z.literal(action),
      details,
    })
    .strict();
}

// Details are read back leniently (unknown keys are ignored, not refused), so a log written by a
// newer version still gives its notes; what the code writes is held to the exact shape by the types.
const EVENT_SCHEMAS = [
  // draft new
  event(
    'brief',
    z.object({
      topic: z.string(),
      audience: z.string().optional(),
      tone: z.string().optional(),
      words: z.number().optional(),
      sections: z.number().optional(),
    }),
  ),
  event('direction', z.object({ text: z.string() })),
  event('title-input', z.object({ title: z.string(), keep: z.boolean().optional() })),
  event('links-requested', z.object({ links: z.array(LinkSchema) })),
  event('keywords-requested', z.object({ keywords: strings })),
  event('outline-accepted', z.object({ auto: z.boolean().optional() }).optional()),
  event('outline-edited', z.object({ summary: z.string().optional() }).optional()),
  event('outline-regenerated', z.object({ feedback: z.string().optional() }).optional()),
  event('outline-generated', z.object({ title: z.string(), sections: strings })),
  event('outline-count-differs', z.object({ expected: z.number(), got: z.number() })),
  event('title-refined', z.object({ from: z.string(), to: z.string() })),
  event('sections-drafted', z.object({ headings: strings })),
  event(
    'link-repaired',
    z.object({ title: z.string(), url: z.string(), section: z.string().nullable().optional(), method: z.enum(['revised', 'inserted']) }),
  ),
  event('description-trimmed', z.object({ length: z.number() })),
  event(
    'sources-provided',
    z.object({ sources: z.array(z.object({ title: z.string(), url: z.string().optional(), location: z.string() })) }),
  ),
  // TOML has no null: an introduction's `section: null` comes back from TOML front matter as a missing key.
  event(
    'citations-dropped',
    z.object({ parts: z.array(z.object({ section: z.string().nullable().optional(), numbers: z.array(z.number()) })) }),
  ),
  event('figures-resourced', z.object({ sections: z.array(z.string().nullable()) })),
  event('sources-cited', z.object({ sources: z.array(z.object({ title: z.string(), sections: z.array(z.string().nullable()) })) })),
  event('figures-checked', z.object({ total: z.number(), untraced: z.number(), sources: z.number() })),
  event('model-text-cleaned', z.object({ fields: strings, changes: strings.optional() })),
  // a model per stage (config `models`): each model's share of the run, priced at its own rate
  event(
    'models-used',
    z.object({
      models: z.array(
        z.object({
          provider: z.string(),
          model: z.string(),
          stages: strings,
          inputTokens: z.number(),
          outputTokens: z.number(),
          requests: z.number(),
          costUsd: z.number().nullable(),
        }),
      ),
    }),
  ),
  // draft revise
  event('hand-written', z.object({ writer: z.string().optional() }).optional()),
  event(
    'hand-edited',
    z
      .object({
        headings: strings.optional(),
        introduction: z.boolean().optional(),
        added: strings.optional(),
        removed: strings.optional(),
      })
      .optional(),
  ),
  event(
    'revision-requested',
    z
      .object({
        focus: z.string().optional(),
        instruction: z.string().optional(),
        headings: strings.optional(),
        introduction: z.boolean().optional(),
        all: z.boolean().optional(),
      })
      .optional(),
  ),
  event('section-requested', z.object({ heading: z.string(), after: z.string().optional() })),
  event('seo-requested', z.object({ keywords: strings.optional() }).optional()),
  event('titles-requested', z.object({ count: z.number().optional() }).optional()),
  event(
    'title-chosen',
    z.object({
      title: z.string(),
      from: z.string().optional(),
      of: z.number(),
      rank: z.number().optional(),
      renamedTo: z.string().optional(),
    }),
  ),
  event(
    'sections-revised',
    z.object({ headings: strings.optional(), introduction: z.boolean().optional(), focus: z.string().optional() }).optional(),
  ),
  event('section-added', z.object({ heading: z.string() })),
  // draft revise --fix-style: problems are named `rule "text"`
  event('style-fix-requested', z.object({ problems: z.number(), headings: strings, introduction: z.boolean().optional() })),
  event('style-fixed', z.object({ fixed: strings, remaining: strings })),
  event('link-added', z.object({ title: z.string(), url: z.string(), section: z.string().nullable().optional() })),
  event('titles-proposed', z.object({ count: z.number() })),
  event(
    'seo-revised',
    z
      .object({
        description: z.boolean().optional(),
        title: z.string().optional(),
        headings: z.number().optional(),
        introduction: z.boolean().optional(),
      })
      .optional(),
  ),
  // draft chat: the editor's sentence, verbatim, and the steps its checked plan became
  event('editor-said', z.object({ words: z.string(), steps: strings.optional() })),
  // draft publish
  event('published', z.object({ file: z.string(), date: z.string().optional() })),
] as const;

/** One event this version knows, with its typed details. */
export const LogEventSchema = z.discriminatedUnion('action', EVENT_SCHEMAS);
export type LogEvent = z.infer<typeof LogEventSchema>;
export type LogAction = LogEvent['action'];
export type EventOf<K extends LogAction> = Extract<LogEvent, { action: K }>;
export type DetailsOf<K extends LogAction> = EventOf<K>['details'];
export type Actor = z.infer<typeof ActorSchema>;

/**
 * A log entry as stored in `draft_state.log`: any action, so a log from another version (a kind this
 * one does not know) still loads; such entries are kept as they are and left out of the notes.
 */
export const LogEntrySchema = z
  .object({
    at: z.string(),
    actor: ActorSchema,
    name: z.string().optional(),
    action: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type LogEntry = z.infer<typeof LogEntrySchema>;

/** The entries this version knows, validated by their own schemas; the others are skipped. */
export function knownEvents(entries: readonly LogEntry[]): LogEvent[] {
  return entries.flatMap((entry) => {
    const parsed = LogEventSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

// Details may be left out only for the kinds whose details are all optional.
type DetailsArgs<K extends LogAction> = undefined extends DetailsOf<K> ? [details?: NonNullable<DetailsOf<K>>] : [details: DetailsOf<K>];

export class CollaborationLog {
  readonly events: LogEvent[];
  private readonly now: () => Date;

  constructor(events: LogEvent[] = [], now: () => Date = () => new Date()) {
    this.events = [...events];
    this.now = now;
  }

  add<K extends LogAction>(actor: Actor, name: string | undefined, action: K, ...[details]: DetailsArgs<K>): LogEvent {
    // Keys in schema order (at, actor, name, action, details), the order the file shows them in;
    // the details keep the caller's order (the schema would reorder them, and the file shows them).
    const entry: LogEntry = { at: this.now().toISOString(), actor, ...(name ? { name } : {}), action };
    const kept = details ? stripUndefined(details as Record<string, unknown>) : {};
    if (Object.keys(kept).length > 0) entry.details = kept;
    // What is written must read back as the same kind, or its note would silently vanish.
    const checked = LogEventSchema.safeParse(entry);
    if (!checked.success) throw new Error(`log event ${action} does not match its schema: ${checked.error.message}`);
    const event = entry as LogEvent;
    this.events.push(event);
    return event;
  }
}

function stripUndefined(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
}
