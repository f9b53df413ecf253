import 'reflect-metadata';
import { Controller, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { ConnectedSocket } from '@nestjs/websockets';
import { IsString, MaxLength, MinLength } from 'class-validator';
import {
  DestinationVariable,
  Header,
  MessageMapping,
  Payload,
  Principal,
  SendTo,
  SessionAttributes,
  SessionId,
  type StompPrincipal,
} from '../../src/index.js';
import { StompSession } from '@nest-stomp/core';
import { bootRoutingApp, json, sendWithReceipt, type RoutingApp } from './routing-test-app.js';

class ChatMessageDto {
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  text!: string;

  shout(): string {
    return this.text.toUpperCase();
  }
}

/** No @UsePipes anywhere: only the application's global pipe validates. */
@Controller()
class RoomController {
  @MessageMapping('/room/{room}')
  @SendTo('/topic/room.{room}')
  post(
    @Payload() message: ChatMessageDto,
    @DestinationVariable('room') room: string,
    @Header('x-client') client: string | undefined,
    @Principal() principal: StompPrincipal | undefined,
    @SessionId() sessionId: string,
    @SessionAttributes() attributes: Map<string, unknown>,
    @ConnectedSocket() session: StompSession,
  ) {
    attributes.set('posts', ((attributes.get('posts') as number | undefined) ?? 0) + 1);
    return {
      isDto: message instanceof ChatMessageDto,
      shout: message.shout(),
      room,
      client: client ?? null,
      from: principal?.name ?? null,
      // The other parameters pass the global pipe untouched: the live session and its own Map.
      sameSession: session instanceof StompSession && session.id === sessionId && session.attributes === attributes,
      posts: attributes.get('posts'),
    };
  }
}

function suite(name: string, boot: () => Promise<RoutingApp>): void {
  describe(name, () => {
    let t: RoutingApp;
    beforeAll(async () => {
      t = await boot();
    });
    afterAll(() => t.close());

    it('a valid payload becomes the DTO; the other parameters are left as they are', async () => {
      const c = await t.connect('alice');
      const room = await c.subscribe('/topic/room.lobby');
      c.client.publish({ destination: '/app/room/lobby', body: JSON.stringify({ text: 'hi' }), headers: { 'x-client': 'web' } });
      expect(json((await room.next()).body)).toEqual({
        isDto: true,
        shout: 'HI',
        room: 'lobby',
        client: 'web',
        from: 'alice',
        sameSession: true,
        posts: 1,
      });
    });

    it('an invalid payload goes to /user/queue/errors with the validation messages; nothing is posted', async () => {
      const c = await t.connect();
      const errors = await c.subscribe('/user/queue/errors');
      const room = await c.subscribe('/topic/room.lobby');
      await sendWithReceipt(c.client, '/app/room/lobby', JSON.stringify({ text: 'x'.repeat(21) }));
      const message = await errors.next();
      expect(message.headers['destination-origin']).toBe('/app/room/lobby');
      const error = json(message.body) as { error: string; status: number; details: string[] };
      expect(error.error).toBe('BadRequestException');
      expect(error.status).toBe(400);
      expect(error.details).toEqual(['text must be shorter than or equal to 20 characters']);
      // The connection stays, and the room saw nothing of the refused message.
      c.client.publish({ destination: '/app/room/lobby', body: JSON.stringify({ text: 'ok' }) });
      expect((json((await room.next()).body) as { shout: string }).shout).toBe('OK');
    });
  });
}

suite('a global ValidationPipe (app.useGlobalPipes)', () =>
  bootRoutingApp({
    controllers: [RoomController],
    configure: (app) => app.useGlobalPipes(new ValidationPipe({ transform: true })),
  }),
);

suite('a global ValidationPipe (APP_PIPE provider)', () =>
  bootRoutingApp({
    controllers: [RoomController],
    providers: [{ provide: APP_PIPE, useValue: new ValidationPipe({ transform: true }) }],
  }),
);
