/**
 * The named schemas of the API: every request body, response body and stream message is a zod
 * schema registered here under the name it has in the OpenAPI document (components.schemas).
 */
import { z } from 'zod';

export interface SchemaMeta {
  readonly id: string;
  readonly description?: string;
}

export const apiSchemaRegistry = z.registry<SchemaMeta>();
const byId = new Map<string, z.ZodType>();

/** Registers `schema` as component `id` and returns it. */
export function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  if (byId.has(id)) throw new Error(`schema component ${id} is registered twice`);
  byId.set(id, schema);
  apiSchemaRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

/** The schema registered as component `id`, or undefined. */
export function componentSchema(id: string): z.ZodType | undefined {
  return byId.get(id);
}

/** The component name of a registered schema; an unregistered one is a bug in a route definition. */
export function componentIdOf(schema: z.ZodType): string {
  const meta = apiSchemaRegistry.get(schema);
  if (meta === undefined) throw new Error('schema is not registered in apiSchemaRegistry: wrap it with named()');
  return meta.id;
}

/** Compile-time check that a schema describes exactly an interface of node-view.ts (readonly aside). */
export type DeepWritable<T> = T extends readonly (infer U)[] ? DeepWritable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepWritable<T[K]> } : T;
/** True only when A and B are identical (optional keys included), not merely assignable both ways. */
export type SameShape<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
