import { readPayload, writePayload } from '../../src/context/payload-converter.js';
import { DestinationTemplate } from '../../src/routing/destination-template.js';
import { ApplicationPrefixes, joinPatterns } from '../../src/routing/route-path.js';
import { RouteTable } from '../../src/routing/route-table.js';
import { StompException, resolveStompModuleOptions, toErrorPayload } from '../../src/index.js';
import { BadRequestException, ForbiddenException } from '@nestjs/common';
import { StompError, StompErrorCode } from '@nest-stomp/core';

describe('joinPatterns', () => {
  it.each([
    ['', '/greeting', '/greeting'],
    ['', 'greeting', '/greeting'],
    ['/chat', '/room/{room}', '/chat/room/{room}'],
    ['/chat', 'room', '/chat/room'],
    ['/chat/', '/room', '/chat/room'],
    ['/chat/', 'room', '/chat/room'],
    ['/chat', '', '/chat'],
    ['red', 'blue.{green}', '/red.blue.{green}'],
    ['price.stock', 'x', '/price.stock.x'],
    ['/chat', '.room', '/chat.room'],
    ['/chat', 'room.{id}', '/chat/room.{id}'],
  ])('%s + %s = %s', (prefix, pattern, joined) => {
    expect(joinPatterns(prefix, pattern)).toBe(joined);
  });
});

describe('ApplicationPrefixes', () => {
  const prefixes = new ApplicationPrefixes(['/app', '/rpc/']);
  it('strips the prefix and keeps the leading slash', () => {
    expect(prefixes.lookup('/app/greeting')).toBe('/greeting');
    expect(prefixes.lookup('/rpc/a.b')).toBe('/a.b');
  });
  it('does not take look-alike or bare prefixes', () => {
    expect(prefixes.lookup('/application/x')).toBeUndefined();
    expect(prefixes.lookup('/app')).toBeUndefined();
    expect(prefixes.lookup('/topic/app')).toBeUndefined();
  });
  it('rejects a prefix without a leading slash', () => {
    expect(() => new ApplicationPrefixes(['app'])).toThrow(/must start with '\/'/);
  });
});

describe('RouteTable', () => {
  it('matches literal mappings exactly and wildcard ones most specific first', () => {
    const table = new RouteTable<string>();
    table.add('/a/**', () => 'any', 'A.any');
    table.add('/a/*/c', () => 'star', 'A.star');
    table.add('/a/{x}/c', () => 'var', 'A.var'); // same specificity as '/a/*/c', declared later
    table.add('/a/b/c', () => 'exact', 'A.exact');
    expect(table.match('/a/b/c')).toEqual({ target: 'exact', variables: {} });
    expect(table.match('/a/z/c')!.target).toBe('star');
    expect(table.match('/a/z/d')!.target).toBe('any');
    expect(table.match('/b')).toBeUndefined();
    expect(table.size).toBe(4);
  });

  it('returns the captures of the matched pattern', () => {
    const table = new RouteTable<string>();
    table.add('/room/{room}/user.{id}', () => 't', 'R.t');
    expect(table.match('/room/general/user.7')!.variables).toEqual({ room: 'general', id: '7' });
  });

  it('hands the build function the pattern variables', () => {
    const table = new RouteTable<readonly string[]>();
    table.add('/x/{a}/{b}', (variables) => variables, 'X.y');
    table.add('/lit', (variables) => variables, 'X.z');
    expect(table.match('/x/1/2')!.target).toEqual(['a', 'b']);
    expect(table.match('/lit')!.target).toEqual([]);
  });

  it('rejects duplicate and malformed mappings naming the handlers', () => {
    const table = new RouteTable<string>();
    table.add('/a/{x}', () => 'one', 'A.one');
    expect(() => table.add('/a/{x}', () => 'two', 'B.two')).toThrow("Duplicate STOMP mapping '/a/{x}': A.one and B.two");
    expect(() => table.add('/a/b*', () => 'bad', 'C.bad')).toThrow(/Invalid STOMP mapping on C.bad/);
  });
});

describe('DestinationTemplate', () => {
  it('fills placeholders anywhere in the destination', () => {
    const template = new DestinationTemplate('/topic/chat.{room}.{kind}-x');
    expect(template.variables).toEqual(['room', 'kind']);
    expect(template.fill({ room: 'general', kind: 'text' })).toBe('/topic/chat.general.text-x');
    expect(new DestinationTemplate('/topic/plain').fill({})).toBe('/topic/plain');
  });
  it('rejects an unclosed placeholder', () => {
    expect(() => new DestinationTemplate('/topic/{room')).toThrow(/unclosed/);
  });
});

describe('payload conversion', () => {
  it('reads JSON by default and for application/json and +json types', () => {
    expect(readPayload(Buffer.from('{"a":1}'), undefined)).toEqual({ a: 1 });
    expect(readPayload(Buffer.from('[1]'), 'application/json;charset=utf-8')).toEqual([1]);
    expect(readPayload(Buffer.from('"s"'), 'application/vnd.api+json')).toBe('s');
    expect(readPayload(Buffer.alloc(0), undefined)).toBeUndefined();
  });
  it('reads text/* as a string (utf-8, or latin1 when the charset says so)', () => {
    expect(readPayload(Buffer.from('héllo'), 'text/plain')).toBe('héllo');
    expect(readPayload(Buffer.from([0xe9]), 'text/plain; charset=ISO-8859-1')).toBe('é');
  });
  it('passes other types through as the Buffer', () => {
    const body = Buffer.from([1, 2]);
    expect(readPayload(body, 'application/octet-stream')).toBe(body);
  });
  it('throws a StompException for invalid JSON', () => {
    expect(() => readPayload(Buffer.from('nope'), undefined)).toThrow(StompException);
    expect(() => readPayload(Buffer.from('nope'), 'application/json')).toThrow('Payload is not valid JSON');
  });
  it('writes Buffers as bytes, strings as text, the rest as JSON', () => {
    expect(writePayload(Buffer.from([1]))).toEqual({ body: Buffer.from([1]), contentType: 'application/octet-stream' });
    expect(writePayload(new Uint8Array([2]))).toEqual({ body: Buffer.from([2]), contentType: 'application/octet-stream' });
    expect(writePayload('é')).toEqual({ body: Buffer.from('é'), contentType: 'text/plain;charset=utf-8' });
    expect(writePayload({ a: 1 })).toEqual({ body: Buffer.from('{"a":1}'), contentType: 'application/json' });
    expect(writePayload(0)).toEqual({ body: Buffer.from('0'), contentType: 'application/json' });
    expect(() => writePayload(() => 1)).toThrow(/Cannot convert a function/);
  });
});

describe('toErrorPayload', () => {
  it('describes each kind of error without leaking internals', () => {
    expect(toErrorPayload(new StompException('full', { n: 1 }))).toEqual({ error: 'StompException', message: 'full', details: { n: 1 } });
    expect(toErrorPayload(new ForbiddenException('Forbidden resource'))).toEqual({ error: 'ForbiddenException', status: 403, message: 'Forbidden resource' });
    expect(toErrorPayload(new BadRequestException(['a is bad', 'b is bad']))).toEqual({
      error: 'BadRequestException',
      status: 400,
      message: 'a is bad; b is bad',
      details: ['a is bad', 'b is bad'],
    });
    expect(toErrorPayload(new StompError(StompErrorCode.QUEUE_FULL, 'Queue /queue/x is full'))).toEqual({
      error: 'STOMP_QUEUE_FULL',
      message: 'Queue /queue/x is full',
    });
    expect(toErrorPayload(new Error('db password is hunter2'))).toEqual({ error: 'InternalServerError', message: 'Internal server error' });
    expect(toErrorPayload('thrown string')).toEqual({ error: 'InternalServerError', message: 'Internal server error' });
  });
});

describe('module options for the core (issue 3 additions)', () => {
  it('passes userDestinationPrefix, authenticate, preserveReceiveOrder and interceptors through when given', () => {
    const authenticate = () => ({ name: 'x' });
    const interceptors = [{ preSend: () => undefined }];
    const resolved = resolveStompModuleOptions({ userDestinationPrefix: '/u', authenticate, preserveReceiveOrder: false, interceptors });
    expect(resolved.server).toMatchObject({ userDestinationPrefix: '/u', authenticate, preserveReceiveOrder: false, interceptors });
    expect('authenticate' in resolveStompModuleOptions({}).server).toBe(false);
  });
});
