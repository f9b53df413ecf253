// Authentication in Nest's idiom: an authenticator provider resolved through DI (injecting a
// service) sees the CONNECT headers and the upgrade request (query, cookies); its principal is on
// the session, in guards, in @Principal(), the user of /user/ destinations and CONNECTED's
// user-name; a refusal is ERROR + close with nothing else processed. WebSocket and TCP.
import {
  Controller,
  Injectable,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { useCleanup } from '../../../../test/support/cleanup.js';
import { TRANSPORTS } from '../../../../test/support/raw-client.js';
import {
  MessageMapping,
  Principal,
  SendToUser,
  StompErrorCode,
  type StompAuthenticationRequest,
  type StompAuthenticator,
  type StompPrincipal,
  type StompSession,
} from '../../src/index.js';
import { readCookie } from '@nest-stomp/core';
import { bootSecurityApp } from './security-test-app.js';

useCleanup();

@Injectable()
class UsersService {
  readonly lookups: string[] = [];
  private readonly passwords = new Map([['alice', 'wonderland'], ['admin', 'root']]);
  private readonly tokens = new Map([['tok-bob', 'bob'], ['tok-carol', 'carol']]);
  checkPassword(login: string, passcode: string | undefined): boolean {
    this.lookups.push(login);
    return this.passwords.get(login) === passcode;
  }
  userForToken(token: string): string | undefined {
    return this.tokens.get(token);
  }
}

/** Login/passcode, a bearer header, `?token=` on the WS URL or a `session` cookie; none: anonymous. */
@Injectable()
class AppAuthenticator implements StompAuthenticator {
  readonly seen: StompAuthenticationRequest[] = [];
  constructor(private readonly users: UsersService) {}

  async authenticate(request: StompAuthenticationRequest): Promise<StompPrincipal | undefined> {
    this.seen.push(request);
    const { headers, upgradeRequest } = request;
    if (headers.login !== undefined) {
      if (!this.users.checkPassword(headers.login, headers.passcode)) throw new UnauthorizedException('Bad credentials');
      return { name: headers.login, roles: headers.login === 'admin' ? ['admin'] : [] };
    }
    const token = bearer(headers.authorization) ?? queryToken(upgradeRequest) ?? readCookie(upgradeRequest?.headers.cookie, 'session');
    if (token === undefined) return undefined;
    const name = this.users.userForToken(token);
    if (name === undefined) throw new Error(`unknown token ${token} (internal detail)`);
    return { name, roles: [] };
  }
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function queryToken(request: IncomingMessage | undefined): string | undefined {
  if (request?.url === undefined) return undefined;
  return new URL(request.url, 'http://x').searchParams.get('token') ?? undefined;
}

@Injectable()
class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const session = context.switchToWs().getClient<StompSession>();
    return (session.principal?.roles as string[] | undefined)?.includes('admin') === true;
  }
}

@Controller()
class WhoAmIController {
  @MessageMapping('/whoami')
  @SendToUser('/queue/me')
  whoami(@Principal() principal?: StompPrincipal): string {
    return principal?.name ?? 'anonymous';
  }

  @MessageMapping('/admin')
  @SendToUser('/queue/me')
  @UseGuards(AdminGuard)
  admin(@Principal() principal: StompPrincipal): string {
    return `admin ${principal.name}`;
  }
}

function boot() {
  return bootSecurityApp({
    stomp: { authenticator: AppAuthenticator },
    controllers: [WhoAmIController],
    providers: [UsersService, AppAuthenticator, AdminGuard],
  });
}

describe.each(TRANSPORTS)('authenticator provider over %s', (transport) => {
  it('login/passcode: CONNECTED user-name, session.principal, @Principal(), /user/ replies, registry', async () => {
    const ts = await boot();
    const alice = await ts.connect(transport, { login: 'alice', passcode: 'wonderland' });
    const inbox = await alice.subscribe('/user/queue/me');
    alice.client.publish({ destination: '/app/whoami' });
    const reply = await inbox.next();
    expect(reply.body).toBe('alice');
    expect(reply.headers.destination).toBe('/user/queue/me');
    const users = ts.app.get(UsersService);
    expect(users.lookups).toEqual(['alice']); // the injected service did the check
    const user = ts.server.userRegistry.getUser('alice')!;
    const session = ts.server.sessions.get([...user.sessions.keys()][0]!)!;
    expect(session.principal).toEqual({ name: 'alice', roles: [] });
    expect(session.transport).toBe(transport);
  });

  it('the CONNECTED frame names the user', async () => {
    const ts = await boot();
    const raw = await ts.raw(transport);
    const connected = await raw.connect({ 'accept-version': '1.2', login: 'alice', passcode: 'wonderland' });
    expect(connected.headers['user-name']).toBe('alice');
  });

  it.each([
    ['a wrong passcode', { login: 'alice', passcode: 'guess' }, 'Bad credentials'],
    ['no passcode', { login: 'alice' }, 'Bad credentials'],
    ['an unknown token (internals not shown)', { authorization: 'Bearer forged' }, 'Authentication failed'],
  ])('%s: ERROR + close, nothing after the CONNECT processed', async (_what, credentials, message) => {
    const ts = await boot();
    const watcher = await ts.connect(transport, { login: 'admin', passcode: 'root' });
    const inbox = await watcher.subscribe('/topic/room');
    const raw = await ts.raw(transport);
    raw.send('CONNECT', { 'accept-version': '1.2', ...credentials });
    raw.send('SUBSCRIBE', { id: '1', destination: '/topic/room', receipt: 'sub' });
    raw.send('SEND', { destination: '/topic/room', receipt: 'send' }, 'smuggled');
    const error = await raw.expectErrorThenClose();
    expect(error.headers.message).toBe(message);
    expect(error.body.toString()).not.toContain('internal detail');
    expect(raw.frames.all.map((f) => f.command)).toEqual(['ERROR']);
    // The other session is untouched and nothing smuggled reached it.
    watcher.client.publish({ destination: '/topic/room', body: 'legit' });
    expect((await inbox.next()).body).toBe('legit');
    expect(ts.server.userRegistry.getUser('alice')).toBeUndefined();
  });

  it('no credentials: an anonymous session; a class guard denies what needs a role', async () => {
    const ts = await boot();
    const anonymous = await ts.connect(transport);
    const inbox = await anonymous.subscribe('/user/queue/me');
    anonymous.client.publish({ destination: '/app/whoami' });
    expect((await inbox.next()).body).toBe('anonymous');
    const admin = await ts.connect(transport, { login: 'admin', passcode: 'root' });
    const adminInbox = await admin.subscribe('/user/queue/me');
    admin.client.publish({ destination: '/app/admin' });
    expect((await adminInbox.next()).body).toBe('admin admin');
    const errors = await anonymous.subscribe('/user/queue/errors');
    anonymous.client.publish({ destination: '/app/admin' });
    expect(JSON.parse((await errors.next()).body)).toEqual(expect.objectContaining({ error: 'ForbiddenException' }));
  });
});

describe('authenticator provider: the upgrade request (WebSocket only)', () => {
  it('a token in the query string', async () => {
    const ts = await boot();
    const bob = await ts.connect('ws', {}, { query: '?token=tok-bob' });
    const inbox = await bob.subscribe('/user/queue/me');
    bob.client.publish({ destination: '/app/whoami' });
    expect((await inbox.next()).body).toBe('bob');
    const seen = ts.app.get(AppAuthenticator).seen;
    expect(seen.at(-1)!.upgradeRequest?.url).toBe('/ws?token=tok-bob');
  });

  it('a session cookie; over TCP there is no upgrade request', async () => {
    const ts = await boot();
    const carol = await ts.connect('ws', {}, { headers: { cookie: 'theme=dark; session=tok-carol' } });
    const inbox = await carol.subscribe('/user/queue/me');
    carol.client.publish({ destination: '/app/whoami' });
    expect((await inbox.next()).body).toBe('carol');
    await ts.connect('tcp');
    expect(ts.app.get(AppAuthenticator).seen.at(-1)!.upgradeRequest).toBeUndefined();
  });

  it('a forged token in the query string is refused before CONNECTED', async () => {
    const ts = await boot();
    await expect(ts.connect('ws', {}, { query: '?token=nope' })).rejects.toThrow(/Authentication failed/);
  });
});

describe('authenticator options', () => {
  it('an instance works too; giving authenticate and authenticator together fails at boot', async () => {
    const users = new UsersService();
    const ts = await bootSecurityApp({ stomp: { authenticator: new AppAuthenticator(users) } });
    const raw = await ts.raw('tcp');
    expect((await raw.connect({ 'accept-version': '1.2', login: 'alice', passcode: 'wonderland' })).headers['user-name']).toBe('alice');
    await expect(
      bootSecurityApp({ stomp: { authenticator: AppAuthenticator, authenticate: () => undefined }, providers: [UsersService, AppAuthenticator] }),
    ).rejects.toThrow(/either authenticate .* or authenticator/);
  });

  it('the function option: a Nest HttpException keeps its message, any other error does not', async () => {
    const ts = await bootSecurityApp({
      stomp: {
        authenticate: ({ headers }) => {
          if (headers.login === 'locked') throw new UnauthorizedException('Account locked');
          if (headers.login === 'bug') throw new TypeError('secret stack detail');
          return { name: headers.login ?? 'anon' };
        },
      },
    });
    for (const [login, message] of [['locked', 'Account locked'], ['bug', 'Authentication failed']] as const) {
      const raw = await ts.raw('tcp');
      raw.send('CONNECT', { 'accept-version': '1.2', login });
      expect((await raw.expectErrorThenClose()).headers.message).toBe(message);
    }
  });

  it('an unregistered authenticator class is created in the module scope with global providers', async () => {
    @Injectable()
    class Standalone implements StompAuthenticator {
      authenticate({ headers }: StompAuthenticationRequest): StompPrincipal | undefined {
        if (headers.passcode !== 'ok') throw new UnauthorizedException('Nope');
        return { name: headers.login ?? 'x' };
      }
    }
    const ts = await bootSecurityApp({ stomp: { authenticator: Standalone } });
    const raw = await ts.raw('ws');
    expect((await raw.connect({ 'accept-version': '1.2', login: 'dan', passcode: 'ok' })).headers['user-name']).toBe('dan');
    const refused = await ts.raw('tcp');
    refused.send('CONNECT', { 'accept-version': '1.2', login: 'dan', passcode: 'bad' });
    expect((await refused.expectErrorThenClose()).headers.message).toBe('Nope');
    expect(StompErrorCode.AUTHENTICATION_FAILED).toBe('STOMP_AUTHENTICATION_FAILED');
  });
});
