import 'reflect-metadata';
import { Controller, Injectable, Module, Scope, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  DestinationVariable,
  MessageMapping,
  SendTo,
  SendToUser,
  StompHandlerExplorer,
  StompModule,
  SubscribeMapping,
} from '../../src/index.js';
import { bootRoutingApp, type RoutingApp } from './routing-test-app.js';

/** Boots (init only) and returns the bootstrap error. */
async function bootError(controllers: Function[], providers: Function[] = []): Promise<Error> {
  const moduleRef = await Test.createTestingModule({
    imports: [StompModule.forRoot({ endpoint: false })],
    controllers: controllers as never[],
    providers: providers as never[],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
  } catch (error) {
    return error as Error;
  } finally {
    await app.close().catch(() => undefined);
  }
  throw new Error('boot succeeded');
}

describe('bootstrap validation', () => {
  it('rejects the same mapping on two handlers, naming both', async () => {
    @Controller()
    class A {
      @MessageMapping('/dup')
      one() {}
    }
    @Controller()
    class B {
      @MessageMapping('/dup')
      two() {}
    }
    expect((await bootError([A, B])).message).toBe("Duplicate STOMP mapping '/dup': A.one and B.two");
  });

  it('accepts the same pattern once for SEND and once for SUBSCRIBE', async () => {
    @Controller()
    class Both {
      @MessageMapping('/same')
      send() {}
      @SubscribeMapping('/same')
      subscribe() {}
    }
    const t = await bootRoutingApp({ controllers: [Both] });
    const router = t.app.get(StompHandlerExplorer).applicationRouter!;
    expect([router.messages.size, router.subscriptions.size]).toEqual([1, 1]);
    await t.close();
  });

  it('rejects a @SendTo placeholder the mapping does not capture', async () => {
    @Controller()
    class C {
      @MessageMapping('/room/{room}')
      @SendTo('/topic/{rom}')
      post() {}
    }
    expect((await bootError([C])).message).toBe("C.post: destination '/topic/{rom}' uses {rom}, which its mapping does not capture");
  });

  it('rejects a @SendToUser placeholder the mapping does not capture', async () => {
    @Controller()
    class C {
      @MessageMapping('/plain')
      @SendToUser('/queue/{x}')
      post() {}
    }
    expect((await bootError([C])).message).toMatch(/uses \{x\}/);
  });

  it('rejects a @DestinationVariable the mapping does not capture', async () => {
    @Controller()
    class D {
      @MessageMapping('/room/{room}')
      post(@DestinationVariable('roomId') _room: string) {}
    }
    expect((await bootError([D])).message).toBe("D.post: @DestinationVariable('roomId') is not captured by '/room/{room}'");
  });

  it('rejects a malformed pattern', async () => {
    @Controller()
    class E {
      @MessageMapping('/price*')
      post() {}
    }
    expect((await bootError([E])).message).toMatch(/Invalid STOMP mapping on E.post/);
  });

  it('rejects a mapping without any destination', async () => {
    @Controller()
    class F {
      @MessageMapping()
      post() {}
    }
    expect((await bootError([F])).message).toBe('F.post: a STOMP mapping needs a destination pattern');
  });

  it('rejects handlers on request-scoped classes', async () => {
    @Controller({ scope: Scope.REQUEST })
    class G {
      @MessageMapping('/scoped')
      post() {}
    }
    expect((await bootError([G])).message).toBe('G.post: STOMP handlers must live in singleton-scoped classes');
  });
});

// ---- discovery across modules ----------------------------------------------------------------

@Injectable()
class FeatureSecret {
  readonly allowed = new Set(['/app/feature/open']);
}

/** Provided only inside FeatureModule: resolving it proves the guard was built in the right module. */
@Injectable()
class FeatureGuard implements CanActivate {
  constructor(private readonly secret: FeatureSecret) {}
  canActivate(context: ExecutionContext): boolean {
    return this.secret.allowed.has(context.switchToWs().getPattern() as string);
  }
}

@Controller()
@MessageMapping('/feature')
@UseGuards(FeatureGuard)
class FeatureController {
  @MessageMapping('/open')
  open() {
    return 'open';
  }
  @MessageMapping('/closed')
  closed() {
    return 'closed';
  }
}

/** Handlers may live on providers too (Nest gateways are providers). */
@Injectable()
class FeatureHandlers {
  @MessageMapping('/provider/ping')
  @UseGuards(FeatureGuard)
  ping() {
    return 'pong';
  }
}

@Module({ controllers: [FeatureController], providers: [FeatureSecret, FeatureHandlers] })
class FeatureModule {}

describe('discovery', () => {
  let t: RoutingApp;
  beforeAll(async () => {
    t = await bootRoutingApp({ imports: [FeatureModule] });
  });
  afterAll(() => t.close());

  it('finds controllers of imported modules and runs their class guards with that module DI', async () => {
    const c = await t.connect();
    const open = await c.subscribe('/topic/feature/open');
    const closed = await c.subscribe('/topic/feature/closed');
    c.client.publish({ destination: '/app/feature/closed', body: '' });
    c.client.publish({ destination: '/app/feature/open', body: '' });
    expect((await open.next()).body).toBe('open');
    const leaked: string[] = [];
    void closed.next().then((m) => leaked.push(m.body));
    c.client.publish({ destination: '/app/feature/open', body: '' });
    expect((await open.next()).body).toBe('open');
    expect(leaked).toEqual([]);
  });

  it('finds handlers on providers; their guards apply (the guard denies /app/provider/ping)', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/provider/ping');
    t.app.get(FeatureSecret).allowed.add('/app/provider/ping');
    c.client.publish({ destination: '/app/provider/ping', body: '' });
    expect((await inbox.next()).body).toBe('pong');
    t.app.get(FeatureSecret).allowed.delete('/app/provider/ping');
    const open = await c.subscribe('/topic/feature/open');
    c.client.publish({ destination: '/app/provider/ping', body: '' });
    c.client.publish({ destination: '/app/feature/open', body: '' });
    expect((await open.next()).body).toBe('open');
    const leaked: string[] = [];
    void inbox.next().then((m) => leaked.push(m.body));
    c.client.publish({ destination: '/app/feature/open', body: '' });
    await open.next();
    expect(leaked).toEqual([]);
  });
});
