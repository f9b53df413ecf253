// FlushList: the first add of a round says so (the caller schedules the round), a round flushes in
// order, a session its own flush queues again waits for the next round, and one that throws does not
// keep the others unflushed.
import { FlushList, type Flushable } from '../../src/session/flush-list.js';

describe('FlushList', () => {
  it('says which add starts a round, and flushes the round in order', () => {
    const log: string[] = [];
    const list = new FlushList();
    const named = (name: string): Flushable => ({ flush: () => log.push(name) });
    expect(list.add(named('a'))).toBe(true);
    expect(list.add(named('b'))).toBe(false);
    expect(list.size).toBe(2);
    list.flushAll();
    expect(log).toEqual(['a', 'b']);
    expect(list.size).toBe(0);
    expect(list.add(named('c'))).toBe(true);
  });

  it('a session queued again by its own flush is in the next round, not this one', () => {
    const list = new FlushList();
    let flushes = 0;
    let startsRound: boolean | undefined;
    const again: Flushable = {
      flush: () => {
        if (++flushes === 1) startsRound = list.add(again);
      },
    };
    list.add(again);
    list.flushAll();
    expect(flushes).toBe(1);
    expect(startsRound).toBe(true);
    expect(list.size).toBe(1);
    list.flushAll();
    expect(flushes).toBe(2);
  });

  it('flushes every session of the round even when one throws, then throws the first error', () => {
    const log: string[] = [];
    const list = new FlushList();
    list.add({ flush: () => { throw new Error('first'); } });
    list.add({ flush: () => log.push('second') });
    list.add({ flush: () => { throw new Error('third'); } });
    expect(() => list.flushAll()).toThrow('first');
    expect(log).toEqual(['second']);
    expect(list.size).toBe(0);
  });
});
