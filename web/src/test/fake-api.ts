/**
 * A stand-in for the API at the client's boundary (global fetch), for component tests only: routes are
 * `'METHOD /path'` → JSON answer, every call is recorded. Unknown routes answer 404 with the API's error body.
 * A route that throws stands for a failed connection (fetch rejects, as it does offline).
 */
import { vi } from 'vitest';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}
export interface FakeAnswer {
  status?: number;
  /** A JSON body. */
  body?: unknown;
  /** A body sent as is (a CSV, an image), with its content type. */
  raw?: string | Blob;
  /** A body that keeps flowing (text/event-stream), see test/event-stream.ts. */
  stream?: ReadableStream<Uint8Array>;
  contentType?: string;
}
export type FakeRoute = FakeAnswer | ((request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>);

export function errorBody(code: string, zh: string, en: string, requestId = 'req-test-1') {
  return { error: { code, message: { zh, en }, requestId } };
}

export function installFakeApi(routes: Record<string, FakeRoute>) {
  const calls: FakeRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost:3000');
    const method = (init?.method ?? 'GET').toUpperCase();
    const raw = init?.body;
    let body: unknown = raw;
    if (typeof raw === 'string') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const request: FakeRequest = { method, path: url.pathname, query: url.searchParams, headers: new Headers(init?.headers), body };
    calls.push(request);
    const route = routes[`${method} ${url.pathname}`];
    const answer: FakeAnswer =
      route === undefined
        ? { status: 404, body: errorBody('NOT_FOUND', '请求的资源不存在', 'Not found') }
        : typeof route === 'function'
          ? await route(request)
          : route;
    if (answer.stream !== undefined) {
      return new Response(answer.stream, { status: answer.status ?? 200, headers: { 'Content-Type': answer.contentType ?? 'text/event-stream' } });
    }
    if (answer.raw !== undefined) {
      return new Response(answer.raw, { status: answer.status ?? 200, headers: { 'Content-Type': answer.contentType ?? 'application/octet-stream' } });
    }
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return {
    fetch,
    calls,
    /** Calls to one route, e.g. `called('GET /v1/tasks')`. */
    called: (key: string) => calls.filter((c) => `${c.method} ${c.path}` === key),
  };
}
