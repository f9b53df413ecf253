import { ConnectDeadlines } from '../../src/session/connect-deadlines.js';

/** Deadlines whose expiries resolve promises: the deadlines' own timer drives the test. */
function recorder(timeout: number) {
  const expired: { name: string; at: number }[] = [];
  const waiters = new Map<string, () => void>();
  const deadlines = new ConnectDeadlines<string>(timeout, (name) => {
    expired.push({ name, at: Date.now() });
    waiters.get(name)?.();
  });
  const expiry = (name: string) => new Promise<void>((resolve) => waiters.set(name, resolve));
  return { deadlines, expired, expiry };
}

describe('ConnectDeadlines', () => {
  it('expires sessions in arrival order, each no earlier than its own deadline, on one timer', async () => {
    const { deadlines, expired, expiry } = recorder(60);
    const start = Date.now();
    deadlines.add('a');
    const later = new Promise<number>((resolve) => setTimeout(() => { deadlines.add('b'); resolve(Date.now()); }, 30));
    const both = Promise.all([expiry('a'), expiry('b')]);
    const addedB = await later;
    await both;
    expect(expired.map((e) => e.name)).toEqual(['a', 'b']);
    expect(expired[0]!.at - start).toBeGreaterThanOrEqual(59);
    expect(expired[1]!.at - addedB).toBeGreaterThanOrEqual(59);
    expect(deadlines.size).toBe(0);
  });

  it('a session that connected in time never expires; the others still do', async () => {
    const { deadlines, expired, expiry } = recorder(40);
    deadlines.add('connected');
    deadlines.add('silent');
    deadlines.delete('connected');
    expect(deadlines.size).toBe(1);
    await expiry('silent');
    expect(expired.map((e) => e.name)).toEqual(['silent']);
  });

  it('an expiry that deletes other sessions (a close that cascades) is safe', async () => {
    const order: string[] = [];
    let last: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (last = resolve));
    const deadlines: ConnectDeadlines<string> = new ConnectDeadlines<string>(30, (name) => {
      order.push(name);
      deadlines.delete(name); // what a closing session does
      if (name === 'a') deadlines.delete('b');
      if (name === 'c') last();
    });
    deadlines.add('a');
    deadlines.add('b');
    deadlines.add('c');
    await done;
    expect(order).toEqual(['a', 'c']);
    expect(deadlines.size).toBe(0);
  });
});
