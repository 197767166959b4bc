import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlarmView, DeviceLiveEvent } from '../../../contracts';
import { isSignedIn, signIn, signOut } from '../auth/session';
import { fakeEventStream } from '../test/event-stream';
import { errorBody, installFakeApi } from '../test/fake-api';
import { alarmView, COVER_ID, deviceView, TOKENS } from '../test/fixtures';
import { api, type EventStream, type StreamState } from './client';

const FAST = { initialMs: 10, maxMs: 40 };

describe('monitoring event stream (fetch + reader, not EventSource)', () => {
  let stream: EventStream | undefined;
  beforeEach(() => signIn(TOKENS));
  afterEach(() => {
    stream?.close();
    signOut();
    sessionStorage.clear();
  });

  it('sends the bearer token, parses device and alarm events and skips ones that break the contract', async () => {
    const events = fakeEventStream();
    installFakeApi({ 'GET /v1/monitoring/events': events.route });
    const devices: DeviceLiveEvent[] = [];
    const alarms: AlarmView[] = [];
    const states: StreamState[] = [];
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    stream = api.monitoring.events({ onDevice: (e) => devices.push(e), onAlarm: (a) => alarms.push(a), onState: (s) => states.push(s) });
    await vi.waitFor(() => expect(states).toContain('open'));
    expect(events.requests[0]?.headers.get('Authorization')).toBe('Bearer id-abc');
    expect(events.requests[0]?.headers.get('Accept')).toBe('text/event-stream');

    events.send('device', { id: COVER_ID, live: deviceView().live });
    events.send('alarm', alarmView(), { split: true });
    events.send('alarm', { id: 'not an alarm' });
    events.send('heartbeat', {});
    await vi.waitFor(() => expect(alarms).toHaveLength(1));
    expect(devices).toEqual([{ id: COVER_ID, live: deviceView().live }]);
    expect(alarms[0]?.deviceName).toBe('西园路 12 号井盖');
    expect(log).toHaveBeenCalledOnce();
  });

  it('reconnects with backoff after the stream drops, sending the last event id, and says it reconnected', async () => {
    const events = fakeEventStream();
    const fake = installFakeApi({ 'GET /v1/monitoring/events': events.route });
    const opened: boolean[] = [];
    const alarms: AlarmView[] = [];
    stream = api.monitoring.events({ onAlarm: (a) => alarms.push(a), onOpen: (again) => opened.push(again), backoff: FAST });
    await vi.waitFor(() => expect(opened).toEqual([false]));
    events.send('alarm', alarmView(), { id: 'evt-7' });
    await vi.waitFor(() => expect(alarms).toHaveLength(1));
    events.drop();
    await vi.waitFor(() => expect(opened).toEqual([false, true]));
    expect(fake.called('GET /v1/monitoring/events')).toHaveLength(2);
    expect(events.requests[1]?.headers.get('Last-Event-ID')).toBe('evt-7');
  });

  it('retries after a network failure or a 503, and stops for good on 401 (ending the session)', async () => {
    let calls = 0;
    const events = fakeEventStream();
    installFakeApi({
      'GET /v1/monitoring/events': (request) => {
        calls += 1;
        if (calls === 1) throw new Error('offline');
        if (calls === 2) return { status: 503, body: errorBody('UNAVAILABLE', '服务暂不可用', 'Unavailable') };
        if (calls === 3) return events.route(request);
        return { status: 401, body: errorBody('TOKEN_INVALID', '身份令牌无效', 'The identity token is not valid') };
      },
    });
    const states: StreamState[] = [];
    stream = api.monitoring.events({ onState: (s) => states.push(s), backoff: FAST });
    await vi.waitFor(() => expect(states).toContain('open'));
    expect(states.slice(0, 3)).toEqual(['connecting', 'retrying', 'retrying']);
    events.drop();
    await vi.waitFor(() => expect(states.at(-1)).toBe('closed'));
    expect(calls).toBe(4);
    expect(isSignedIn()).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(4);
  });

  it('close() ends the connection and no reconnect follows', async () => {
    const events = fakeEventStream();
    const fake = installFakeApi({ 'GET /v1/monitoring/events': events.route });
    const states: StreamState[] = [];
    stream = api.monitoring.events({ onState: (s) => states.push(s), backoff: FAST });
    await vi.waitFor(() => expect(events.openCount()).toBe(1));
    stream.close();
    await vi.waitFor(() => expect(events.openCount()).toBe(0));
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.called('GET /v1/monitoring/events')).toHaveLength(1);
    expect(states.at(-1)).toBe('closed');
  });
});
