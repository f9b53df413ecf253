// Channel interceptors (server option `interceptors`): inbound frames can be changed, replaced or
// dropped before they are handled; outbound frames (CONNECTED, MESSAGE, RECEIPT, ERROR) are seen
// and can be changed or dropped too.
import {
  StompError,
  StompErrorCode,
  type ChannelDirection,
  type ChannelInterceptor,
  type StompFrame,
  type StompSession,
} from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer } from '../support/test-server.js';

useCleanup();

interface Seen {
  direction: ChannelDirection;
  phase: 'pre' | 'post';
  command: string;
  headers: Record<string, string>;
  body: string;
}

/** Records every call, copying the frame as it was at that moment. */
function recorder(log: Seen[]): ChannelInterceptor {
  const note = (phase: Seen['phase'], frame: StompFrame, direction: ChannelDirection): void => {
    log.push({ direction, phase, command: frame.command, headers: { ...frame.headers }, body: frame.body.toString() });
  };
  return {
    preSend: (frame, _session, direction) => note('pre', frame, direction),
    postSend: (frame, _session, direction) => note('post', frame, direction),
  };
}

describe.each(TRANSPORTS)('channel interceptors over %s', (transport) => {
  it('inbound: change a frame in place, replace it, or drop it (no RECEIPT, no effect)', async () => {
    const log: Seen[] = [];
    const ts = await startServer({
      interceptors: [
        {
          preSend(frame, _session, direction) {
            if (direction !== 'inbound' || frame.command !== 'SEND') return;
            if (frame.headers['x-drop'] !== undefined) return null;
            if (frame.headers.destination === '/topic/old') frame.headers.destination = '/topic/new';
            if (frame.headers['x-upper'] !== undefined) {
              return { ...frame, headers: { ...frame.headers, 'x-upper': 'done' }, body: Buffer.from(frame.body.toString().toUpperCase()) };
            }
          },
        },
        recorder(log),
      ],
    });
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 'n', destination: '/topic/new' });
    raw.send('SEND', { destination: '/topic/old', receipt: 'moved' }, 'moved');
    raw.send('SEND', { destination: '/topic/new', 'x-drop': '1', receipt: 'dropped' }, 'dropped');
    raw.send('SEND', { destination: '/topic/new', 'x-upper': '1', receipt: 'upper' }, 'shout');
    await raw.receipt('upper');
    const messages = raw.messages();
    expect(messages.map((m) => m.body.toString())).toEqual(['moved', 'SHOUT']);
    expect(messages[1]!.headers['x-upper']).toBe('done');
    expect(raw.frames.all.filter((f) => f.command === 'RECEIPT').map((f) => f.headers['receipt-id'])).toEqual(['moved', 'upper']);
    // Later interceptors see the changed frame; a dropped frame reaches no later interceptor and no postSend.
    const sends = log.filter((e) => e.direction === 'inbound' && e.command === 'SEND');
    expect(sends.map((e) => `${e.phase} ${e.headers.destination} ${e.body}`)).toEqual([
      'pre /topic/new moved',
      'post /topic/new moved',
      'pre /topic/new SHOUT',
      'post /topic/new SHOUT',
    ]);
  });

  it('outbound: CONNECTED, MESSAGE (user-facing destination), RECEIPT and ERROR are seen; MESSAGE can be changed or dropped', async () => {
    const log: Seen[] = [];
    const ts = await startServer({
      authenticate: ({ headers }) => ({ name: headers.login ?? 'anon' }),
      interceptors: [
        {
          preSend(frame, _session, direction) {
            if (direction !== 'outbound' || frame.command !== 'MESSAGE') return;
            if (frame.body.toString() === 'secret') return null;
            frame.headers['x-seen'] = 'yes';
          },
        },
        recorder(log),
      ],
    });
    const raw = await RawClient.open(ts, transport);
    await raw.connect({ 'accept-version': '1.2', login: 'alice' });
    raw.send('SUBSCRIBE', { id: 'me', destination: '/user/queue/x', receipt: 'sub' });
    await raw.receipt('sub');
    ts.server.sendToUser('alice', '/queue/x', 'secret');
    ts.server.sendToUser('alice', '/queue/x', 'public');
    const message = await raw.waitFor((f) => f.command === 'MESSAGE');
    expect(message.body.toString()).toBe('public');
    expect(message.headers['x-seen']).toBe('yes');
    expect(message.headers.destination).toBe('/user/queue/x');
    expect(message.headers.subscription).toBe('me');
    raw.send('UNSUBSCRIBE', { id: 'nope' });
    await raw.expectErrorThenClose();
    expect(raw.messages()).toHaveLength(1);

    const outbound = log.filter((e) => e.direction === 'outbound' && e.phase === 'pre');
    expect(outbound.map((e) => e.command)).toEqual(['CONNECTED', 'RECEIPT', 'MESSAGE', 'ERROR']);
    expect(outbound[0]!.headers['user-name']).toBe('alice');
    expect(outbound[2]!.headers).toEqual(
      expect.objectContaining({ destination: '/user/queue/x', subscription: 'me', 'x-seen': 'yes' }),
    );
    expect(outbound[3]!.headers.message).toMatch(/nope/);
    // The dropped MESSAGE got no postSend.
    expect(log.filter((e) => e.direction === 'outbound' && e.phase === 'post').map((e) => e.command)).toEqual([
      'CONNECTED',
      'RECEIPT',
      'MESSAGE',
      'ERROR',
    ]);
  });

  it('an inbound interceptor may authenticate on CONNECT and deny a SUBSCRIBE with a StompError', async () => {
    const ts = await startServer({
      interceptors: [
        {
          preSend(frame, session: StompSession, direction) {
            if (direction !== 'inbound') return;
            if (frame.command === 'CONNECT' && frame.headers.token === 't-bob') session.principal = { name: 'bob' };
            if (frame.command === 'SUBSCRIBE' && frame.headers.destination!.startsWith('/topic/admin')) {
              throw new StompError(StompErrorCode.ACCESS_DENIED, `${session.principal?.name} may not read ${frame.headers.destination}`);
            }
          },
        },
      ],
    });
    const client = await connectClient(ts, transport, { connectHeaders: { token: 't-bob' } });
    expect(client.connectedFrame.headers['user-name']).toBe('bob');
    const news = await client.subscribe('/topic/news');
    await client.publish('/topic/news', 'ok');
    expect((await news.next()).body).toBe('ok');
    client.subscribeNow('/topic/admin.log');
    expect((await client.nextError()).headers.message).toBe('bob may not read /topic/admin.log');
    await client.waitClosed();
  });
});

describe('channel interceptors: cost and failures', () => {
  it('without interceptors MESSAGE frames are byte-identical to the intercepted-and-unchanged ones', async () => {
    const plain = await startServer();
    const intercepted = await startServer({ interceptors: [{ preSend: () => undefined }] });
    const bodies: string[] = [];
    for (const ts of [plain, intercepted]) {
      const raw = await RawClient.open(ts, 'tcp');
      await raw.connect();
      raw.send('SUBSCRIBE', { id: 's', destination: '/topic/t', ack: 'client' });
      raw.send('SEND', { destination: '/topic/t', 'content-type': 'text/plain', 'x-a': 'a:b' }, 'body');
      bodies.push((await raw.waitFor((f) => f.command === 'MESSAGE')).raw.toString());
    }
    expect(bodies[1]).toBe(bodies[0]);
  });

  it('an outbound interceptor that throws ends the session with ERROR; the ERROR itself still goes out', async () => {
    const ts = await startServer({
      interceptors: [
        {
          preSend(frame, _session, direction) {
            if (direction === 'outbound' && frame.command !== 'CONNECTED') throw new Error('broken interceptor');
          },
        },
      ],
    });
    const raw = await RawClient.open(ts, 'ws');
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 's', destination: '/topic/t' });
    raw.send('SEND', { destination: '/topic/t' }, 'x');
    const error = await raw.expectErrorThenClose();
    expect(error.headers.message).toBe('Internal server error');
    expect(raw.messages()).toHaveLength(0);
  });
});
