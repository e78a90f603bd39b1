import * as z from 'zod';
import type { JsonSchemaSpec } from './types.js';

type Json = Record<string, unknown>;

/**
 * Keywords OpenAI's strict mode (and the stricter OpenAI-compatible servers) refuse, or that zod
 * checks after the reply anyway. Length and count limits are among them: a hosted server that
 * rejects one would push every structured call down to json_object. Callers that want a count
 * enforced add it after (the outline's section count).
 */
const HOSTED_DROPPED = new Set(['minLength', 'maxLength', 'minItems', 'maxItems']);
/** What neither a hosted server nor node-llama-cpp's grammar builder takes. */
const ALWAYS_DROPPED = new Set([
  '$schema',
  'default',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minProperties',
  'maxProperties',
]);

/**
 * A reply's zod schema as a JSON Schema fit for Structured Outputs in strict mode: every property
 * required, no additional properties, nothing strict mode rejects. `limits: true` keeps the length
 * and count limits, for the local engine whose grammar enforces every one, so even a tiny model's
 * reply validates first time. The zod schema stays the one description of the reply's shape.
 */
export function strictJsonSchema(schema: z.ZodType, options: { limits?: boolean } = {}): Json {
  // The model writes the input side: a field with a default may be left out by zod, never by strict mode.
  return strictNode(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as Json, options.limits ?? false, '');
}

/** Both variants under one name, as a structured request carries them. */
export function replySchema(name: string, schema: z.ZodType): JsonSchemaSpec & { constrained: Json } {
  // Generated on first use, not at import: the outline, SEO and title schemas are module constants, and a
  // command that sends none of them (or only one) should not pay zod's toJSONSchema for all three at start-up.
  let strict: Json | undefined;
  let constrained: Json | undefined;
  return {
    name,
    get schema() {
      strict ??= strictJsonSchema(schema);
      return strict;
    },
    get constrained() {
      constrained ??= strictJsonSchema(schema, { limits: true });
      return constrained;
    },
  };
}

function strictNode(node: Json, limits: boolean, at: string): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (ALWAYS_DROPPED.has(key) || (!limits && HOSTED_DROPPED.has(key))) continue;
    if (key === 'properties' || key === 'required' || key === 'additionalProperties') continue;
    if (key === 'items') out.items = strictNode(value as Json, limits, `${at}[]`);
    // Strict mode knows anyOf only; zod writes oneOf for some unions.
    else if (key === 'anyOf' || key === 'oneOf') out.anyOf = (value as Json[]).map((v) => strictNode(v, limits, at));
    else if (key === 'allOf' || key === '$ref' || key === 'not')
      throw new Error(`strictJsonSchema: ${at || 'the root'} uses ${key}, which strict mode does not take`);
    else out[key] = value;
  }
  if (node.type === 'object') {
    if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
      throw new Error(`strictJsonSchema: ${at || 'the root'} is a record; strict mode needs every key named`);
    }
    const properties = (node.properties ?? {}) as Record<string, Json>;
    const required = new Set((node.required ?? []) as string[]);
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([name, child]) => {
        const strict = strictNode(child, limits, at ? `${at}.${name}` : name);
        // Strict mode has no optional properties: one zod may leave out (and fills no default for) is sent as nullable.
        return [name, required.has(name) || 'default' in child ? strict : nullable(strict)];
      }),
    );
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  return out;
}

function nullable(node: Json): Json {
  const type = node.type;
  if (Array.isArray(type)) return type.includes('null') ? node : { ...node, type: [...type, 'null'], ...withNullEnum(node) };
  if (typeof type === 'string') return { ...node, type: [type, 'null'], ...withNullEnum(node) };
  const options = node.anyOf as Json[] | undefined;
  if (options?.some((o) => o.type === 'null')) return node;
  return { anyOf: [...(options ?? [node]), { type: 'null' }] };
}

function withNullEnum(node: Json): Json {
  return Array.isArray(node.enum) && !node.enum.includes(null) ? { enum: [...node.enum, null] } : {};
}
