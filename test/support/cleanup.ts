/**
 * Everything a test opens registers its closer here; each spec file's afterEach runs them all
 * (clients first, then servers) so jest exits without open handles.
 */
type Closer = () => Promise<unknown> | unknown;

const clients: Closer[] = [];
const servers: Closer[] = [];

export function onCleanup(closer: Closer, kind: 'client' | 'server' = 'client'): void {
  (kind === 'client' ? clients : servers).push(closer);
}

export async function runCleanup(): Promise<void> {
  const c = clients.splice(0);
  const s = servers.splice(0);
  await Promise.allSettled(c.map((close) => Promise.resolve().then(close)));
  await Promise.allSettled(s.map((close) => Promise.resolve().then(close)));
}

/** Call once at the top of a spec file. */
export function useCleanup(): void {
  afterEach(runCleanup);
}
