import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The files the chat page needs, read once at startup (the page is tiny; no static middleware). */
export interface ChatAssets {
  readonly indexHtml: string;
  readonly chatJs: string;
  readonly chatCss: string;
  /** @stomp/stompjs's browser bundle (UMD, defines the `StompJs` global). */
  readonly stompJs: string;
}

export const CHAT_ASSETS = Symbol.for('chat:assets');

/**
 * apps/chat/public, found from this module's own location: the same code runs from apps/chat/src
 * (jest, ts sources) and from apps/chat/dist (npm start), so walk up instead of assuming a depth.
 */
export function findPublicDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'public');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`chat: no public/index.html found above ${from}`);
}

/**
 * The package's exports map hides its bundles/ folder, but its CommonJS entry *is* the UMD bundle:
 * resolve that and take the minified sibling.
 */
export function stompJsBundlePath(): string {
  const umd = createRequire(import.meta.url).resolve('@stomp/stompjs');
  return join(dirname(umd), 'stomp.umd.min.js');
}

export async function loadChatAssets(): Promise<ChatAssets> {
  const publicDir = findPublicDir();
  const [indexHtml, chatJs, chatCss, stompJs] = await Promise.all([
    readFile(join(publicDir, 'index.html'), 'utf8'),
    readFile(join(publicDir, 'chat.js'), 'utf8'),
    readFile(join(publicDir, 'chat.css'), 'utf8'),
    readFile(stompJsBundlePath(), 'utf8'),
  ]);
  return { indexHtml, chatJs, chatCss, stompJs };
}
