// Destination rules in the module options with Nest guard classes resolved through DI (injected
// services, context type 'stomp', {var} captures in getData().variables), for SEND, SUBSCRIBE and
// MESSAGE; controllers' own guards still run on top.
import { Controller, Injectable, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { of, delay, type Observable } from 'rxjs';
import { useCleanup } from '../../../../test/support/cleanup.js';
import { TRANSPORTS } from '../../../../test/support/raw-client.js';
import {
  MessageMapping,
  SendToUser,
  StompDestinationRules,
  StompErrorCode,
  type StompDestinationRule,
  type StompMessage,
  type StompSession,
} from '../../src/index.js';
import { bootSecurityApp } from './security-test-app.js';

useCleanup();

@Injectable()
class RoomsService {
  private readonly members = new Map([['red', new Set(['alice', 'carol'])], ['blue', new Set(['bob'])]]);
  isMember(user: string | undefined, room: string | undefined): boolean {
    return user !== undefined && room !== undefined && this.members.get(room)?.has(user) === true;
  }
  leave(user: string, room: string): void {
    this.members.get(room)?.delete(user);
  }
}

@Injectable()
class Audit {
  readonly seen: Array<{ type: string; command: string; destination: string; variables: unknown; cls: unknown; user: unknown }> = [];
}

/** A guard with injected services, as a rule's access. */
@Injectable()
class RoomMemberGuard implements CanActivate {
  constructor(
    private readonly rooms: RoomsService,
    private readonly audit: Audit,
  ) {}
  canActivate(context: ExecutionContext): boolean {
    const session = context.switchToWs().getClient<StompSession>();
    const message = context.switchToWs().getData<StompMessage>();
    this.audit.seen.push({
      type: context.getType(),
      command: message.command,
      destination: message.destination,
      variables: message.variables,
      cls: context.getClass(),
      user: session.principal?.name,
    });
    return this.rooms.isMember(session.principal?.name, message.variables.room);
  }
}

/** Async guards: a Promise and an Observable. */
@Injectable()
class SlowPromiseGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    return context.switchToWs().getData<StompMessage>().headers['x-pass'] === 'yes';
  }
}

@Injectable()
class ObservableGuard implements CanActivate {
  canActivate(context: ExecutionContext): Observable<boolean> {
    return of(context.switchToWs().getClient<StompSession>().principal !== undefined).pipe(delay(1));
  }
}

@Injectable()
class AdminOnly implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToWs().getClient<StompSession>().principal?.name === 'admin';
  }
}

@Controller()
class OpsController {
  @MessageMapping('/ops/restart')
  @SendToUser('/queue/ops')
  @UseGuards(AdminOnly)
  restart(): string {
    return 'restarted';
  }
}

const RULES: StompDestinationRule[] = [
  { frames: ['CONNECT', 'NO_DESTINATION'], access: 'permit' },
  { frames: ['SUBSCRIBE', 'SEND'], destinations: ['/topic/room.{room}'], access: [RoomMemberGuard] },
  { frames: ['MESSAGE'], destinations: ['/topic/room.{room}'], access: RoomMemberGuard },
  { frames: ['SEND'], destinations: ['/topic/slow'], access: [SlowPromiseGuard] },
  { frames: ['SEND', 'SUBSCRIBE'], destinations: ['/topic/observed'], access: [ObservableGuard] },
  { frames: ['MESSAGE'], destinations: ['/topic/slow', '/topic/observed', '/user/**'], access: 'permit' },
  { frames: ['SUBSCRIBE'], destinations: ['/topic/slow', '/user/queue/**'], access: 'authenticated' },
  { frames: ['SEND'], destinations: ['/app/**'], access: 'authenticated' },
  // Spring's advice: nobody touches raw queues; user queues go through /user/.
  { destinations: ['/queue/**'], access: 'deny' },
];

function boot() {
  return bootSecurityApp({
    stomp: {
      rules: RULES,
      authenticate: ({ headers }) => (headers.login ? { name: headers.login } : undefined),
    },
    controllers: [OpsController],
    providers: [RoomsService, Audit, RoomMemberGuard, SlowPromiseGuard, ObservableGuard, AdminOnly],
  });
}

describe.each(TRANSPORTS)('rules with guard classes over %s', (transport) => {
  it('a guard with injected services permits members and denies others (ERROR Access denied + close)', async () => {
    const ts = await boot();
    const alice = await ts.connect(transport, { login: 'alice' });
    const inbox = await alice.subscribe('/topic/room.red');
    alice.client.publish({ destination: '/topic/room.red', body: 'hi red' });
    expect((await inbox.next()).body).toBe('hi red');
    const audit = ts.app.get(Audit).seen;
    expect(audit[0]).toEqual({
      type: 'stomp',
      command: 'SUBSCRIBE',
      destination: '/topic/room.red',
      variables: { room: 'red' },
      cls: StompDestinationRules,
      user: 'alice',
    });
    const bob = await ts.raw(transport);
    await bob.connect({ 'accept-version': '1.2', login: 'bob' });
    bob.send('SUBSCRIBE', { id: 's', destination: '/topic/room.red', receipt: 'spy' });
    const error = await bob.expectErrorThenClose();
    expect(error.headers.message).toBe('Access denied');
    expect(error.headers['receipt-id']).toBe('spy');
    const eve = await ts.raw(transport);
    await eve.connect({ 'accept-version': '1.2', login: 'eve' });
    eve.send('SEND', { destination: '/topic/room.red', receipt: 'inject' }, 'fake');
    expect((await eve.expectErrorThenClose()).headers['receipt-id']).toBe('inject');
    alice.client.publish({ destination: '/topic/room.red', body: 'still fine' });
    expect((await inbox.next()).body).toBe('still fine');
  });

  it('a MESSAGE rule re-checks every delivery: after leaving the room, nothing more arrives', async () => {
    const ts = await boot();
    const alice = await ts.connect(transport, { login: 'alice' });
    const carol = await ts.connect(transport, { login: 'carol' });
    const aliceInbox = await alice.subscribe('/topic/room.red');
    const carolInbox = await carol.subscribe('/topic/room.red');
    carol.client.publish({ destination: '/topic/room.red', body: 'one' });
    expect((await aliceInbox.next()).body).toBe('one');
    expect((await carolInbox.next()).body).toBe('one');
    ts.app.get(RoomsService).leave('alice', 'red');
    carol.client.publish({ destination: '/topic/room.red', body: 'two' });
    expect((await carolInbox.next()).body).toBe('two');
    ts.server.publish('/topic/room.red', 'three');
    expect((await carolInbox.next()).body).toBe('three');
    const marker = await alice.subscribe('/user/queue/ops');
    ts.server.sendToUser('alice', '/queue/ops', 'marker'); // after 'two' and 'three' in alice's stream
    expect((await marker.next()).body).toBe('marker');
    // Deliveries of one session are in order: 'two' or 'three' would have come before the marker.
    expect((aliceInbox as unknown as { messages: unknown[] }).messages).toHaveLength(0);
  });

  it('async guards (Promise, Observable) decide too; later frames wait for them', async () => {
    const ts = await boot();
    const alice = await ts.connect(transport, { login: 'alice' });
    const slow = await alice.subscribe('/topic/slow');
    const observed = await alice.subscribe('/topic/observed');
    alice.client.publish({ destination: '/topic/slow', body: 'passed', headers: { 'x-pass': 'yes' } });
    alice.client.publish({ destination: '/topic/observed', body: 'after' });
    expect((await slow.next()).body).toBe('passed');
    expect((await observed.next()).body).toBe('after');
    const raw = await ts.raw(transport);
    await raw.connect({ 'accept-version': '1.2', login: 'bob' });
    raw.send('SEND', { destination: '/topic/slow', receipt: 'no-pass' }, 'x');
    expect((await raw.expectErrorThenClose()).headers.message).toBe('Access denied');
    const anonymous = await ts.raw(transport);
    await anonymous.connect({ 'accept-version': '1.2' });
    anonymous.send('SUBSCRIBE', { id: '1', destination: '/topic/observed', receipt: 'obs' });
    expect((await anonymous.expectErrorThenClose()).headers['receipt-id']).toBe('obs');
  });

  it("the rule lets SEND /app/** through for principals; the controller's own guard still decides", async () => {
    const ts = await boot();
    const admin = await ts.connect(transport, { login: 'admin' });
    const adminOps = await admin.subscribe('/user/queue/ops');
    admin.client.publish({ destination: '/app/ops/restart' });
    expect((await adminOps.next()).body).toBe('restarted');
    const alice = await ts.connect(transport, { login: 'alice' });
    const errors = await alice.subscribe('/user/queue/errors');
    alice.client.publish({ destination: '/app/ops/restart' });
    expect(JSON.parse((await errors.next()).body)).toEqual(expect.objectContaining({ error: 'ForbiddenException' }));
    const anonymous = await ts.raw(transport);
    await anonymous.connect({ 'accept-version': '1.2' });
    anonymous.send('SEND', { destination: '/app/ops/restart', receipt: 'anon' }, '');
    const error = await anonymous.expectErrorThenClose();
    expect(error.headers.message).toBe('Access denied');
  });

  it('raw queues are denied; /user/ queues work for their owner only', async () => {
    const ts = await boot();
    const alice = await ts.connect(transport, { login: 'alice' });
    const own = await alice.subscribe('/user/queue/ops');
    ts.server.sendToUser('alice', '/queue/ops', 'for alice');
    expect((await own.next()).body).toBe('for alice');
    const aliceSession = [...ts.server.userRegistry.getUser('alice')!.sessions.keys()][0]!;
    const closed = new Promise<string | undefined>((resolve) => ts.server.once('session-closed', (_s, e) => resolve(e?.code)));
    const bob = await ts.raw(transport);
    await bob.connect({ 'accept-version': '1.2', login: 'bob' });
    bob.send('SUBSCRIBE', { id: '1', destination: `/queue/ops-user${aliceSession}`, receipt: 'steal' });
    expect((await bob.expectErrorThenClose()).headers.message).toBe('Access denied');
    expect(await closed).toBe(StompErrorCode.ACCESS_DENIED);
  });
});
