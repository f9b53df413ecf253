// UserRegistryBroadcast: a snapshot every period, and one soon after users change, never two
// change snapshots closer than minInterval; a share the broker refused does not count.
import { jest } from '@jest/globals';
import { CHANGE_INTERVAL, UserRegistryBroadcast } from '../../src/user/user-registry-broadcast.js';

describe('UserRegistryBroadcast', () => {
  let broadcast: UserRegistryBroadcast | undefined;
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    broadcast?.close();
    jest.useRealTimers();
  });

  function start(period: number, minInterval?: number, accepted = (): boolean => true): { shares: number[] } {
    const shares: number[] = [];
    const t0 = Date.now();
    broadcast = new UserRegistryBroadcast(
      () => {
        shares.push(Date.now() - t0);
        return accepted();
      },
      period,
      minInterval,
    );
    return { shares };
  }

  it('shares every period, as Spring does', () => {
    const { shares } = start(10_000);
    jest.advanceTimersByTime(30_000);
    expect(shares).toEqual([10_000, 20_000, 30_000]);
  });

  it('shares a change at once, and changes within minInterval of it in one snapshot at its end', () => {
    const { shares } = start(10_000, 1_000);
    broadcast!.changed();
    expect(shares).toEqual([0]);
    jest.advanceTimersByTime(200);
    broadcast!.changed();
    jest.advanceTimersByTime(300);
    broadcast!.changed();
    broadcast!.changed();
    expect(shares).toEqual([0]);
    jest.advanceTimersByTime(500);
    expect(shares).toEqual([0, 1_000]);
    jest.advanceTimersByTime(5_000); // nothing changed since: only the period
    expect(shares).toEqual([0, 1_000]);
    jest.advanceTimersByTime(4_000);
    expect(shares).toEqual([0, 1_000, 10_000]);
  });

  it('counts a periodic snapshot as the last one, and a pending change snapshot becomes it', () => {
    const { shares } = start(2_000, 1_000);
    jest.advanceTimersByTime(2_500);
    broadcast!.changed(); // 500 ms after the periodic one: waits until 3,000
    jest.advanceTimersByTime(499);
    expect(shares).toEqual([2_000]);
    jest.advanceTimersByTime(1);
    expect(shares).toEqual([2_000, 3_000]);
  });

  it('a share the broker refused (away) does not hold back the next change', () => {
    let up = false;
    const { shares } = start(10_000, 1_000, () => up);
    broadcast!.changed();
    jest.advanceTimersByTime(10);
    up = true;
    broadcast!.changed();
    expect(shares).toEqual([0, 10]);
  });

  it('close() stops both the period and a pending change, and later changes share nothing', () => {
    const { shares } = start(2_000, 1_000);
    broadcast!.changed();
    broadcast!.changed();
    broadcast!.close();
    jest.advanceTimersByTime(10_000);
    broadcast!.changed();
    expect(shares).toEqual([0]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('by default keeps change snapshots CHANGE_INTERVAL (1 s) apart', () => {
    const { shares } = start(10_000);
    broadcast!.changed();
    broadcast!.changed();
    jest.advanceTimersByTime(CHANGE_INTERVAL - 1);
    expect(shares).toEqual([0]);
    jest.advanceTimersByTime(1);
    expect(shares).toEqual([0, 1_000]);
  });
});
