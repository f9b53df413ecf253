/** Promise helpers: every wait is bounded and fails with a message that names what was awaited. */

export const DEFAULT_TIMEOUT = 3_000;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  settled: boolean;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const d: Deferred<T> = {
    promise,
    settled: false,
    resolve: (value) => {
      d.settled = true;
      resolve(value);
    },
    reject: (error) => {
      d.settled = true;
      reject(error);
    },
  };
  // A rejection nobody awaits must not crash the test run.
  promise.catch(() => undefined);
  return d;
}

/**
 * A FIFO of values that arrive over time; `next()` takes the oldest one not yet taken, waiting
 * (bounded) when none is there.
 */
export class AsyncQueue<T> {
  /** Every value ever received, taken or not. */
  readonly all: T[] = [];
  private taken = 0;
  private waiters: Array<{ match: (value: T) => boolean; d: Deferred<T> }> = [];

  push(value: T): void {
    this.all.push(value);
    this.wake();
  }

  /** Values received but not taken yet. */
  get pending(): T[] {
    return this.all.slice(this.taken);
  }

  next(timeout = DEFAULT_TIMEOUT, what = 'the next item'): Promise<T> {
    if (this.taken < this.all.length) return Promise.resolve(this.all[this.taken++]!);
    const d = deferred<T>();
    this.waiters.push({ match: () => true, d });
    return withTimeout(d.promise, timeout, what).finally(() => this.drop(d));
  }

  /** Takes `count` values in arrival order. */
  async take(count: number, timeout = DEFAULT_TIMEOUT, what = `${count} items`): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(await this.next(timeout, `${what} (got ${i})`));
    return out;
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.taken < this.all.length) {
      const waiter = this.waiters.shift()!;
      waiter.d.resolve(this.all[this.taken++]!);
    }
  }

  private drop(d: Deferred<T>): void {
    this.waiters = this.waiters.filter((w) => w.d !== d);
  }
}

/** Resolves once `emitter` emitted `event` with args accepted by `match` (bounded). */
export function once<A extends unknown[]>(
  subscribe: (listener: (...args: A) => void) => () => void,
  match: (...args: A) => boolean,
  timeout: number,
  what: string,
): Promise<A> {
  const d = deferred<A>();
  const unsubscribe = subscribe((...args: A) => {
    if (match(...args)) d.resolve(args);
  });
  return withTimeout(d.promise, timeout, what).finally(unsubscribe);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
