import { z } from 'zod';

export const PartHealth = z.object({ ok: z.boolean(), detail: z.string().optional() });
export const Health = z.object({
  ok: z.boolean(),
  version: z.string(),
  runtime: z.enum(['local', 'aws']),
  parts: z.record(z.string(), PartHealth),
});
export type Health = z.infer<typeof Health>;
