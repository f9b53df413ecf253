// STOMP 1.2 "Connecting": CONNECT/STOMP, version negotiation, CONNECTED headers, host, WS sub-protocols.
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

describe.each(TRANSPORTS)('connecting over %s', (transport) => {
  let ts: TestServer;
  beforeEach(async () => {
    ts = await startServer({ serverName: 'nest-stomp-e2e/1.0' });
  });

  it.each([['CONNECT'], ['STOMP']])('accepts the %s command', async (command) => {
    const raw = await RawClient.open(ts, transport);
    const connected = await raw.connect({ 'accept-version': '1.2', host: 'localhost' }, command);
    expect(connected.headers.version).toBe('1.2');
    // The session works: a receipt comes back.
    await raw.sync();
  });

  it('CONNECTED carries version, session, server and heart-beat', async () => {
    const raw = await RawClient.open(ts, transport);
    const connected = await raw.connect({ 'accept-version': '1.1,1.2', 'heart-beat': '0,0' });
    expect(connected.headers.version).toBe('1.2');
    expect(connected.headers.session).toEqual(expect.any(String));
    expect(connected.headers.session!.length).toBeGreaterThan(0);
    expect(connected.headers.server).toBe('nest-stomp-e2e/1.0');
    expect(connected.headers['heart-beat']).toMatch(/^\d+,\d+$/);
    // The session id is the server's session id.
    expect(ts.server.sessions.has(connected.headers.session!)).toBe(true);
  });

  it('without accept-version the client speaks 1.0 (SUBSCRIBE without id is fine)', async () => {
    const raw = await RawClient.open(ts, transport);
    const connected = await raw.connect({});
    // 1.0 CONNECTED has no version header; if present it must say 1.0.
    expect([undefined, '1.0']).toContain(connected.headers.version);
    const session = ts.server.sessions.get(connected.headers.session!);
    expect(session?.version).toBe('1.0');
    // STOMP 1.0: SUBSCRIBE `id` is optional; a 1.2 session would get an ERROR here.
    raw.send('SUBSCRIBE', { destination: '/topic/v10', receipt: 'sub' });
    await raw.receipt('sub');
    raw.send('SEND', { destination: '/topic/v10' }, 'hello 1.0');
    const message = await raw.waitFor((f) => f.command === 'MESSAGE');
    expect(message.body.toString()).toBe('hello 1.0');
    expect(message.headers.destination).toBe('/topic/v10');
    // STOMP 1.0: UNSUBSCRIBE may name the subscription by its destination.
    raw.send('UNSUBSCRIBE', { destination: '/topic/v10', receipt: 'unsub' });
    await raw.receipt('unsub');
    raw.send('SEND', { destination: '/topic/v10', receipt: 'after' }, 'not for me');
    await raw.receipt('after');
    expect(raw.messages()).toHaveLength(1);
  });

  it.each([
    ['1.0,1.1', '1.1'],
    ['1.2', '1.2'],
    ['1.0', '1.0'],
    ['1.1,1.0', '1.1'],
    ['1.0,1.1,1.2', '1.2'],
    ['1.1,2.0', '1.1'],
  ])('accept-version %s negotiates %s', async (offered, expected) => {
    const raw = await RawClient.open(ts, transport);
    const connected = await raw.connect({ 'accept-version': offered });
    expect(connected.headers.version ?? '1.0').toBe(expected);
    expect(ts.server.sessions.get(connected.headers.session!)?.version).toBe(expected);
  });

  it('no common version: ERROR with a version header listing 1.0,1.1,1.2, then close', async () => {
    const raw = await RawClient.open(ts, transport);
    raw.send('CONNECT', { 'accept-version': '2.0', host: 'x' });
    const error = await raw.expectErrorThenClose();
    const versions = error.headers.version!.split(',').map((v) => v.trim());
    expect(versions.sort()).toEqual(['1.0', '1.1', '1.2']);
    expect(raw.frames.all.some((f) => f.command === 'CONNECTED')).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['arbitrary', 'some.virtual.host'],
    ['a RabbitMQ vhost', '/'],
  ])('accepts a %s host header', async (_label, host) => {
    const raw = await RawClient.open(ts, transport);
    const headers: Record<string, string> = { 'accept-version': '1.2' };
    if (host !== undefined) headers.host = host;
    const connected = await raw.connect(headers);
    expect(connected.headers.version).toBe('1.2');
  });

  it('a real stompjs client connects and gets CONNECTED 1.2', async () => {
    const client = await connectClient(ts, transport);
    expect(client.connectedFrame.headers.version).toBe('1.2');
    expect(client.connectedFrame.headers.server).toBe('nest-stomp-e2e/1.0');
  });

  it('emits session-connected with the negotiated version and transport', async () => {
    const connected = ts.nextSession();
    const raw = await RawClient.open(ts, transport);
    const frame = await raw.connect({ 'accept-version': '1.1' });
    const session = await connected;
    expect(session.id).toBe(frame.headers.session);
    expect(session.version).toBe('1.1');
    expect(session.transport).toBe(transport);
  });
});

describe('WebSocket sub-protocol', () => {
  let ts: TestServer;
  beforeEach(async () => {
    ts = await startServer();
  });

  it.each([
    [['v10.stomp', 'v11.stomp', 'v12.stomp'], 'v12.stomp'],
    [['v12.stomp', 'v11.stomp', 'v10.stomp'], 'v12.stomp'],
    [['v11.stomp'], 'v11.stomp'],
    [['v10.stomp', 'v11.stomp'], 'v11.stomp'],
    [['v10.stomp'], 'v10.stomp'],
  ])('offered %j → answers %s', async (offered, expected) => {
    const raw = await RawClient.open(ts, 'ws', { protocols: offered });
    expect(raw.ws!.protocol).toBe(expected);
    await raw.connect({ 'accept-version': '1.0,1.1,1.2' });
  });

  it('a client offering no sub-protocol still speaks STOMP', async () => {
    const raw = await RawClient.open(ts, 'ws', { protocols: [] });
    expect(raw.ws!.protocol).toBe('');
    await raw.connect();
    await raw.sync();
  });

  it('stompjs over ws negotiates v12.stomp', async () => {
    const client = await connectClient(ts, 'ws');
    expect(client.ws!.protocol).toBe('v12.stomp');
  });
});
