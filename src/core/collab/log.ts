import { z } from 'zod';

/**
 * The collaboration log: an append-only record of who did what. The Collaboration notes are
 * generated from it alone, so everything the notes say must be an event here.
 */
export const LogEventSchema = z
  .object({
    at: z.string(),
    actor: z.enum(['editor', 'ai', 'tool']),
    /** The editor's name, or the model id. */
    name: z.string().optional(),
    action: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type LogEvent = z.infer<typeof LogEventSchema>;

export type Actor = LogEvent['actor'];

export class CollaborationLog {
  readonly events: LogEvent[];
  private readonly now: () => Date;

  constructor(events: LogEvent[] = [], now: () => Date = () => new Date()) {
    this.events = [...events];
    this.now = now;
  }

  add(actor: Actor, name: string | undefined, action: string, details?: Record<string, unknown>): LogEvent {
    // Keys in schema order (at, actor, name, action, details), the order the file shows them in.
    const event: LogEvent = { at: this.now().toISOString(), actor, ...(name ? { name } : {}), action };
    if (details && Object.keys(details).length > 0) event.details = stripUndefined(details);
    this.events.push(event);
    return event;
  }
}

function stripUndefined(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
}
