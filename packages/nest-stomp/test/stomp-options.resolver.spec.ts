import { resolveStompModuleOptions } from '../src/stomp-options.resolver.js';

describe('resolveStompModuleOptions', () => {
  it('applies the module defaults', () => {
    const resolved = resolveStompModuleOptions();
    expect(resolved.endpoint).toEqual({ path: '/ws' });
    expect(resolved.tcp).toBeUndefined();
    expect(resolved.applicationDestinationPrefixes).toEqual(['/app']);
    expect(resolved.userDestinationPrefix).toBe('/user');
    expect(resolved.broker).toEqual({ type: 'simple' });
    expect(resolved.server).toEqual({ broker: {} });
  });

  it('defaults the TCP host to loopback and keeps endpoint: false', () => {
    const resolved = resolveStompModuleOptions({ endpoint: false, tcp: { port: 61613 } });
    expect(resolved.endpoint).toBe(false);
    expect(resolved.tcp).toEqual({ port: 61613, host: '127.0.0.1' });
  });

  it('maps broker and limit options onto the core server init, skipping undefined values', () => {
    const resolved = resolveStompModuleOptions({
      broker: { type: 'simple', destinationPrefixes: ['/topic'], queuePrefixes: [], heartbeat: [5000, 0], maxQueuedMessages: 3 },
      maxSubscriptionsPerSession: 2,
      sendTimeLimit: 100,
      sendBufferSizeLimit: undefined,
      limits: { maxHeaders: 10 },
    });
    expect(resolved.server).toEqual({
      heartbeat: [5000, 0],
      sendTimeLimit: 100,
      limits: { maxHeaders: 10 },
      broker: { destinationPrefixes: ['/topic'], queuePrefixes: [], maxQueuedMessages: 3, maxSubscriptionsPerSession: 2 },
    });
    expect('sendBufferSizeLimit' in resolved.server).toBe(false);
  });

  it('maps a relay broker onto the core relay options; its heartbeat stays the server\'s', () => {
    const resolved = resolveStompModuleOptions({
      broker: {
        type: 'relay',
        host: 'rabbit.internal',
        port: 61614,
        hosts: [{ host: 'rabbit2.internal', port: 61613 }],
        clientLogin: 'app',
        virtualHost: '/prod',
        systemHeartbeat: [5000, 5000],
        linger: 0,
        registryExpirationPeriod: 30_000,
        heartbeat: [1000, 1000],
      },
    });
    expect(resolved.server.heartbeat).toEqual([1000, 1000]);
    expect(resolved.server.relay).toEqual({
      host: 'rabbit.internal',
      port: 61614,
      hosts: [{ host: 'rabbit2.internal', port: 61613 }],
      clientLogin: 'app',
      virtualHost: '/prod',
      systemHeartbeat: [5000, 5000],
      linger: 0,
      registryExpirationPeriod: 30_000,
    });
  });

  it.each([
    [{ endpoint: { path: 'ws' } }, /endpoint\.path must start with '\/'/],
    [{ tcp: { port: 70000 } }, /tcp\.port must be an integer/],
    [{ tcp: { port: Number('x') } }, /tcp\.port must be an integer/],
    [{ broker: { type: 'queue' } }, /broker\.type must be 'simple' or 'relay'/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveStompModuleOptions(options as never)).toThrow(message);
  });
});
