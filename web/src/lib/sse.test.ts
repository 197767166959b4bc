import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse';

const parse = (...chunks: string[]) => {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return events;
};

describe('text/event-stream parser', () => {
  it('reads named events with JSON data, ignoring comments', () => {
    expect(parse(': keep-alive\n\nevent: alarm\ndata: {"a":1}\n\nevent: device\ndata: {"b":2}\n\n')).toEqual([
      { event: 'alarm', data: '{"a":1}' },
      { event: 'device', data: '{"b":2}' },
    ]);
  });

  // A CR that ends a chunk may be half of a CRLF, so the line it ends is read when the next chunk comes.
  it('joins lines cut anywhere across chunks, with LF, CRLF or CR endings', () => {
    expect(parse('event: al', 'arm\r', '\ndata: {"x"', ':1}\r\n\r\n', 'data: one\rdata: two\r\r', ': next\n')).toEqual([
      { event: 'alarm', data: '{"x":1}' },
      { event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('keeps id and retry, and dispatches nothing for an event without data', () => {
    expect(parse('id: 42\nretry: 5000\nevent: device\ndata:x\n\nevent: empty\n\n')).toEqual([{ event: 'device', data: 'x', id: '42', retry: 5000 }]);
  });
});
