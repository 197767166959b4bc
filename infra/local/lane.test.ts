import { describe, expect, it } from 'vitest';
import { backgroundLane } from './lane';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the background lane of the local stack', () => {
  it('runs at most `idle` pieces at once while no request is served, and `busy` while one is', async () => {
    // Prepare
    const lane = backgroundLane({ idle: 3, busy: 1 });
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const work = () =>
      lane.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => release.push(r));
        running--;
      });
    // Act: a request in progress, then five pieces of work
    const done = lane.request();
    const all = Promise.all([work(), work(), work(), work(), work()]);
    await tick();
    const whileBusy = running;
    done();
    await tick();
    const whenIdle = running;
    while (release.length) {
      release.shift()!();
      await tick();
    }
    await all;
    // Assess
    expect(whileBusy).toBe(1);
    expect(whenIdle).toBe(3);
    expect(peak).toBe(3);
    expect(lane.stats()).toEqual({ running: 0, queued: 0, requests: 0 });
  });

  it('passes results and errors through, and a failure frees its place', async () => {
    const lane = backgroundLane({ idle: 1, busy: 1 });
    await expect(lane.run(async () => 7)).resolves.toBe(7);
    await expect(lane.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lane.run(async () => 'after')).resolves.toBe('after');
  });

  it('counts a request once even when its end is reported twice', () => {
    const lane = backgroundLane({ idle: 4, busy: 1 });
    const end = lane.request();
    end();
    end();
    expect(lane.stats().requests).toBe(0);
  });
});
