// DeliveryLinger: one timer per round flushes every session added during it; a session queued
// again by its own flush waits for the next round; close() flushes at once.
import { jest } from '@jest/globals';
import { DeliveryLinger } from '../../src/session/delivery-linger.js';
import type { Flushable } from '../../src/session/flush-list.js';

describe('DeliveryLinger', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function session(log: string[], name: string, onFlush?: () => void): Flushable {
    return {
      flush: () => {
        log.push(name);
        onFlush?.();
      },
    };
  }

  it('flushes every session added in a round once, `ms` after the first, on one timer', () => {
    const log: string[] = [];
    const linger = new DeliveryLinger(5);
    linger.add(session(log, 'a'));
    jest.advanceTimersByTime(2);
    linger.add(session(log, 'b'));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(2);
    expect(log).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(log).toEqual(['a', 'b']);
    expect(linger.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a session its flush queues again waits for the next round', () => {
    const log: string[] = [];
    const linger = new DeliveryLinger(3);
    let again = true;
    const s: Flushable = session(log, 's', () => {
      if (again) {
        again = false;
        linger.add(s);
      }
    });
    linger.add(s);
    jest.advanceTimersByTime(3);
    expect(log).toEqual(['s']);
    expect(linger.size).toBe(1);
    jest.advanceTimersByTime(3);
    expect(log).toEqual(['s', 's']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('close() flushes the waiting sessions at once and leaves no timer', () => {
    const log: string[] = [];
    const linger = new DeliveryLinger(50);
    linger.add(session(log, 'x'));
    linger.close();
    expect(log).toEqual(['x']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a flush that throws does not keep the others of its round waiting: they are flushed, then it is thrown', () => {
    const log: string[] = [];
    const linger = new DeliveryLinger(1);
    linger.add({ flush: () => { throw new Error('boom'); } });
    linger.add(session(log, 'after'));
    expect(() => jest.advanceTimersByTime(1)).toThrow('boom');
    expect(log).toEqual(['after']);
    expect(linger.size).toBe(0);
    linger.add(session(log, 'next'));
    jest.advanceTimersByTime(1);
    expect(log).toEqual(['after', 'next']);
  });
});
