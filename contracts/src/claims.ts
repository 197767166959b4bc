/**
 * The identity the API works with, taken from a verified token only. Claim names are configurable per issuer
 * (Cognito puts custom attributes under `custom:`), so this is the normalised shape after mapping.
 */
import { z } from 'zod';
import { DivisionCode } from './divisions';
import { Role } from './roles';

export const Principal = z.object({
  subject: z.string().min(1),
  tenant: DivisionCode,
  roles: z.array(Role).min(1),
  department: z.string().optional(),
  name: z.string().optional(),
  kind: z.enum(['staff', 'citizen']),
});
export type Principal = z.infer<typeof Principal>;

/** Claim names used by the development issuer and by default for any OIDC issuer. */
export const DEFAULT_CLAIMS = {
  tenant: 'cityops:tenant',
  roles: 'cityops:roles',
  department: 'cityops:department',
  name: 'name',
} as const;
