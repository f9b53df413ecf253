import 'reflect-metadata';
import type { IMessage } from '@stomp/stompjs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { StompServerHost } from 'nest-stomp';
import { chatAddresses, createChatApp } from '../src/chat-app.js';
import type { ChatLine, PresenceLine, PrivateLine, RoomSummary, TypingLine } from '../src/chat/chat-lines.js';
import {
  connectClient,
  tcpFactory,
  wsFactory,
  type Inbox,
  type TestClient,
} from '../../../packages/nest-stomp/test/support/stomp-test-clients.js';

/** The next message of `inbox` whose JSON body passes `match` (others, e.g. join lines, are skipped). */
async function next<T>(inbox: Inbox, match: (body: T) => boolean = () => true): Promise<T> {
  for (;;) {
    const body = JSON.parse((await inbox.next()).body) as T;
    if (match(body)) return body;
  }
}

const isMessage = (line: ChatLine) => line.type === 'message';
const json = { 'content-type': 'application/json' };

describe('chat app', () => {
  let app: NestExpressApplication;
  let http: string;
  let ws: string;
  let tcpPort: number;
  const clients: TestClient[] = [];

  async function connect(login?: string, over: 'ws' | 'tcp' = 'ws'): Promise<TestClient> {
    const client = await connectClient(over === 'ws' ? wsFactory(ws) : tcpFactory(tcpPort), login ? { login } : {});
    clients.push(client);
    return client;
  }

  function post(client: TestClient, destination: string, body: unknown): void {
    client.client.publish({ destination, body: JSON.stringify(body), headers: json });
  }

  beforeAll(async () => {
    app = await createChatApp({ tcpPort: 0, logger: false });
    await app.listen(0);
    ({ http, ws } = chatAddresses(app, '127.0.0.1'));
    tcpPort = app.get(StompServerHost).tcpEndpoint!.port;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnect()));
  });

  afterAll(async () => app.close());

  it('reports its addresses with the ports actually bound', () => {
    const where = chatAddresses(app, '127.0.0.1');
    expect(where.ws).toBe(`${http.replace('http:', 'ws:')}/ws`);
    expect(where.tcp).toBe(`tcp://127.0.0.1:${tcpPort}`);
  });

  it('GET / serves the chat page with the stompjs script and the stable element ids', async () => {
    const response = await fetch(`${http}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<script src="/vendor/stomp.umd.min.js"></script>');
    for (const id of ['name', 'connect', 'room', 'rooms', 'users', 'to', 'message', 'send', 'messages', 'typing', 'errors', 'status']) {
      expect(html).toContain(`id="${id}" data-testid="${id}"`);
    }
  });

  it('serves the stompjs browser bundle and the page script as JavaScript', async () => {
    const bundle = await fetch(`${http}/vendor/stomp.umd.min.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(10_000);
    const script = await (await fetch(`${http}/chat.js`)).text();
    for (const destination of ["'/app/chat/'", "'/app/rooms'", "'/app/presence'", "'/user/queue/errors'", "'/user/queue/private'"]) {
      expect(script).toContain(destination);
    }
  });

  it('a WebSocket user and a TCP user chat in a room through the controller, and not in another', async () => {
    const alice = await connect('alice');
    const py = await connect('py', 'tcp');
    const aliceGeneral = await alice.subscribe('/topic/chat.general');
    const pyGeneral = await py.subscribe('/topic/chat.general');
    const pyRandom = await py.subscribe('/topic/chat.random');

    post(py, '/app/chat/general', { text: 'hi from TCP' });
    const line = await next(aliceGeneral, isMessage);
    expect(line).toEqual({ id: expect.any(String), type: 'message', room: 'general', from: 'py', text: 'hi from TCP', at: expect.any(String) });
    expect(await next(pyGeneral, isMessage)).toEqual(line);

    post(alice, '/app/chat/random', { text: 'over here', from: 'mallory' }); // `from` is the server's to say
    expect(await next(pyRandom, isMessage)).toMatchObject({ from: 'alice', text: 'over here', room: 'random' });
    post(alice, '/app/chat/general', { text: 'second' });
    // Had the 'random' line leaked into 'general', it would come first here.
    expect((await next(pyGeneral, isMessage)).text).toBe('second');
  });

  it('the room list and a room\'s last lines come through @SubscribeMapping; new rooms are announced', async () => {
    const bob = await connect('bob');
    const updates = await bob.subscribe('/topic/rooms');
    const rooms = await next<RoomSummary[]>(await bob.subscribe('/app/rooms'));
    expect(rooms.map((r) => r.name)).toEqual(expect.arrayContaining(['general', 'random']));

    post(bob, '/app/chat/lab', { text: 'first in the lab' });
    const announced = await next<RoomSummary[]>(updates, (list) => list.some((r) => r.name === 'lab'));
    expect(announced.find((r) => r.name === 'lab')).toEqual({ name: 'lab', members: [] });

    const history = await next<ChatLine[]>(await bob.subscribe('/app/chat/lab/history'));
    expect(history.map((l) => [l.from, l.text])).toEqual([['bob', 'first in the lab']]);
  });

  it('presence: online/offline on /topic/presence, join and leave lines in the room, from the session events', async () => {
    const carol = await connect('carol');
    const presence = await carol.subscribe('/topic/presence');
    const room = await carol.subscribe('/topic/chat.presence-room');

    const dave = await connect('dave');
    // Matched by user: users of earlier tests may still be going offline.
    expect(await next<PresenceLine>(presence, (p) => p.user === 'dave')).toEqual({ user: 'dave', online: true, users: expect.arrayContaining(['carol', 'dave']) });
    const snapshot = await next<PresenceLine>(await dave.subscribe('/app/presence'));
    expect(snapshot.users).toEqual(expect.arrayContaining(['carol', 'dave']));
    expect(snapshot.user).toBeUndefined();

    await dave.subscribe('/topic/chat.presence-room');
    expect(await next<ChatLine>(room, (l) => l.from === 'dave')).toMatchObject({ type: 'join', room: 'presence-room' });
    const members = await next<RoomSummary[]>(await carol.subscribe('/app/rooms'));
    expect(members.find((r) => r.name === 'presence-room')!.members).toEqual(['carol', 'dave']);

    clients.splice(clients.indexOf(dave), 1);
    await dave.disconnect();
    expect(await next<ChatLine>(room, (l) => l.from === 'dave')).toMatchObject({ type: 'leave', room: 'presence-room' });
    expect(await next<PresenceLine>(presence, (p) => p.user === 'dave')).toEqual({ user: 'dave', online: false, users: expect.not.arrayContaining(['dave']) });
  });

  it('a second session of one user does not announce it twice', async () => {
    const erin1 = await connect('erin');
    const presence = await erin1.subscribe('/topic/presence');
    await connect('erin');
    await connect('frank');
    // The next user coming online is frank: erin's second tab said nothing.
    expect((await next<PresenceLine>(presence, (p) => p.online === true)).user).toBe('frank');
  });

  it('private messages reach the recipient and the sender, nobody else', async () => {
    const grace = await connect('grace');
    const heidi = await connect('heidi');
    const ivan = await connect('ivan');
    const [g, h, i] = await Promise.all([grace, heidi, ivan].map((c) => c.subscribe('/user/queue/private')));
    post(grace, '/app/private/heidi', { text: 'psst' });
    const received = await next<PrivateLine>(h!);
    expect(received).toMatchObject({ type: 'private', from: 'grace', to: 'heidi', text: 'psst' });
    expect(await next<PrivateLine>(g!)).toEqual(received);
    // ivan's next private message is his own: nothing of grace's reached him.
    post(ivan, '/app/private/grace', { text: 'mine' });
    expect((await next<PrivateLine>(i!)).text).toBe('mine');
  });

  it('refusals go to the sender\'s /user/queue/errors: offline recipient, anonymous sender, invalid text or room', async () => {
    const judy = await connect('judy');
    const errors = await judy.subscribe('/user/queue/errors');
    const error = async () => JSON.parse((await errors.next()).body) as { error: string; message: string; details?: string[] };

    post(judy, '/app/private/nobody', { text: 'hello?' });
    expect(await error()).toMatchObject({ error: 'StompException', message: 'nobody is not online' });
    post(judy, '/app/chat/general', { text: '' });
    expect((await error()).details).toEqual(['text must be longer than or equal to 1 characters']);
    post(judy, '/app/chat/general', { text: 'x'.repeat(501) });
    expect((await error()).details).toEqual(['text must be shorter than or equal to 500 characters']);
    post(judy, '/app/chat/NotLowerCase', { text: 'hi' });
    expect((await error()).message).toMatch(/^Invalid room name 'NotLowerCase'/);

    const anonymous = await connect();
    const anonymousErrors = await anonymous.subscribe('/user/queue/errors');
    post(anonymous, '/app/private/judy', { text: 'boo' });
    expect(JSON.parse((await anonymousErrors.next()).body).message).toBe('Connect with a name to send private messages');
  });

  it('typing indicators go to the room\'s typing topic', async () => {
    const kim = await connect('kim');
    const typing = await kim.subscribe('/topic/chat.general.typing');
    post(kim, '/app/chat/general/typing', { typing: true });
    expect(await next<TypingLine>(typing)).toEqual({ room: 'general', from: 'kim', typing: true });
    post(kim, '/app/chat/general/typing', { typing: false });
    expect(await next<TypingLine>(typing)).toEqual({ room: 'general', from: 'kim', typing: false });
  });

  it('refuses a CONNECT whose login is not a valid name', async () => {
    await expect(connectClient(wsFactory(ws), { login: 'no spaces!' })).rejects.toThrow(/Invalid name 'no spaces!'/);
  });

  it('anonymous sessions may read and post', async () => {
    const anonymous = await connect();
    const room = await anonymous.subscribe('/topic/chat.quiet');
    post(anonymous, '/app/chat/quiet', { text: 'hello' });
    const line: IMessage = await room.next();
    expect(JSON.parse(line.body)).toMatchObject({ from: 'anonymous', text: 'hello' });
  });
});
