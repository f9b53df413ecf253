import 'reflect-metadata';
import {
  Catch,
  Controller,
  Injectable,
  ParseIntPipe,
  SetMetadata,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
  createParamDecorator,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IsInt, IsString, Max, MinLength } from 'class-validator';
import { map, type Observable } from 'rxjs';
import {
  DestinationVariable,
  MessageMapping,
  Payload,
  StompException,
  StompMessage,
  StompServer,
  type StompSession,
} from '../../src/index.js';
import { bootRoutingApp, json, sendWithReceipt, type RoutingApp } from './routing-test-app.js';

/** What the guards saw, for assertions. */
@Injectable()
class Audit {
  readonly entries: Array<{ type: string; client: unknown; data: unknown; pattern: unknown; handler: string }> = [];
  readonly calls: string[] = [];
}

@Injectable()
class Policy {
  readonly denied = new Set(['/app/secure/forbidden']);
  allows(destination: string): boolean {
    return !this.denied.has(destination);
  }
}

/** A class guard with injected dependencies: the case Nest 12.5.1 was seen to skip on controllers. */
@Injectable()
class PolicyGuard implements CanActivate {
  constructor(
    private readonly policy: Policy,
    private readonly audit: Audit,
  ) {}
  canActivate(context: ExecutionContext): boolean {
    const ws = context.switchToWs();
    this.audit.entries.push({
      type: context.getType(),
      client: ws.getClient(),
      data: ws.getData(),
      pattern: ws.getPattern(),
      handler: context.getHandler().name,
    });
    return this.policy.allows(ws.getData<StompMessage>().destination);
  }
}

@Injectable()
class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Injectable()
class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.get<string[] | undefined>('roles', context.getHandler());
    const principal = context.switchToWs().getClient<StompSession>().principal;
    return !roles || roles.includes(String(principal?.role));
  }
}

@Injectable()
class WrapInterceptor implements NestInterceptor {
  constructor(private readonly audit: Audit) {}
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.audit.calls.push(`intercept:${context.getType()}`);
    return next.handle().pipe(map((value) => ({ wrapped: value })));
  }
}

class PostDto {
  @IsString()
  @MinLength(2)
  text!: string;

  @IsInt()
  @Max(10)
  priority!: number;

  describe(): string {
    return `${this.text}/${this.priority}`;
  }
}

@Catch(StompException)
class ReplyFilter implements ExceptionFilter {
  catch(exception: StompException, host: ArgumentsHost) {
    const message = host.switchToWs().getData<StompMessage>();
    return { filtered: exception.message, type: host.getType(), destination: message.destination };
  }
}

@Catch()
@Injectable()
class PublishingFilter implements ExceptionFilter {
  constructor(private readonly server: StompServer) {}
  catch(exception: Error) {
    this.server.publish('/topic/filtered', `caught: ${exception.message}`);
    return null; // handled, nothing for the error queue
  }
}

const SessionIdFromContext = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  context.switchToWs().getClient<StompSession>().id,
);

@Controller()
@MessageMapping('/secure')
@UseGuards(PolicyGuard)
class SecureController {
  constructor(private readonly audit: Audit) {}

  @MessageMapping('/allowed')
  allowed() {
    this.audit.calls.push('allowed');
    return 'allowed';
  }

  @MessageMapping('/forbidden')
  forbidden() {
    this.audit.calls.push('forbidden');
    return 'should never be sent';
  }
}

@Controller()
class EnhancedController {
  constructor(private readonly audit: Audit) {}

  @MessageMapping('/deny')
  @UseGuards(DenyGuard)
  deny() {
    this.audit.calls.push('deny');
    return 'should never be sent';
  }

  @MessageMapping('/admin')
  @SetMetadata('roles', ['admin'])
  @UseGuards(RolesGuard)
  admin() {
    return 'admin only';
  }

  @MessageMapping('/wrapped')
  @UseInterceptors(WrapInterceptor)
  wrapped(@Payload() n: number) {
    return n + 1;
  }

  @MessageMapping('/posts')
  @UsePipes(new ValidationPipe({ transform: true }))
  post(@Payload() post: PostDto) {
    return { isDto: post instanceof PostDto, describe: post.describe() };
  }

  @MessageMapping('/items/{id}')
  item(@DestinationVariable('id', ParseIntPipe) id: number) {
    return { id, type: typeof id };
  }

  @MessageMapping('/custom-param')
  customParam(@SessionIdFromContext() id: string) {
    return id;
  }

  @MessageMapping('/filtered')
  @UseFilters(ReplyFilter)
  filtered() {
    throw new StompException('nope');
  }

  @MessageMapping('/publishing-filter')
  @UseFilters(PublishingFilter)
  publishingFilter() {
    throw new Error('boom');
  }
}

describe('Nest enhancers on STOMP handlers', () => {
  let t: RoutingApp;
  let audit: Audit;
  beforeAll(async () => {
    t = await bootRoutingApp({
      controllers: [SecureController, EnhancedController],
      providers: [Audit, Policy],
    });
    audit = t.app.get(Audit);
  });
  afterAll(() => t.close());

  it('a class-level guard with injected dependencies runs with the stomp context, and allows', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/secure/allowed');
    const before = audit.entries.length;
    c.client.publish({ destination: '/app/secure/allowed', body: '' });
    expect((await inbox.next()).body).toBe('allowed');
    const entry = audit.entries[before]!;
    expect(entry.type).toBe('stomp');
    expect((entry.client as StompSession).id).toBeDefined();
    expect(t.server.sessions.get((entry.client as StompSession).id)).toBe(entry.client);
    expect(entry.data).toBeInstanceOf(StompMessage);
    expect((entry.data as StompMessage).destination).toBe('/app/secure/allowed');
    expect(entry.pattern).toBe('/app/secure/allowed');
    expect(entry.handler).toBe('allowed');
  });

  it('the same class-level guard denies: the handler does not run, the sender hears 403 on /user/queue/errors, the connection stays', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    const topic = await c.subscribe('/topic/secure/forbidden');
    await sendWithReceipt(c.client, '/app/secure/forbidden');
    const error = await errors.next();
    expect(json(error.body)).toEqual({ error: 'ForbiddenException', status: 403, message: 'Forbidden resource' });
    expect(error.headers['destination-origin']).toBe('/app/secure/forbidden');
    expect(audit.calls).not.toContain('forbidden');
    const leaked: string[] = [];
    void topic.next().then((m) => leaked.push(m.body));
    // Still connected and served.
    const ok = await c.subscribe('/topic/secure/allowed');
    c.client.publish({ destination: '/app/secure/allowed', body: '' });
    expect((await ok.next()).body).toBe('allowed');
    expect(leaked).toEqual([]);
  });

  it('a method-level class guard denies', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    await sendWithReceipt(c.client, '/app/deny');
    expect(json((await errors.next()).body)).toMatchObject({ error: 'ForbiddenException' });
    expect(audit.calls).not.toContain('deny');
  });

  it('guards read handler metadata through Reflector and the principal from the session', async () => {
    const admin = await t.connect('root', 'admin');
    const user = await t.connect('joe');
    const inbox = await admin.subscribe('/topic/admin');
    const errors = await user.subscribe('/user/queue/errors');
    user.client.publish({ destination: '/app/admin', body: '' });
    expect(json((await errors.next()).body)).toMatchObject({ error: 'ForbiddenException' });
    admin.client.publish({ destination: '/app/admin', body: '' });
    expect((await inbox.next()).body).toBe('admin only');
  });

  it('an interceptor (class, with DI) maps the result', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/wrapped');
    c.client.publish({ destination: '/app/wrapped', body: '41' });
    expect(json((await inbox.next()).body)).toEqual({ wrapped: 42 });
    expect(audit.calls).toContain('intercept:stomp');
  });

  it('ValidationPipe turns a valid payload into the DTO instance', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/posts');
    c.client.publish({ destination: '/app/posts', body: JSON.stringify({ text: 'hello', priority: 3 }) });
    expect(json((await inbox.next()).body)).toEqual({ isDto: true, describe: 'hello/3' });
  });

  it('ValidationPipe rejects an invalid payload: the messages go to /user/queue/errors, the connection stays', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    const posts = await c.subscribe('/topic/posts');
    await sendWithReceipt(c.client, '/app/posts', JSON.stringify({ text: 'x', priority: 99 }));
    const error = json((await errors.next()).body) as { error: string; status: number; details: string[]; message: string };
    expect(error.error).toBe('BadRequestException');
    expect(error.status).toBe(400);
    expect(error.details).toEqual(expect.arrayContaining(['text must be longer than or equal to 2 characters', 'priority must not be greater than 10']));
    expect(error.message).toContain('priority must not be greater than 10');
    c.client.publish({ destination: '/app/posts', body: JSON.stringify({ text: 'ok', priority: 1 }) });
    expect(json((await posts.next()).body)).toEqual({ isDto: true, describe: 'ok/1' });
  });

  it('parameter pipes apply to destination variables', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/items/17');
    c.client.publish({ destination: '/app/items/17', body: '' });
    expect(json((await inbox.next()).body)).toEqual({ id: 17, type: 'number' });
    const errors = await c.subscribe('/user/queue/errors');
    c.client.publish({ destination: '/app/items/abc', body: '' });
    expect(json((await errors.next()).body)).toMatchObject({ error: 'BadRequestException', status: 400 });
  });

  it('custom parameter decorators from createParamDecorator get the stomp ExecutionContext', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/custom-param');
    c.client.publish({ destination: '/app/custom-param', body: '' });
    const id = (await inbox.next()).body;
    expect(t.server.sessions.has(id)).toBe(true);
  });

  it('an exception filter handles the error; what it returns goes to the sender error queue', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    await sendWithReceipt(c.client, '/app/filtered');
    const error = await errors.next();
    expect(json(error.body)).toEqual({ filtered: 'nope', type: 'stomp', destination: '/app/filtered' });
    expect(error.headers['destination-origin']).toBe('/app/filtered');
  });

  it('a filter (class, with DI) that handles the error itself and returns null sends nothing to the error queue', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    const filtered = await c.subscribe('/topic/filtered');
    await sendWithReceipt(c.client, '/app/publishing-filter');
    expect((await filtered.next()).body).toBe('caught: boom');
    const got: string[] = [];
    void errors.next().then((m) => got.push(m.body));
    await sendWithReceipt(c.client, '/topic/marker', '');
    expect(got).toEqual([]);
  });
});
