import { negotiateHeartbeat, parseHeartbeat } from '../../src/session/heartbeat.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';

describe('parseHeartbeat', () => {
  it('reads "<x>,<y>" and treats a missing header as 0,0', () => {
    expect(parseHeartbeat('10000,20000')).toEqual([10000, 20000]);
    expect(parseHeartbeat('0,0')).toEqual([0, 0]);
    expect(parseHeartbeat(undefined)).toEqual([0, 0]);
  });

  it.each(['', '10', ',10', '10,', 'a,b', '-1,0', '1,2,3', ' 1,2', '1.5,2', '99999999999,1'])(
    'rejects %p with INVALID_HEADER',
    (value) => {
      expect(() => parseHeartbeat(value)).toThrow(expect.objectContaining({ code: StompErrorCode.INVALID_HEADER }));
    },
  );
});

describe('negotiateHeartbeat (STOMP 1.1 "Heart-beating")', () => {
  it('sends every max(sx, cy) and expects every max(cx, sy)', () => {
    expect(negotiateHeartbeat([4000, 6000], [10000, 5000])).toEqual({ sendEvery: 10000, expectEvery: 5000 });
    expect(negotiateHeartbeat([20000, 1000], [10000, 10000])).toEqual({ sendEvery: 10000, expectEvery: 20000 });
  });

  it('disables a direction when either side says 0', () => {
    expect(negotiateHeartbeat([0, 0], [10000, 10000])).toEqual({ sendEvery: 0, expectEvery: 0 });
    expect(negotiateHeartbeat([1000, 1000], [0, 10000])).toEqual({ sendEvery: 0, expectEvery: 10000 });
    expect(negotiateHeartbeat([1000, 1000], [10000, 0])).toEqual({ sendEvery: 10000, expectEvery: 0 });
  });
});
