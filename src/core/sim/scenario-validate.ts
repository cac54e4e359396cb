/**
 * The one way into a `Scenario` (ADR 0004, "validate at the edge, once"): the zod schema first, then
 * the cross-reference and consistency checks of scenario-checks.ts. Every problem becomes one detail
 * line `path: what was expected (got …)`, and all of them are reported together (up to
 * MAX_SCENARIO_DETAILS), so a user fixes a file in one pass.
 *
 * The checks only run when the schema accepts the input: they need typed, defaulted values, and a
 * file with type errors rarely yields useful reference errors anyway.
 */
import type { z } from 'zod';
import { ScenarioError } from '../errors.js';
import { checkScenario } from './scenario-checks.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export { assetIdOf } from './scenario-checks.js';

export const MAX_SCENARIO_DETAILS = 50;

/** Parses and validates a scenario (an object, e.g. from YAML or JSON); throws ScenarioError. */
export function parseScenario(input: unknown): Scenario {
  const result = scenarioSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw invalidScenario(formatZodIssues(result.error.issues));
  const problems = checkScenario(result.data);
  if (problems.length > 0) throw invalidScenario(problems);
  return result.data;
}

function invalidScenario(details: readonly string[]): ScenarioError {
  return new ScenarioError('invalid scenario', { details: capDetails(details, MAX_SCENARIO_DETAILS) });
}

/** Keeps the first `max` details and adds a line counting the rest. */
export function capDetails(details: readonly string[], max: number): string[] {
  if (details.length <= max) return [...details];
  return [...details.slice(0, max), `… and ${details.length - max} more`];
}

type Issue = z.core.$ZodIssue;

/** One `path: expected (got …)` line per zod issue (one per key for unknown keys). */
export function formatZodIssues(issues: readonly Issue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: no such key (unknown keys are rejected; check the spelling)`);
    }
    return [`${formatPath(issue.path)}: ${describeIssue(issue)}`];
  });
}

/** `sites[3].assets[0].kwp`; the whole document is `(scenario)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === '' ? '(scenario)' : text;
}

function describeIssue(issue: Issue): string {
  const got = gotOf(issue);
  switch (issue.code) {
    case 'invalid_type':
      return got === undefined ? `${withArticle(issue.expected)} (missing)` : `${withArticle(issue.expected)} (got ${got})`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (got ${got ?? 'nothing'})`;
    case 'invalid_union':
      return describeUnion(issue);
    case 'too_small':
      return `${bound(issue.origin, issue.inclusive ? 'at least' : 'more than', issue.minimum)} (got ${sizeOf(issue.origin, issue.input) ?? got})`;
    case 'too_big':
      return `${bound(issue.origin, issue.inclusive ? 'at most' : 'less than', issue.maximum)} (got ${sizeOf(issue.origin, issue.input) ?? got})`;
    case 'invalid_format':
      if (issue.format === 'datetime') {
        return `an ISO 8601 date-time with a UTC offset, e.g. "2026-06-15T00:00:00+02:00" (got ${got})`;
      }
      return `${issue.message} (got ${got})`;
    default:
      return got === undefined ? issue.message : `${issue.message} (got ${got})`;
  }
}

function describeUnion(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const extra = issue as { discriminator?: string; options?: unknown[] };
  if (extra.discriminator !== undefined && Array.isArray(extra.options)) {
    const input = issue.input as Record<string, unknown> | undefined;
    const value = input !== null && typeof input === 'object' ? input[extra.discriminator] : undefined;
    const got = value === undefined ? 'nothing' : describeValue(value);
    return `one of ${extra.options.map((o) => JSON.stringify(o)).join(', ')} (got ${got})`;
  }
  const got = gotOf(issue);
  return got === undefined ? issue.message : `${issue.message} (got ${got})`;
}

function bound(origin: string, relation: string, limit: number | bigint): string {
  if (origin === 'array' || origin === 'set') return `${relation} ${limit} item${limit === 1 ? '' : 's'}`;
  if (origin === 'string') return `${relation} ${limit} character${limit === 1 ? '' : 's'}`;
  return `a number ${relation} ${limit}`;
}

function sizeOf(origin: string, input: unknown): string | undefined {
  if (origin === 'array' && Array.isArray(input)) return `${input.length} item${input.length === 1 ? '' : 's'}`;
  if (origin === 'string' && typeof input === 'string') return `${input.length} characters`;
  return undefined;
}

function gotOf(issue: Issue): string | undefined {
  return issue.input === undefined ? undefined : describeValue(issue.input);
}

function withArticle(expected: string): string {
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** A short rendering of a received value: primitives as JSON, containers by kind and size. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
