import { HeartbeatScheduler, type HeartbeatMember } from '../../src/session/heartbeat-scheduler.js';

/** A member whose beats and silence resolve promises (no sleeps: the scheduler's own timers drive it). */
class Member implements HeartbeatMember {
  lastReadAt = Date.now();
  lastWriteAt = Date.now();
  beats = 0;
  silentFor: number | undefined;
  onBeat: (() => void) | undefined;
  onSilent: (() => void) | undefined;
  beat(): void {
    this.beats++;
    this.onBeat?.();
  }
  silent(ms: number): void {
    this.silentFor = ms;
    this.onSilent?.();
  }
  nextBeat(): Promise<void> {
    return new Promise((resolve) => (this.onBeat = resolve));
  }
  nextSilence(): Promise<void> {
    return new Promise((resolve) => (this.onSilent = resolve));
  }
}

describe('HeartbeatScheduler', () => {
  let scheduler: HeartbeatScheduler;
  beforeEach(() => (scheduler = new HeartbeatScheduler(2)));
  afterEach(() => scheduler.close());

  it('runs one interval per negotiated value, however many sessions share it, and none once they left', async () => {
    const a = new Member(), b = new Member(), c = new Member();
    scheduler.startSending(a, 50);
    scheduler.startSending(b, 50);
    scheduler.startSending(c, 80);
    scheduler.startExpecting(a, 50);
    scheduler.startExpecting(b, 50);
    expect(scheduler.timerCount).toBe(3);
    await Promise.all([a.nextBeat(), b.nextBeat(), c.nextBeat()]);
    scheduler.stop(a, 50, 50);
    expect(scheduler.timerCount).toBe(3);
    scheduler.stop(b, 50, 50);
    scheduler.stop(c, 80, 0);
    expect(scheduler.timerCount).toBe(0);
  });

  it('beats only for members that wrote nothing for about the interval', async () => {
    const idle = new Member(), busy = new Member();
    scheduler.startSending(idle, 40);
    scheduler.startSending(busy, 40);
    const keepBusy = setInterval(() => (busy.lastWriteAt = Date.now()), 5);
    try {
      for (let i = 0; i < 3; i++) await idle.nextBeat();
    } finally {
      clearInterval(keepBusy);
    }
    expect(idle.beats).toBeGreaterThanOrEqual(3);
    expect(busy.beats).toBe(0);
  });

  it('reports a silent peer once past interval × tolerance, and not one that keeps sending', async () => {
    const silent = new Member(), talking = new Member();
    scheduler.startExpecting(silent, 30);
    scheduler.startExpecting(talking, 30);
    const keepTalking = setInterval(() => (talking.lastReadAt = Date.now()), 5);
    const start = silent.lastReadAt;
    try {
      await silent.nextSilence();
    } finally {
      clearInterval(keepTalking);
    }
    expect(silent.silentFor).toBe(60);
    expect(Date.now() - start).toBeGreaterThan(60);
    expect(talking.silentFor).toBeUndefined();
  });

  it('a member that leaves during a beat (its connection found gone) does not disturb the others', async () => {
    const leaving = new Member(), staying = new Member();
    leaving.onBeat = () => scheduler.stop(leaving, 30, 0);
    scheduler.startSending(leaving, 30);
    scheduler.startSending(staying, 30);
    await staying.nextBeat();
    await staying.nextBeat();
    expect(leaving.beats).toBe(1);
    expect(scheduler.timerCount).toBe(1);
  });
});
