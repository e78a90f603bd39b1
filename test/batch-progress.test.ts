import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { liveDisplay } from '../src/ui/batch-display.js';
import type { CommandContext } from '../src/commands/context.js';
import type { ReportEntry } from '../src/core/batch/report.js';
import type { Progress, Ui } from '../src/ui/ui.js';

/** A Ui that records what the live display does with it. */
function recordingContext(tty: boolean): { ctx: CommandContext; log: string[] } {
  const log: string[] = [];
  const identity = (s: string) => s;
  const ui = {
    term: { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, stdinIsTTY: false, stderrIsTTY: tty },
    paint: { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity },
    interactive: false,
    debugEnabled: false,
    animated: tty,
    info: (m: string) => log.push(`info: ${m}`),
    warn: (m: string) => log.push(`warn: ${m}`),
    success: (m: string) => log.push(`success: ${m}`),
    debug: () => {},
    out: (m: string) => log.push(`out: ${m}`),
    json: () => {},
    async progress(text: string): Promise<Progress> {
      log.push(`spinner: ${text}`);
      return {
        update: (t) => log.push(`update: ${t}`),
        succeed: (t) => log.push(`succeed: ${t}`),
        fail: (t) => log.push(`fail: ${t}`),
        stop: () => log.push('stop'),
      };
    },
  } satisfies Ui;
  return { ctx: { ui, cwd: '/', env: {}, signal: new AbortController().signal, debug: false }, log };
}

const entry = (id: string, status: ReportEntry['status'], extra: Partial<ReportEntry> = {}): ReportEntry => ({
  id,
  index: 0,
  source: 'briefs.yaml:1',
  status,
  path: `drafts/${id}.md`,
  requests: 3,
  cachedRequests: 0,
  tokens: { input: 100, output: 50 },
  costUsd: 0.001,
  durationMs: 1200,
  ...extra,
});

describe('batch progress display', () => {
  it('on a terminal keeps one live counts line, and leaves failures on screen above it', async () => {
    const { ctx, log } = recordingContext(true);
    const live = liveDisplay(ctx.ui, 3, 'Drafting 3 briefs');
    live.add(entry('a', 'ok'));
    live.add(entry('b', 'failed', { error: 'server error', costUsd: 0.0005 }));
    live.add(entry('c', 'skipped', { reason: 'exists', requests: 0, costUsd: 0 }));
    await live.stop();
    expect(log).toEqual([
      'info: Drafting 3 briefs',
      'spinner: 0 done · 0 failed · 0 skipped · 3 remaining · $0.0000 spent',
      'update: 1 done · 0 failed · 0 skipped · 2 remaining · $0.0010 spent',
      'fail: failed   b: server error',
      'spinner: 1 done · 1 failed · 0 skipped · 1 remaining · $0.0015 spent',
      'update: 1 done · 1 failed · 1 skipped · 0 remaining · $0.0015 spent',
      'stop',
    ]);
  });

  it('without a terminal prints one plain line per finished draft, and says when spend is unknown', async () => {
    const { ctx, log } = recordingContext(false);
    const live = liveDisplay(ctx.ui, 2, 'Drafting 2 briefs');
    live.add(entry('a', 'ok', { costUsd: null }));
    live.add(entry('b', 'skipped', { reason: 'exists', requests: 0, costUsd: 0 }));
    await live.stop();
    expect(log).toEqual([
      'info: Drafting 2 briefs',
      'info: ok       a → drafts/a.md: 3 requests, unknown (no price for this model), 1.2s',
      'info: skipped  b: drafts/b.md exists (--force to redo it)',
    ]);
  });
});
