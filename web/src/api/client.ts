/**
 * The one place the web talks HTTP. Each endpoint is a typed function; responses are parsed with the
 * contracts' zod schemas, so a drift between API and web shows up as BAD_RESPONSE instead of a blank screen.
 * The client knows nothing about the session: the auth store plugs in the token and the 401 reaction.
 */
import { z } from 'zod';
import {
  CreateSupervision,
  ErrorBody,
  Health,
  SupervisionFeedback,
  SupervisionItem,
  SupervisionReview,
  TenantProfile,
  type ErrorCode,
} from '../../../contracts';
import { AppConfig, DemoUsers, Me, SupervisionList, TaskList, TenantList, TokenResponse } from './schemas';

/** Failures the client detects itself, next to the API's own codes. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'HTTP_ERROR';

/** An API call that did not succeed: the API's error body, or what the client saw instead. */
export class ApiError extends Error {
  public override readonly name = 'ApiError';
  public constructor(
    public readonly status: number,
    public readonly code: ErrorCode | ClientErrorCode,
    /** The API's message in both languages; absent for client-side failures (the UI has its own text). */
    public readonly messages?: { zh: string; en: string },
    public readonly requestId?: string,
  ) {
    super(messages ? `${code}: ${messages.en}` : code);
  }
}

interface ClientHooks {
  getToken: () => string | undefined;
  onUnauthorized: () => void;
}
let hooks: ClientHooks = { getToken: () => undefined, onUnauthorized: () => {} };

/** Plug the session into the client (called once by the auth store). */
export function configureClient(next: ClientHooks): void {
  hooks = next;
}

interface RequestOptions<S extends z.ZodType> {
  schema: S;
  body?: unknown;
  /** Send the bearer token and treat 401 as "session over". Public endpoints pass false. */
  auth?: boolean;
  /** Accept a body matching the schema even with an error status (health reports 503 with its body). */
  acceptErrorStatus?: boolean;
}

async function request<S extends z.ZodType>(method: string, path: string, options: RequestOptions<S>): Promise<z.infer<S>> {
  const auth = options.auth ?? true;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const token = auth ? hooks.getToken() : undefined;
  if (token) headers.Authorization = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR');
  }

  const json: unknown = await response.json().catch(() => undefined);
  if (response.ok || options.acceptErrorStatus) {
    const parsed = options.schema.safeParse(json);
    if (parsed.success) return parsed.data;
    if (response.ok) {
      console.error(`${method} ${path}: response does not match the contract`, parsed.error.issues);
      throw new ApiError(response.status, 'BAD_RESPONSE');
    }
  }

  const body = ErrorBody.safeParse(json);
  if (response.status === 401 && auth) hooks.onUnauthorized();
  if (body.success) {
    const { code, message, requestId } = body.data.error;
    throw new ApiError(response.status, code, message, requestId);
  }
  throw new ApiError(response.status, 'HTTP_ERROR');
}

const get = <S extends z.ZodType>(path: string, schema: S, auth = true) => request('GET', path, { schema, auth });
const post = <S extends z.ZodType>(path: string, body: unknown, schema: S, auth = true) => request('POST', path, { schema, body, auth });
const seg = encodeURIComponent;

/**
 * Action endpoints whose success body is not pinned down yet: any JSON (or none) counts as success; the
 * screens reload their list afterwards instead of trusting the body.
 */
const actionResult = z.unknown();

export type CreateSupervisionInput = z.input<typeof CreateSupervision>;
export type FeedbackInput = z.input<typeof SupervisionFeedback>;
export type ReviewInput = z.input<typeof SupervisionReview>;

/** The API, one function per endpoint. */
export const api = {
  config: () => get('/v1/config', AppConfig, false),
  health: () => request('GET', '/healthz', { schema: Health, auth: false, acceptErrorStatus: true }),

  devLogin: (input: { username: string; password: string }) => post('/oidc/login', input, TokenResponse, false),
  demoUsers: () => get('/oidc/demo-users', DemoUsers, false),

  me: () => get('/v1/me', Me),
  tenant: () => get('/v1/tenant', TenantProfile),
  tasks: () => get('/v1/tasks', TaskList),

  supervision: () => get('/v1/supervision', SupervisionList),
  feedback: (id: string, input: FeedbackInput) => post(`/v1/supervision/${seg(id)}/feedback`, input, actionResult),

  province: {
    tenants: () => get('/v1/province/tenants', TenantList),
    tenant: (code: string) => get(`/v1/province/tenants/${seg(code)}`, TenantProfile),
    supervision: (tenant?: string) =>
      get(`/v1/province/supervision${tenant ? `?tenant=${seg(tenant)}` : ''}`, SupervisionList),
    createSupervision: (input: CreateSupervisionInput) => post('/v1/province/supervision', input, SupervisionItem),
    review: (id: string, input: ReviewInput) =>
      post(`/v1/province/supervision/${seg(id)}/review`, input, actionResult),
  },
};
