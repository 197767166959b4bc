/**
 * The request wrappers the module clients (patrol, risks) share: a typed GET and POST through the client's one
 * request function (token, error body, response parsed with the contract), a `{ items: [...] }` list schema and
 * the path-segment encoder. Kept apart from client.ts so a module client is a table of endpoints and nothing else.
 */
import { z } from 'zod';
import { request } from './client';

/** One path segment, encoded (ids may hold characters a path cannot). */
export const seg = encodeURIComponent;

/** The schema of a list answer: `{ items: [...] }`. */
export const items = <S extends z.ZodType>(schema: S) => z.object({ items: z.array(schema) });

/** A GET whose answer is parsed with `schema`. */
export const get = <S extends z.ZodType>(path: string, schema: S) => request('GET', path, { schema });

/** A POST of `body` whose answer is parsed with `schema`. */
export const post = <S extends z.ZodType>(path: string, body: unknown, schema: S) => request('POST', path, { schema, body });
