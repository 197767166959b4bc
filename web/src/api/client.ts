/**
 * The one place the web talks HTTP. Each endpoint is a typed function; responses are parsed with the
 * contracts' zod schemas, so a drift between API and web shows up as BAD_RESPONSE instead of a blank screen.
 * The client knows nothing about the session: the auth store plugs in the token and the 401 reaction.
 */
import { z } from 'zod';
import {
  AcknowledgeAlarm,
  AlarmView,
  Case,
  CheckCase,
  DeviceCredentialsView,
  DeviceDetail,
  DeviceLiveEvent,
  DisposeAlarm,
  ImportDevices,
  ImportDevicesResult,
  LiveChannel,
  RegisteredDevice,
  RegisterDevice,
  CreateSupervision,
  DecideRequest,
  DispatchCase,
  ErrorBody,
  FileCase,
  HandleCase,
  Health,
  MergeCase,
  Photo,
  ReportCase,
  ResumeCase,
  SupervisionFeedback,
  SupervisionItem,
  SupervisionReview,
  TenantProfile,
  VerifyCase,
  type AlarmLevel,
  type AlarmStatus,
  type CaseStatus,
  type DeviceDomain,
  type DeviceKind,
  type ErrorCode,
  type GeoPoint,
} from '../../../contracts';
import { createSseParser } from '../lib/sse';
import { openLiveChannel } from './live-channel';
import {
  AlarmList,
  AppConfig,
  Board,
  CaseDetail,
  CaseList,
  ComponentCollection,
  DeadLetterList,
  DecommissionedDevice,
  DemoUsers,
  DeviceList,
  EvaluationReport,
  GeocodeList,
  GridCollection,
  Me,
  NotificationList,
  ReverseGeocode,
  SupervisionList,
  TaskList,
  TenantList,
  TokenResponse,
  type EvaluationGroup,
} from './schemas';

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
    /** Which fields failed and why (VALIDATION_FAILED, PHOTO_INVALID …), as the API wrote them. */
    public readonly details?: readonly { path: string; message: string }[],
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
  /** A body sent as is (a photo), with its content type, instead of JSON. */
  raw?: { data: Blob; contentType: string };
  /** Send the bearer token and treat 401 as "session over". Public endpoints pass false. */
  auth?: boolean;
  /** Accept a body matching the schema even with an error status (health reports 503 with its body). */
  acceptErrorStatus?: boolean;
}

/** Send a request with the session's token; a failed connection becomes NETWORK_ERROR. */
async function send(method: string, path: string, options: { body?: unknown; raw?: { data: Blob; contentType: string }; auth: boolean; accept: string }): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept };
  if (options.raw) headers['Content-Type'] = options.raw.contentType;
  else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const token = options.auth ? hooks.getToken() : undefined;
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(path, {
      method,
      headers,
      body: options.raw ? options.raw.data : options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR');
  }
}

/** The ApiError for an unsuccessful answer (and the session's end on 401). */
function failure(response: Response, json: unknown, auth: boolean): ApiError {
  const body = ErrorBody.safeParse(json);
  if (response.status === 401 && auth) hooks.onUnauthorized();
  if (body.success) {
    const { code, message, requestId, details } = body.data.error;
    return new ApiError(response.status, code, message, requestId, details);
  }
  return new ApiError(response.status, 'HTTP_ERROR');
}

export async function request<S extends z.ZodType>(method: string, path: string, options: RequestOptions<S>): Promise<z.infer<S>> {
  const auth = options.auth ?? true;
  const response = await send(method, path, { body: options.body, raw: options.raw, auth, accept: 'application/json' });
  const json: unknown = await response.json().catch(() => undefined);
  if (response.ok || options.acceptErrorStatus) {
    const parsed = options.schema.safeParse(json);
    if (parsed.success) return parsed.data;
    if (response.ok) {
      console.error(`${method} ${path}: response does not match the contract`, parsed.error.issues);
      throw new ApiError(response.status, 'BAD_RESPONSE');
    }
  }
  throw failure(response, json, auth);
}

/** A GET whose answer is a file (a photo, a CSV export): fetched with the token, returned as a Blob. */
async function download(path: string, accept: string): Promise<Blob> {
  const response = await send('GET', path, { auth: true, accept });
  if (response.ok) return await response.blob();
  const json: unknown = await response.json().catch(() => undefined);
  throw failure(response, json, true);
}

/** `?a=1&b=2` from the defined values, or '' when there are none. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
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
export type ReportInput = z.input<typeof ReportCase>;
export type VerifyInput = z.input<typeof VerifyCase>;
export type FileInput = z.input<typeof FileCase>;
export type MergeInput = z.input<typeof MergeCase>;
export type DispatchInput = z.input<typeof DispatchCase>;
export type HandleInput = z.input<typeof HandleCase>;
export type DecideInput = z.input<typeof DecideRequest>;
export type CheckInput = z.input<typeof CheckCase>;
export type ResumeInput = z.input<typeof ResumeCase>;
export type PhotoStage = Photo['stage'];
/** [west, south, east, north] in WGS84 degrees. */
export type BBox = readonly [number, number, number, number];
export interface CaseQuery {
  status?: CaseStatus;
  /** YYYY-MM-DD (Beijing). */
  from?: string;
  to?: string;
  limit?: number;
}
export interface EvaluationQuery {
  /** YYYY-MM-DD (Beijing): the period is [from, to), `to` excluded (the API's convention). */
  from: string;
  to: string;
  groupBy: EvaluationGroup;
}

export type RegisterDeviceInput = z.input<typeof RegisterDevice>;
export type ImportDevicesInput = z.input<typeof ImportDevices>;
export type AcknowledgeInput = z.input<typeof AcknowledgeAlarm>;
export type DisposeInput = z.input<typeof DisposeAlarm>;
export interface DeviceQuery {
  domain?: DeviceDomain;
  kind?: DeviceKind;
  status?: 'active' | 'decommissioned' | 'all';
}
export interface AlarmQuery {
  /** `open` (not cleared, the default), `all`, or one status. */
  status?: 'open' | 'all' | AlarmStatus;
  level?: AlarmLevel;
  domain?: DeviceDomain;
  /** An instant with offset: alarms raised since then. */
  since?: string;
  limit?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Server-sent events (GET /v1/monitoring/events)

/** Where a live stream stands: connecting the first time, open, waiting to reconnect, or closed for good. */
export type StreamState = 'connecting' | 'open' | 'retrying' | 'closed';

export interface EventStreamOptions {
  /** One event as sent: its `event:` name and its `data:` text. */
  onEvent: (event: string, data: string) => void;
  /** Each change of state; `error` says why it is retrying or closed (absent for a normal end of stream). */
  onState?: (state: StreamState, error?: ApiError) => void;
  /** The stream (re)opened; `reconnected` is true after a drop, when events may have been missed. */
  onOpen?: (reconnected: boolean) => void;
  /** First reconnect delay and its ceiling (doubling in between, plus up to 25 % jitter). */
  backoff?: { initialMs: number; maxMs: number };
}

export interface EventStream {
  close: () => void;
}

/** Answers after which reconnecting cannot help (the session, the role or the route is wrong). */
const FATAL_STREAM_STATUS = new Set([400, 401, 403, 404, 405]);

/**
 * Follow a text/event-stream with fetch and a stream reader (EventSource cannot send the bearer token).
 * Reconnects with exponential backoff after a failed connection or a dropped stream, sending the last event
 * id it saw; gives up on 401 (the session ends, as for any call), 403 and 404.
 */
export function openEventStream(path: string, options: EventStreamOptions): EventStream {
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  let closed = false;
  let everOpened = false;
  let attempt = 0;
  let lastId: string | undefined;
  let serverRetry: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const setState = (state: StreamState, error?: ApiError) => options.onState?.(state, error);

  const retry = (error?: ApiError) => {
    if (closed) return;
    attempt += 1;
    const base = Math.min(backoff.maxMs, Math.max(serverRetry ?? 0, backoff.initialMs * 2 ** (attempt - 1)));
    setState('retrying', error);
    timer = setTimeout(() => void connect(), base + Math.floor(Math.random() * base * 0.25));
  };

  const connect = async () => {
    if (closed) return;
    setState(everOpened || attempt > 0 ? 'retrying' : 'connecting');
    controller = new AbortController();
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
    const token = hooks.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (lastId !== undefined) headers['Last-Event-ID'] = lastId;
    let response: Response;
    try {
      response = await fetch(path, { method: 'GET', headers, signal: controller.signal, cache: 'no-store' });
    } catch {
      return retry(new ApiError(0, 'NETWORK_ERROR'));
    }
    if (closed) return void response.body?.cancel().catch(() => undefined);
    if (!response.ok || !response.body) {
      const json: unknown = await response.json().catch(() => undefined);
      const error = failure(response, json, true);
      if (FATAL_STREAM_STATUS.has(response.status)) {
        closed = true;
        return setState('closed', error);
      }
      return retry(error);
    }
    const parser = createSseParser((event) => {
      if (event.id !== undefined) lastId = event.id;
      if (event.retry !== undefined) serverRetry = event.retry;
      if (!closed) options.onEvent(event.event, event.data);
    });
    attempt = 0;
    setState('open');
    options.onOpen?.(everOpened);
    everOpened = true;
    const current = response.body.getReader();
    reader = current;
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await current.read();
        if (done || closed) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // A dropped connection: reconnect below.
    }
    retry();
  };

  void connect();
  return {
    close: () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      controller?.abort();
      reader?.cancel().catch(() => undefined);
      setState('closed');
    },
  };
}

/** The monitoring stream's events, parsed: a device's live state changed, or an alarm was raised or changed. */
export interface MonitoringEventHandlers {
  onDevice?: (event: DeviceLiveEvent) => void;
  onAlarm?: (alarm: AlarmView) => void;
  onState?: EventStreamOptions['onState'];
  onOpen?: EventStreamOptions['onOpen'];
  backoff?: EventStreamOptions['backoff'];
}

function monitoringEvents(handlers: MonitoringEventHandlers): EventStream {
  const parse = <S extends z.ZodType>(schema: S, name: string, data: string): z.infer<S> | undefined => {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    console.error(`monitoring event ${name}: does not match the contract`, parsed.error.issues);
    return undefined;
  };
  return openEventStream('/v1/monitoring/events', {
    onState: handlers.onState,
    onOpen: handlers.onOpen,
    backoff: handlers.backoff,
    onEvent: (event, data) => {
      if (event === 'device') {
        const value = parse(DeviceLiveEvent, event, data);
        if (value) handlers.onDevice?.(value);
      } else if (event === 'alarm') {
        const value = parse(AlarmView, event, data);
        if (value) handlers.onAlarm?.(value);
      }
    },
  });
}

const bbox = (b: BBox) => b.map((x) => x.toFixed(6)).join(',');
const caseAction = <B>(name: string) => (id: string, input: B) => post(`/v1/cases/${seg(id)}/${name}`, input, Case);

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

  photos: {
    /** POST /v1/photos: the raw image as the body (JPEG, PNG or WebP, at most 5 MB). */
    upload: (file: Blob, stage: PhotoStage) =>
      request('POST', `/v1/photos${query({ stage })}`, { schema: Photo, raw: { data: file, contentType: file.type } }),
    /** GET /v1/photos/{id}: the image, fetched with the token (an <img src> could not send it). */
    image: (id: string) => download(`/v1/photos/${seg(id)}`, 'image/*'),
  },

  cases: {
    report: (input: ReportInput) => post('/v1/cases', input, Case),
    list: (filter: CaseQuery = {}) => get(`/v1/cases${query({ ...filter })}`, CaseList),
    board: () => get('/v1/cases/board', Board),
    get: (id: string) => get(`/v1/cases/${seg(id)}`, CaseDetail),
    similar: (id: string) => get(`/v1/cases/${seg(id)}/similar`, CaseList),
    verify: caseAction<VerifyInput>('verify'),
    file: caseAction<FileInput>('file'),
    merge: caseAction<MergeInput>('merge'),
    dispatch: caseAction<DispatchInput>('dispatch'),
    handle: caseAction<HandleInput>('handle'),
    extension: caseAction<DecideInput>('extension'),
    suspension: caseAction<DecideInput>('suspension'),
    resume: caseAction<ResumeInput>('resume'),
    check: caseAction<CheckInput>('check'),
  },

  notifications: () => get('/v1/notifications', NotificationList),

  basedata: {
    grids: (box: BBox) => get(`/v1/basedata/grids${query({ bbox: bbox(box) })}`, GridCollection),
    components: (box: BBox) => get(`/v1/basedata/components${query({ bbox: bbox(box) })}`, ComponentCollection),
  },

  geocode: {
    search: (q: string) => get(`/v1/geocode${query({ q })}`, GeocodeList),
    reverse: (point: GeoPoint) => get(`/v1/geocode/reverse${query({ lng: point.lng.toFixed(6), lat: point.lat.toFixed(6) })}`, ReverseGeocode),
  },

  evaluation: {
    report: (q: EvaluationQuery) => get(`/v1/evaluation${query({ ...q })}`, EvaluationReport),
    /** GET /v1/evaluation.csv: the same rows as a CSV file in the reader's language (a Blob: it needs the token). */
    csv: (q: EvaluationQuery, lang: 'zh' | 'en' = 'zh') => download(`/v1/evaluation.csv${query({ ...q, lang })}`, 'text/csv'),
  },

  devices: {
    list: (filter: DeviceQuery = {}) => get(`/v1/devices${query({ ...filter })}`, DeviceList),
    get: (id: string, hours?: number) => get(`/v1/devices/${seg(id)}${query({ hours })}`, DeviceDetail),
    /** POST /v1/devices → 201 with the credentials, shown to the user once. */
    register: (input: RegisterDeviceInput) => post('/v1/devices', input, RegisteredDevice),
    import: (input: ImportDevicesInput) => post('/v1/devices/import', input, ImportDevicesResult),
    /** New credentials (the old ones stop working), shown once. */
    rotateCredentials: (id: string) => request('POST', `/v1/devices/${seg(id)}/credentials`, { schema: DeviceCredentialsView }),
    decommission: (id: string) => request('DELETE', `/v1/devices/${seg(id)}`, { schema: DecommissionedDevice }),
  },

  alarms: {
    list: (filter: AlarmQuery = {}) => get(`/v1/alarms${query({ ...filter })}`, AlarmList),
    acknowledge: (id: string, input: AcknowledgeInput) => post(`/v1/alarms/${seg(id)}/acknowledge`, input, AlarmView),
    dispose: (id: string, input: DisposeInput) => post(`/v1/alarms/${seg(id)}/dispose`, input, AlarmView),
  },

  monitoring: {
    deadLetters: () => get('/v1/monitoring/dead-letters', DeadLetterList),
    /** The SSE stream of device states and alarms (one connection; call close() when the screen goes). */
    events: (handlers: MonitoringEventHandlers) => monitoringEvents(handlers),
    /** How this deployment pushes live changes: SSE (local stack), MQTT over WSS to IoT Core (AWS), or none. */
    liveChannel: () => get('/v1/monitoring/live-channel', LiveChannel),
    /** Follow the live push over whichever channel the API names (screens use this; same handlers as `events`). */
    live: (handlers: MonitoringEventHandlers) =>
      openLiveChannel(handlers, { channel: () => get('/v1/monitoring/live-channel', LiveChannel), sse: monitoringEvents, token: () => hooks.getToken() }),
  },

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
