import { IsBoolean, IsString, Length } from 'class-validator';

/** Longest chat or private message, in characters (the page allows more, so the server's check shows). */
export const MAX_TEXT_LENGTH = 500;

/** SEND /app/chat/<room> and /app/private/<user>: `{ "text": "..." }`. */
export class ChatMessageDto {
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  text!: string;
}

/** SEND /app/chat/<room>/typing: `{ "typing": true }`. */
export class TypingDto {
  @IsBoolean()
  typing!: boolean;
}
