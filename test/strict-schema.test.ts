/**
 * Structured replies are described once, in zod; the JSON Schema sent to the server is generated
 * from it (strict mode) and the local grammar gets the same shape with zod's limits kept.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runNew } from '../src/commands/new.js';
import { runRevise } from '../src/commands/revise.js';
import { OUTLINE_JSON_SCHEMA, outlineSchemaFor } from '../src/core/drafting/outline.js';
import { strictJsonSchema } from '../src/core/provider/strict-schema.js';
import { SEO_JSON_SCHEMA } from '../src/core/revise/seo.js';
import { TITLES_JSON_SCHEMA } from '../src/core/revise/title-proposals.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const str = { type: 'string' };
const strictObject = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

/** The shapes that used to be written out by hand beside each zod schema. */
const OUTLINE_SHAPE = strictObject({
  title: str,
  description: str,
  tags: { type: 'array', items: str },
  intro: str,
  sections: { type: 'array', items: strictObject({ heading: str, points: str, links: { type: 'array', items: str } }) },
});
const SEO_SHAPE = strictObject({
  description: str,
  title: str,
  introduction: str,
  headings: { type: 'array', items: strictObject({ from: str, to: str }) },
});
const TITLES_SHAPE = strictObject({ titles: { type: 'array', items: strictObject({ title: str, rationale: str }) } });

const { server, tempDir } = useServerAndTempDir('draft-strict-schema-');
const env = () => ({ OPENAI_API_KEY: 'sk-test-strict-schema-0123456789', DRAFT_CACHE_DIR: join(tempDir(), 'cache') });
const schemasSent = () =>
  server()
    .requests.filter((r) => r.body.response_format)
    .map((r) => r.body.response_format.json_schema);

describe('strictJsonSchema', () => {
  it('makes every property required, forbids others, and drops what strict mode rejects', () => {
    const schema = strictJsonSchema(
      z.object({
        name: z.string().trim().min(1).max(20),
        site: z.url(),
        tags: z.array(z.string()).min(1).default([]),
        n: z.number().int().min(0),
      }),
    );
    expect(schema).toEqual(strictObject({ name: str, site: str, tags: { type: 'array', items: str }, n: { type: 'integer' } }));
  });

  it('sends a field zod may leave out (with no default) as nullable, since strict mode has no optional fields', () => {
    const schema = strictJsonSchema(z.object({ a: z.string().optional(), b: z.enum(['x', 'y']).optional(), c: z.string().nullish() }));
    expect(schema).toEqual(
      strictObject({
        a: { type: ['string', 'null'] },
        b: { type: ['string', 'null'], enum: ['x', 'y', null] },
        c: { type: ['string', 'null'] },
      }),
    );
  });

  it('keeps length and count limits only when asked (the local grammar)', () => {
    const Reply = z.object({ t: z.string().min(1).max(9), list: z.array(z.string()).min(2).max(3) });
    expect(strictJsonSchema(Reply, { limits: true })).toEqual(
      strictObject({ t: { type: 'string', minLength: 1, maxLength: 9 }, list: { type: 'array', items: str, minItems: 2, maxItems: 3 } }),
    );
  });

  it('refuses a shape strict mode cannot express (a record) instead of sending it', () => {
    expect(() => strictJsonSchema(z.object({ m: z.record(z.string(), z.string()) }))).toThrow(/m is a record/);
  });

  it('generates the outline, SEO and title schemas in the shape they had when written by hand', () => {
    expect(OUTLINE_JSON_SCHEMA.schema).toEqual(OUTLINE_SHAPE);
    expect(SEO_JSON_SCHEMA.schema).toEqual(SEO_SHAPE);
    expect(TITLES_JSON_SCHEMA.schema).toEqual(TITLES_SHAPE);
  });

  it("gives the local grammar the outline's limits and the section count", () => {
    const spec = outlineSchemaFor({ topic: 't', keywords: [], links: [], sections: 3 } as never);
    const c = spec.constrained as any;
    expect(c.properties.title).toEqual({ type: 'string', minLength: 1, maxLength: 200 });
    expect(c.properties.description).toEqual({ type: 'string', minLength: 1, maxLength: 160 });
    expect(c.properties.tags).toEqual({ type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 6 });
    expect(c.properties.sections).toMatchObject({ minItems: 3, maxItems: 3 });
    expect(c.properties.sections.items.properties.heading).toEqual({ type: 'string', minLength: 1, maxLength: 150 });
    const loose = outlineSchemaFor({ topic: 't', keywords: [], links: [] } as never).constrained as any;
    expect(loose.properties.sections).toMatchObject({ minItems: 1, maxItems: 12 });
  });

  it('bounds the SEO reply for the local grammar, except the introduction that replaces a whole lead', () => {
    const c = SEO_JSON_SCHEMA.constrained as any;
    expect(c.properties.description).toEqual({ type: 'string', minLength: 1, maxLength: 160 });
    expect(c.properties.title.maxLength).toBe(200);
    expect(c.properties.headings.maxItems).toBe(12);
    expect(c.properties.headings.items.properties.to.maxLength).toBe(150);
    expect(c.properties.introduction).toEqual({ type: 'string' });
    // The hosted variant carries no limits at all.
    expect(JSON.stringify(SEO_JSON_SCHEMA.schema)).not.toMatch(/maxLength|maxItems/);
  });
});

describe('the schema sent is the generated one', () => {
  it('draft new: the outline request carries the generated schema with the section count', async () => {
    await runCommand((ctx) => runNew({ yes: true, topic: 'Chip markets', sections: '3', baseUrl: server().url, retries: '0' }, ctx), {
      cwd: tempDir(),
      env: env(),
    });
    const [sent] = schemasSent();
    expect(sent).toMatchObject({ name: 'post_outline', strict: true });
    const sections = (OUTLINE_SHAPE.properties as any).sections;
    expect(sent.schema).toEqual({
      ...OUTLINE_SHAPE,
      properties: { ...OUTLINE_SHAPE.properties, sections: { ...sections, minItems: 3, maxItems: 3 } },
    });
  });

  it('draft revise --seo and --title send the generated SEO and title schemas', async () => {
    await writeFile(join(tempDir(), 'post.md'), '---\ntitle: Chips\n---\n\nIntro.\n\n## Market\n\nText.\n');
    for (const flags of [
      { seo: true, keyword: ['chips'] },
      { title: true, pick: '1' },
    ]) {
      await runCommand((ctx) => runRevise('post.md', { yes: true, baseUrl: server().url, retries: '0', ...flags }, ctx), {
        cwd: tempDir(),
        env: env(),
      });
    }
    expect(schemasSent().map((s) => [s.name, s.schema])).toEqual([
      ['seo_revision', SEO_SHAPE],
      ['title_proposals', TITLES_SHAPE],
    ]);
  });
});
