/**
 * What a STOMP handler parameter receives. SESSION (0) and PAYLOAD (3) have the numbers of
 * `@nestjs/websockets`' SOCKET and PAYLOAD, so `@ConnectedSocket()` and `@MessageBody()` work on
 * STOMP handlers too.
 */
export enum StompParamtype {
  SESSION = 0,
  PAYLOAD = 3,
  HEADERS = 6,
  HEADER = 40,
  DESTINATION_VARIABLE = 41,
  PRINCIPAL = 42,
  SESSION_ID = 43,
  SESSION_ATTRIBUTES = 44,
}
