/**
 * The lane of the local stack's background work (flow tasks, stream reactions). The embedded stack shares two
 * cores and one DynamoDB Local between people's requests and that work; unbounded, a stream batch of 100 new
 * cases starts 100 flows at once and every person's next request queues behind their writes. The lane runs
 * background work in order, `idle` pieces at once while no request is being served and `busy` (at least one)
 * while some are, so a request waits for little and the background never stops. In AWS the same bound is
 * Lambda's reserved concurrency and the stream's parallelization factor, on compute of their own.
 */
export type Lane = <T>(work: () => Promise<T>) => Promise<T>;

export interface BackgroundLane {
  run: Lane;
  /** Mark a request in progress until the returned function is called. */
  request(): () => void;
  stats(): { running: number; queued: number; requests: number };
}

export function backgroundLane(opts: { idle: number; busy: number }): BackgroundLane {
  const busy = Math.max(1, Math.min(opts.busy, opts.idle));
  let running = 0;
  let requests = 0;
  const queue: (() => void)[] = [];
  const limit = () => (requests > 0 ? busy : opts.idle);
  const pump = () => {
    while (running < limit() && queue.length) {
      running++;
      queue.shift()!();
    }
  };
  return {
    run: (work) =>
      new Promise((resolve, reject) => {
        queue.push(() => {
          work()
            .then(resolve, reject)
            .finally(() => {
              running--;
              pump();
            });
        });
        pump();
      }),
    request() {
      requests++;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        requests--;
        pump();
      };
    },
    stats: () => ({ running, queued: queue.length, requests }),
  };
}
