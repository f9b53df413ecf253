import { DEFAULT_RELAY_OPTIONS, resolveRelayOptions } from '../../src/relay/relay-options.js';

describe('relay options', () => {
  it("defaults are Spring's relay defaults", () => {
    const o = resolveRelayOptions();
    expect([o.host, o.port]).toEqual(['127.0.0.1', 61613]);
    expect([o.clientLogin, o.clientPasscode, o.systemLogin, o.systemPasscode]).toEqual(['guest', 'guest', 'guest', 'guest']);
    expect(o.systemHeartbeat).toEqual([10_000, 10_000]);
    expect(o.reconnectDelay).toBe(5_000);
    expect(o.connectTimeout).toBe(60_000);
    expect(o.virtualHost).toBeUndefined();
    expect(o.destinationPrefixes).toEqual(['/topic', '/queue']);
  });

  it('an option given as undefined keeps its default', () => {
    expect(resolveRelayOptions({ port: undefined, host: 'mq' })).toMatchObject({ port: DEFAULT_RELAY_OPTIONS.port, host: 'mq' });
  });

  it.each([['port', 0], ['reconnectDelay', -1], ['connectTimeout', 1.5], ['maxFrameSize', Number.NaN]])('rejects %s = %p', (name, value) => {
    expect(() => resolveRelayOptions({ [name]: value })).toThrow(new RegExp(`Relay option ${name} must be a positive integer`));
  });

  it('linger: 1 ms by default, 0 turns it off, anything else but a whole number of ms is refused', () => {
    expect(resolveRelayOptions().linger).toBe(1);
    expect(resolveRelayOptions({ linger: 0 }).linger).toBe(0);
    for (const bad of [-1, 0.5, Number.NaN]) {
      expect(() => resolveRelayOptions({ linger: bad })).toThrow(/Relay option linger must be 0 or a positive integer/);
    }
  });
});
