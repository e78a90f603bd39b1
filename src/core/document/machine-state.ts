import * as z from 'zod';
import { LogEntrySchema } from '../collab/log.js';

/**
 * The tool's own state lives under one front-matter key so a site's front matter stays clean.
 * It never holds a secret: provider and model names only.
 */
// Not `draft`: Hugo, Jekyll and Eleventy already use `draft: true` for publication status.
export const STATE_KEY = 'draft_state';

// TOML has no null, so a lead section's `heading: null` and an unknown `costUsd: null` come back
// from TOML front matter as missing keys: read missing as null.
export const SectionHashSchema = z.object({ heading: z.string().nullable().default(null), hash: z.string() }).strict();

export const MachineStateSchema = z
  .object({
    version: z.literal(1),
    provider: z.string().optional(),
    model: z.string().optional(),
    brief: z.record(z.string(), z.unknown()).optional(),
    usage: z
      .object({
        inputTokens: z.number().int().nonnegative(),
        outputTokens: z.number().int().nonnegative(),
        requests: z.number().int().nonnegative(),
        /** null when the model's price is unknown; 0 for a local model. */
        costUsd: z.number().nonnegative().nullable().default(null),
      })
      .strict()
      .optional(),
    /** Hash of each section as the tool last wrote it, to tell hand edits from AI text. */
    sections: z.array(SectionHashSchema).default([]),
    /** The sources a draft was grounded in; their snapshots are `.draft/sources/<sha256>.txt` at the project root. */
    sources: z
      .array(
        z
          .object({
            number: z.number().int(),
            title: z.string(),
            location: z.string(),
            url: z.string().optional(),
            sha256: z.string(),
            fetchedAt: z.string(),
          })
          .strict(),
      )
      .optional(),
    log: z.array(LogEntrySchema).default([]),
  })
  .passthrough();

export type MachineState = z.infer<typeof MachineStateSchema>;

/**
 * The post's state: its front matter's, else its sidecar's (`sidecar`, as read by state-store.ts),
 * or undefined for a post the tool has never touched.
 */
export function readMachineState(data: Record<string, unknown>, sidecar?: unknown): MachineState | undefined {
  const raw = storedStateValue(data, sidecar);
  if (raw === undefined) return undefined;
  const parsed = MachineStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** The state exactly as stored (front matter first: it wins over a sidecar), for writing back in key order. */
export function storedStateValue(data: Record<string, unknown>, sidecar?: unknown): unknown {
  return data[STATE_KEY] ?? sidecar;
}
