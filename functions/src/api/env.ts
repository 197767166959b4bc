import type { Logger } from '@aws-lambda-powertools/logger';
import type { Principal } from '../../../contracts';

/** Typed Hono context variables (c.var.principal is set only on authenticated routes). */
export type Env = {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
  };
};
