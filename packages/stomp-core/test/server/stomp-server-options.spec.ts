import { resolveServerOptions } from '../../src/server/stomp-server-options.js';
import { StompServer } from '../../src/server/stomp-server.js';

describe('resolveServerOptions: issue 3 options', () => {
  it('defaults: /user prefix, receive order preserved, no authenticator, no interceptors', () => {
    const options = resolveServerOptions();
    expect(options.userDestinationPrefix).toBe('/user');
    expect(options.preserveReceiveOrder).toBe(true);
    expect(options.authenticate).toBeUndefined();
    expect(options.interceptors).toBeUndefined();
  });

  it('an option given as undefined keeps its default; given values win', () => {
    const authenticate = () => undefined;
    const options = resolveServerOptions({
      userDestinationPrefix: undefined,
      preserveReceiveOrder: false,
      heartbeat: undefined,
      authenticate,
      interceptors: [],
    });
    expect(options.userDestinationPrefix).toBe('/user');
    expect(options.heartbeat).toEqual([10_000, 10_000]);
    expect(options.preserveReceiveOrder).toBe(false);
    expect(options.authenticate).toBe(authenticate);
    expect(options.interceptors).toEqual([]);
  });

  it('the server resolves user destinations under its configured prefix', async () => {
    const server = new StompServer({ userDestinationPrefix: '/me/' });
    expect(server.userDestinations.prefix).toBe('/me');
    expect(server.userDestinations.isUserDestination('/me/queue/x')).toBe(true);
    expect(server.userDestinations.isUserDestination('/user/queue/x')).toBe(false);
    await server.close();
  });

  it('session ids never contain "-" (the owner of a resolved name follows its last "-user")', async () => {
    const server = new StompServer();
    for (let i = 0; i < 2000; i++) expect(server.newSessionId()).toMatch(/^[A-Za-z0-9_]{16}$/);
    await server.close();
  });
});

describe('resolveServerOptions: security options', () => {
  it('connection limits: defaults 10000 total, per address off; bad values fail', () => {
    const options = resolveServerOptions();
    expect(options.maxConnections).toBe(10_000);
    expect(options.maxConnectionsPerAddress).toBe(0);
    expect(options.rules).toBeUndefined();
    expect(options.csrf).toBeUndefined();
    expect(() => resolveServerOptions({ maxConnections: -1 })).toThrow(/maxConnections must be a non-negative integer/);
    expect(() => resolveServerOptions({ maxConnectionsPerAddress: 1.5 })).toThrow(/maxConnectionsPerAddress/);
  });

  it('no rules and an empty rule list check nothing; configureSecurity compiles them once', () => {
    expect(new StompServer().rules).toBeUndefined();
    expect(new StompServer({ rules: [] }).rules).toBeUndefined();
    const server = new StompServer();
    server.configureSecurity({ rules: [{ access: 'permit' }], csrf: true });
    expect(server.rules).toBeDefined();
    expect(server.csrf).toBeDefined();
    expect(() => server.configureSecurity({ rules: [{ access: 'maybe' as 'permit' }] })).toThrow(/rules\[0\]: access/);
  });
});
