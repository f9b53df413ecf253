// Destination rules (server option `rules`) through real sockets: each outcome for CONNECT, SEND,
// SUBSCRIBE and MESSAGE, rule order, default deny, {var} captures, async voters, frames without a
// destination, transactions. Every refusal is an ERROR "Access denied" + close, and other sessions
// keep working.
import { StompErrorCode, type AccessRequest, type DestinationRule, type StompServerInit } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS, type Transport } from '../support/raw-client.js';
import { connectClient, type TestClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { deferred } from '../support/wait.js';

useCleanup();

/** `login: x` authenticates as { name: x, rooms: <rooms header> }; no login stays anonymous. */
const authenticate: StompServerInit['authenticate'] = ({ headers }) =>
  headers.login ? { name: headers.login, rooms: (headers.rooms ?? '').split(',') } : undefined;

/** Rules every test starts from: connecting and frames without destination are free, /topic/sync too. */
const BASE: DestinationRule[] = [
  { frames: ['CONNECT', 'NO_DESTINATION'], access: 'permit' },
  { destinations: ['/topic/sync'], access: 'permit' },
];

async function serve(rules: DestinationRule[], init: StompServerInit = {}): Promise<TestServer> {
  return startServer({ authenticate, rules, ...init });
}

function login(ts: TestServer, transport: Transport, name?: string, rooms?: string): Promise<TestClient> {
  const connectHeaders: Record<string, string> = name ? { login: name, passcode: 'x' } : {};
  if (rooms !== undefined) connectHeaders.rooms = rooms;
  return connectClient(ts, transport, { connectHeaders });
}

async function rawLogin(ts: TestServer, transport: Transport, name?: string): Promise<{ raw: RawClient; session: string }> {
  const raw = await RawClient.open(ts, transport);
  const frame = await raw.connect(name ? { 'accept-version': '1.2', login: name } : { 'accept-version': '1.2' });
  return { raw, session: frame.headers.session! };
}

/** The frame is refused: ERROR "Access denied" with its receipt-id, the close, code ACCESS_DENIED. */
async function expectDenied(ts: TestServer, raw: RawClient, session: string, receipt: string): Promise<void> {
  const error = await raw.expectErrorThenClose();
  expect(error.headers.message).toBe('Access denied');
  expect(error.headers['receipt-id']).toBe(receipt);
  expect((await ts.sessionClosed(session))?.code).toBe(StompErrorCode.ACCESS_DENIED);
}

describe.each(TRANSPORTS)('destination rules over %s', (transport) => {
  const rules: DestinationRule[] = [
    ...BASE,
    { frames: ['SEND', 'SUBSCRIBE'], destinations: ['/topic/public.**'], access: 'permit' },
    { frames: ['SEND', 'SUBSCRIBE'], destinations: ['/topic/closed.**'], access: 'deny' },
    { frames: ['SEND', 'SUBSCRIBE'], destinations: ['/topic/members.**'], access: 'authenticated' },
  ];

  it('permit: SEND and SUBSCRIBE work for anyone', async () => {
    const ts = await serve(rules);
    const reader = await login(ts, transport);
    const inbox = await reader.subscribe('/topic/public.news');
    const writer = await login(ts, transport);
    await writer.publish('/topic/public.news', 'hello');
    expect((await inbox.next()).body).toBe('hello');
  });

  it('deny: a SEND is refused with ERROR + close and reaches nobody; others keep working', async () => {
    const ts = await serve([...rules, { frames: ['SUBSCRIBE'], destinations: ['/topic/closed.**'], access: 'permit' }]);
    // The SUBSCRIBE rule above comes after the deny: it never applies (first match wins).
    const bystander = await login(ts, transport, 'carol');
    const inbox = await bystander.subscribe('/topic/public.room');
    const { raw, session } = await rawLogin(ts, transport, 'mallory');
    raw.send('SEND', { destination: '/topic/closed.room', receipt: 'r-1' }, 'forbidden');
    await expectDenied(ts, raw, session, 'r-1');
    await bystander.publish('/topic/public.room', 'still here');
    expect((await inbox.next()).body).toBe('still here');
  });

  it('deny: a SUBSCRIBE is refused and never registered', async () => {
    const ts = await serve(rules);
    const { raw, session } = await rawLogin(ts, transport, 'mallory');
    raw.send('SUBSCRIBE', { id: 's1', destination: '/topic/closed.room', receipt: 'r-sub' });
    await expectDenied(ts, raw, session, 'r-sub');
    expect(ts.server.userRegistry.getUser('mallory')).toBeUndefined();
    expect((ts.server.broker as unknown as { subscriptionCount: number }).subscriptionCount).toBe(0);
    expect(ts.closedEvents.find((e) => e.session.id === session)?.session.subscriptions.size).toBe(0);
  });

  it('authenticated: anonymous is refused, a principal is permitted', async () => {
    const ts = await serve(rules);
    const member = await login(ts, transport, 'alice');
    const inbox = await member.subscribe('/topic/members.lounge');
    await member.publish('/topic/members.lounge', 'for members');
    expect((await inbox.next()).body).toBe('for members');
    const { raw, session } = await rawLogin(ts, transport);
    raw.send('SUBSCRIBE', { id: 's1', destination: '/topic/members.lounge', receipt: 'anon' });
    await expectDenied(ts, raw, session, 'anon');
    await member.sync();
    expect(member.isClosed).toBe(false);
  });

  it('default deny: once rules exist, a destination no rule matches is refused', async () => {
    const ts = await serve(rules);
    const { raw, session } = await rawLogin(ts, transport, 'alice');
    raw.send('SEND', { destination: '/queue/unlisted', receipt: 'unlisted' }, 'x');
    await expectDenied(ts, raw, session, 'unlisted');
  });

  it('default deny covers CONNECT: without a CONNECT rule nobody connects, nothing after it runs', async () => {
    const ts = await serve([{ destinations: ['/topic/**'], access: 'permit' }]);
    const raw = await RawClient.open(ts, transport);
    const closed = ts.nextSessionClosed().then(([, error]) => error?.code);
    raw.send('CONNECT', { 'accept-version': '1.2', login: 'alice' });
    raw.send('SEND', { destination: '/topic/x', receipt: 'after' }, 'x');
    const error = await raw.expectErrorThenClose();
    expect(error.headers.message).toBe('Access denied');
    expect(raw.frames.all.map((f) => f.command)).toEqual(['ERROR']);
    expect(await closed).toBe(StompErrorCode.ACCESS_DENIED);
  });
});

describe('rule outcomes in detail', () => {
  it('CONNECT authenticated: an anonymous CONNECT gets ERROR, never CONNECTED; a principal connects', async () => {
    const ts = await serve([{ frames: ['CONNECT'], access: 'authenticated' }, { access: 'permit' }]);
    const raw = await RawClient.open(ts, 'tcp');
    raw.send('CONNECT', { 'accept-version': '1.2' });
    raw.send('SUBSCRIBE', { id: '1', destination: '/topic/x', receipt: 'sub' });
    const error = await raw.expectErrorThenClose();
    expect(error.headers.message).toBe('Access denied');
    expect(raw.frames.all.map((f) => f.command)).toEqual(['ERROR']);
    const alice = await login(ts, 'ws', 'alice');
    expect(alice.connectedFrame.headers['user-name']).toBe('alice');
  });

  it('rule order: the first matching rule decides, also when a later rule is a literal', async () => {
    const ts = await serve([
      ...BASE,
      { frames: ['SEND'], destinations: ['/topic/a.**'], access: 'deny' },
      { frames: ['SEND'], destinations: ['/topic/a.open'], access: 'permit' }, // shadowed by the pattern
      { frames: ['SEND'], destinations: ['/topic/b.open'], access: 'permit' },
      { frames: ['SEND'], destinations: ['/topic/b.*'], access: 'deny' },
    ]);
    const alice = await rawLogin(ts, 'tcp', 'alice');
    alice.raw.send('SEND', { destination: '/topic/b.open', receipt: 'b-open' });
    await alice.raw.receipt('b-open');
    alice.raw.send('SEND', { destination: '/topic/b.other', receipt: 'b-other' });
    await expectDenied(ts, alice.raw, alice.session, 'b-other');
    const bob = await rawLogin(ts, 'tcp', 'bob');
    bob.raw.send('SEND', { destination: '/topic/a.open', receipt: 'a-open' });
    await expectDenied(ts, bob.raw, bob.session, 'a-open');
  });

  it('a voter sees the {var} captures, the principal, the frame; the same destination is decided per session', async () => {
    const seen: AccessRequest[] = [];
    const ts = await serve([
      ...BASE,
      {
        frames: ['SUBSCRIBE', 'SEND'],
        destinations: ['/topic/room.{room}'],
        access: (request) => {
          seen.push(request);
          return (request.principal?.rooms as string[] | undefined)?.includes(request.variables.room!) === true;
        },
      },
    ]);
    const alice = await login(ts, 'ws', 'alice', 'red,blue');
    const inbox = await alice.subscribe('/topic/room.red');
    await alice.publish('/topic/room.red', 'in red');
    expect((await inbox.next()).body).toBe('in red');
    expect(seen[0]).toEqual(
      expect.objectContaining({ command: 'SUBSCRIBE', destination: '/topic/room.red', variables: { room: 'red' } }),
    );
    expect(seen[0]!.frame?.headers.id).toEqual(expect.any(String));
    const { raw, session } = await rawLogin(ts, 'tcp', 'bob');
    raw.send('SUBSCRIBE', { id: 's', destination: '/topic/room.red', receipt: 'bob-red' });
    await expectDenied(ts, raw, session, 'bob-red');
  });

  it('an async voter: later frames wait for it; a rejection or a throw denies', async () => {
    const gate = deferred<boolean>();
    const ts = await serve([
      ...BASE,
      { frames: ['SEND'], destinations: ['/topic/slow'], access: () => gate.promise },
      { frames: ['SEND'], destinations: ['/topic/broken'], access: () => Promise.reject(new Error('db down')) },
      { frames: ['SEND'], destinations: ['/topic/throws'], access: () => { throw new Error('bug'); } },
      { frames: ['SEND', 'SUBSCRIBE'], destinations: ['/topic/fast'], access: 'permit' },
    ]);
    const reader = await login(ts, 'tcp', 'reader');
    const inbox = await reader.subscribe('/topic/fast');
    const { raw } = await rawLogin(ts, 'ws', 'alice');
    raw.send('SEND', { destination: '/topic/slow', receipt: 'slow' }, 'first');
    raw.send('SEND', { destination: '/topic/fast', receipt: 'fast' }, 'second');
    await reader.sync();
    expect(inbox.bodies).toEqual([]); // held behind the pending decision
    gate.resolve(true);
    await raw.receipt('fast');
    expect(raw.frames.all.filter((f) => f.command === 'RECEIPT').map((f) => f.headers['receipt-id'])).toEqual(['slow', 'fast']);
    expect((await inbox.next()).body).toBe('second');
    for (const destination of ['/topic/broken', '/topic/throws']) {
      const client = await rawLogin(ts, 'tcp', 'eve');
      client.raw.send('SEND', { destination, receipt: destination });
      await expectDenied(ts, client.raw, client.session, destination);
    }
  });

  it('frames without a destination: NO_DESTINATION rules decide ACK, UNSUBSCRIBE, BEGIN, DISCONNECT', async () => {
    const ts = await serve([
      { frames: ['CONNECT', 'DISCONNECT'], access: 'permit' },
      { frames: ['SUBSCRIBE', 'UNSUBSCRIBE'], access: 'permit' },
      { frames: ['BEGIN'], access: 'deny' },
    ]);
    const { raw, session } = await rawLogin(ts, 'tcp', 'alice');
    raw.send('SUBSCRIBE', { id: '1', destination: '/topic/x', receipt: 'sub' });
    await raw.receipt('sub');
    raw.send('UNSUBSCRIBE', { id: '1', receipt: 'unsub' });
    await raw.receipt('unsub');
    raw.send('BEGIN', { transaction: 't', receipt: 'begin' });
    await expectDenied(ts, raw, session, 'begin');
    const other = await rawLogin(ts, 'tcp', 'bob');
    other.raw.send('ACK', { id: 'nope', receipt: 'ack' }); // no rule for ACK: denied before the broker sees it
    await expectDenied(ts, other.raw, other.session, 'ack');
    const polite = await rawLogin(ts, 'ws', 'carol');
    polite.raw.send('DISCONNECT', { receipt: 'bye' });
    await polite.raw.receipt('bye');
  });

  it('a SEND inside a transaction is checked when it arrives, not at COMMIT', async () => {
    const ts = await serve([...BASE, { frames: ['SEND', 'SUBSCRIBE'], destinations: ['/queue/ok'], access: 'permit' }]);
    const consumer = await login(ts, 'tcp', 'consumer');
    const inbox = await consumer.subscribe('/queue/ok');
    const { raw, session } = await rawLogin(ts, 'tcp', 'alice');
    raw.send('BEGIN', { transaction: 't' });
    raw.send('SEND', { destination: '/queue/ok', transaction: 't' }, 'ok');
    raw.send('SEND', { destination: '/queue/denied', transaction: 't', receipt: 'in-tx' }, 'no');
    await expectDenied(ts, raw, session, 'in-tx');
    await consumer.sync();
    expect(inbox.bodies).toEqual([]); // the transaction died with the session
  });

  it('invalid rules fail at construction, naming the rule', async () => {
    await expect(serve([{ frames: ['SENDD' as 'SEND'], access: 'permit' }])).rejects.toThrow(/rules\[0\].*SENDD/);
    await expect(serve([{ destinations: ['/topic/a*'], access: 'permit' }])).rejects.toThrow(/rules\[0\]/);
    await expect(serve([{ access: 'allow' as 'permit' }])).rejects.toThrow(/rules\[0\]: access/);
    await expect(serve([{ frames: ['NO_DESTINATION'], destinations: ['/x'], access: 'permit' }])).rejects.toThrow(/NO_DESTINATION/);
  });
});

describe('MESSAGE rules (outbound)', () => {
  it('filter what each subscription receives; the subscriber stays connected', async () => {
    const ts = await serve([
      ...BASE,
      { frames: ['SEND', 'SUBSCRIBE'], destinations: ['/topic/prices.**', '/queue/jobs'], access: 'permit' },
      {
        frames: ['MESSAGE'],
        destinations: ['/topic/prices.{tier}.**'],
        access: ({ principal, variables, message }) =>
          variables.tier === 'free' || (principal?.rooms as string[] | undefined)?.includes('premium') === true || message?.headers['x-public'] === 'yes',
      },
      { frames: ['MESSAGE'], destinations: ['/topic/sync', '/queue/jobs'], access: 'permit' },
    ]);
    const premium = await login(ts, 'ws', 'alice', 'premium');
    const basic = await login(ts, 'tcp', 'bob', '');
    const premiumInbox = await premium.subscribe('/topic/prices.*.**');
    const basicInbox = await basic.subscribe('/topic/prices.*.**');
    const producer = await login(ts, 'tcp', 'producer');
    await producer.publish('/topic/prices.free.mmm', 'free-1');
    await producer.publish('/topic/prices.gold.mmm', 'gold-1');
    await producer.publish('/topic/prices.gold.mmm', 'gold-public', { 'x-public': 'yes' });
    await producer.publish('/topic/prices.free.mmm', 'free-2');
    expect((await premiumInbox.take(4)).map((m) => m.body)).toEqual(['free-1', 'gold-1', 'gold-public', 'free-2']);
    expect((await basicInbox.take(3)).map((m) => m.body)).toEqual(['free-1', 'gold-public', 'free-2']);
    await basic.sync();
    expect(basicInbox.bodies).toEqual(['free-1', 'gold-public', 'free-2']);
    expect(basic.isClosed).toBe(false);
  });

  it("'deny' and 'authenticated' on MESSAGE: anonymous subscribers miss members-only messages, nobody gets denied ones", async () => {
    const ts = await serve([
      ...BASE,
      { frames: ['SEND', 'SUBSCRIBE'], destinations: ['/topic/**'], access: 'permit' },
      { frames: ['MESSAGE'], destinations: ['/topic/members'], access: 'authenticated' },
      { frames: ['MESSAGE'], destinations: ['/topic/never'], access: 'deny' },
      { frames: ['MESSAGE'], access: 'permit' },
    ]);
    const member = await login(ts, 'tcp', 'alice');
    const anonymous = await login(ts, 'ws');
    const inboxes = await Promise.all([member, anonymous].map((c) => c.subscribe('/topic/*')));
    for (const destination of ['/topic/members', '/topic/never', '/topic/open']) await member.publish(destination, destination);
    expect((await inboxes[0]!.take(2)).map((m) => m.body)).toEqual(['/topic/members', '/topic/open']);
    expect((await inboxes[1]!.take(1)).map((m) => m.body)).toEqual(['/topic/open']);
    await Promise.all([member.sync(), anonymous.sync()]);
    expect(inboxes.map((inbox) => inbox.bodies.filter((b) => b !== ''))).toEqual([['/topic/members', '/topic/open'], ['/topic/open']]);
  });

  it('an unmatched MESSAGE is withheld (default deny); a withheld client-individual queue message is acked for the client', async () => {
    const ts = await serve([
      ...BASE,
      { frames: ['SEND', 'SUBSCRIBE', 'ACK'], destinations: ['/queue/**'], access: 'permit' },
      { frames: ['ACK'], access: 'permit' },
      { frames: ['MESSAGE'], destinations: ['/topic/sync'], access: 'permit' },
      { frames: ['MESSAGE'], destinations: ['/queue/mixed'], access: ({ message }) => message?.headers.secret !== 'yes' },
    ]);
    const consumer = await login(ts, 'tcp', 'alice');
    const inbox = await consumer.subscribe('/queue/mixed', { ack: 'client-individual' });
    const producer = await login(ts, 'ws', 'producer');
    await producer.publish('/queue/mixed', 'visible-1');
    await producer.publish('/queue/mixed', 'hidden', { secret: 'yes' });
    await producer.publish('/queue/mixed', 'visible-2');
    const got = await inbox.take(2);
    expect(got.map((m) => m.body)).toEqual(['visible-1', 'visible-2']);
    for (const message of got) message.ack();
    await consumer.sync();
    const broker = ts.server.broker as unknown as { unackedCount(destination: string): number; queueDepth(destination: string): number };
    expect(broker.unackedCount('/queue/mixed')).toBe(0);
    expect(broker.queueDepth('/queue/mixed')).toBe(0);
  });
});
