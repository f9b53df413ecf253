import fc from 'fast-check';
import { Deque } from '../../src/util/deque.js';

describe('Deque', () => {
  it('is FIFO with push/shift and LIFO at the front with unshift', () => {
    const deque = new Deque<number>(2);
    deque.push(2);
    deque.push(3);
    deque.unshift(1);
    deque.unshift(0);
    expect(deque.length).toBe(4);
    expect(deque.peek()).toBe(0);
    expect(deque.at(2)).toBe(2);
    expect(deque.toArray()).toEqual([0, 1, 2, 3]);
    expect([deque.shift(), deque.shift(), deque.shift(), deque.shift(), deque.shift()]).toEqual([0, 1, 2, 3, undefined]);
    expect(deque.length).toBe(0);
  });

  it('behaves like an array under random operations (wrap-around and growth)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('push', 'unshift', 'shift'), fc.integer())), (ops) => {
        const deque = new Deque<number>(4);
        const model: number[] = [];
        for (const [op, value] of ops) {
          if (op === 'push') {
            deque.push(value);
            model.push(value);
          } else if (op === 'unshift') {
            deque.unshift(value);
            model.unshift(value);
          } else {
            expect(deque.shift()).toBe(model.shift());
          }
          expect(deque.length).toBe(model.length);
        }
        expect(deque.toArray()).toEqual(model);
      }),
    );
  });

  it('clear() empties it', () => {
    const deque = new Deque<string>();
    deque.push('a');
    deque.clear();
    expect(deque.length).toBe(0);
    expect(deque.shift()).toBeUndefined();
  });
});
