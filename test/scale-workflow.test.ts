/**
 * Issue 14: the example GitHub Actions workflow parses, its matrix covers every shard, and every
 * `npx draft …` it runs names a command and flags the CLI has.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../src/cli.js';

const WORKFLOW = new URL('../examples/github-actions/draft-fleet.yml', import.meta.url);

function draftCommands(workflow: any): string[] {
  const runs: string[] = Object.values(workflow.jobs).flatMap((job: any) =>
    job.steps.flatMap((s: any) => (s.run ? [s.run as string] : [])),
  );
  return runs.flatMap((run) => run.split('\n')).filter((line) => line.trim().startsWith('npx draft '));
}

/** The command a line runs and the flags it passes, checked against the CLI's own definitions. */
function problemsOf(line: string, program: Command): string[] {
  const words = line.trim().split(/\s+/).slice(2);
  let command = program;
  const path: string[] = [];
  while (words.length && command.commands.some((c) => c.name() === words[0])) {
    command = command.commands.find((c) => c.name() === words[0])!;
    path.push(words.shift()!);
  }
  if (path.length === 0) return [`${line}: no draft command`];
  const known = new Set(command.options.flatMap((o) => [o.long, o.short].filter(Boolean)));
  return words
    .filter((w) => w.startsWith('-'))
    .filter((w) => !known.has(w.split('=')[0]!))
    .map((w) => `${line}: draft ${path.join(' ')} has no ${w}`);
}

describe('examples/github-actions/draft-fleet.yml', () => {
  it('parses, runs one job per shard, and its draft commands exist with the flags it passes', async () => {
    const workflow = parse(await readFile(WORKFLOW, 'utf8'));
    const shards = Number(workflow.env.SHARDS);
    expect(workflow.jobs.draft.strategy.matrix.shard).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
    expect(workflow.jobs.merge.needs).toBe('draft');
    const lines = draftCommands(workflow);
    expect(lines.map((l) => l.trim().split(/\s+/).slice(2, 4).join(' '))).toEqual(['batch "$MANIFEST"', 'batch report', 'check drafts/']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, as the workflow file has it
    expect(lines[0]).toContain('--shard ${{ matrix.shard }}/$SHARDS');
    const program = buildProgram(async () => {
      throw new Error('not run');
    });
    expect(lines.flatMap((line) => problemsOf(line, program))).toEqual([]);
    // Each shard uploads its drafts and report; the merge job downloads them all.
    const upload = workflow.jobs.draft.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, as the workflow file has it
    expect(upload.with.path).toContain('report-${{ matrix.shard }}.json');
    expect(workflow.jobs.merge.steps.some((s: any) => String(s.uses).startsWith('actions/download-artifact'))).toBe(true);
    expect(workflow.jobs.merge.steps.some((s: any) => String(s.uses).startsWith('peter-evans/create-pull-request'))).toBe(true);
  });

  it('would catch a flag the CLI does not have', () => {
    const program = buildProgram(async () => {
      throw new Error('not run');
    });
    expect(problemsOf('npx draft batch briefs.yaml --shards 1/4', program)).toEqual([
      'npx draft batch briefs.yaml --shards 1/4: draft batch has no --shards',
    ]);
  });
});
