import { z } from '@hono/zod-openapi';
import { ErrorBody } from '../../../../contracts';

/** Standard error responses every authenticated route documents. */
export const errorResponses = {
  400: { description: 'Invalid input (VALIDATION_FAILED)', content: { 'application/json': { schema: ErrorBody } } },
  401: { description: 'Not signed in', content: { 'application/json': { schema: ErrorBody } } },
  403: { description: 'Role may not do this', content: { 'application/json': { schema: ErrorBody } } },
  404: { description: 'Not found (or not yours)', content: { 'application/json': { schema: ErrorBody } } },
  409: { description: 'Conflict: the step was handled or changed meanwhile', content: { 'application/json': { schema: ErrorBody } } },
} as const;

export const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const body = <S extends z.ZodType>(schema: S) => ({ required: true, content: { 'application/json': { schema } } });

export const secured = [{ bearer: [] }];

export const Items = <S extends z.ZodType>(schema: S) => z.object({ items: z.array(schema) });
