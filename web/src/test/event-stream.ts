/**
 * A stand-in for GET /v1/monitoring/events in component tests: each request opens a stream that stays open;
 * `send` pushes an SSE event to every open stream, `drop` ends them (as a lost connection would).
 * Use: `const events = fakeEventStream(); installFakeApi({ 'GET /v1/monitoring/events': events.route, … })`.
 */
import type { FakeAnswer, FakeRequest } from './fake-api';

export function fakeEventStream() {
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const requests: FakeRequest[] = [];
  const encoder = new TextEncoder();
  const route = (request: FakeRequest): FakeAnswer => {
    requests.push(request);
    let mine: ReadableStreamDefaultController<Uint8Array> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        mine = controller;
        open.add(controller);
        controller.enqueue(encoder.encode(': connected\n\n'));
      },
      cancel() {
        if (mine) open.delete(mine);
      },
    });
    return { stream, contentType: 'text/event-stream' };
  };
  return {
    route,
    /** Every connection made, with its headers (Authorization, Last-Event-ID). */
    requests,
    openCount: () => open.size,
    /** Push `event: <name>` with JSON data (optionally split into two chunks mid-line, as networks do). */
    send(event: string, data: unknown, options: { id?: string; split?: boolean } = {}) {
      const text = `${options.id ? `id: ${options.id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      const parts = options.split ? [text.slice(0, Math.floor(text.length / 2)), text.slice(Math.floor(text.length / 2))] : [text];
      for (const controller of open) for (const part of parts) controller.enqueue(encoder.encode(part));
    },
    /** End every open stream (the client reconnects after its backoff). */
    drop() {
      for (const controller of open) controller.close();
      open.clear();
    },
  };
}
