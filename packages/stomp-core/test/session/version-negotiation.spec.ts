import { negotiateVersion } from '../../src/session/handlers/connect.handler.js';

describe('negotiateVersion (STOMP 1.2 "Protocol Negotiation")', () => {
  it.each([
    [undefined, '1.0'],
    ['1.0', '1.0'],
    ['1.0,1.1', '1.1'],
    ['1.1,1.0', '1.1'],
    ['1.2', '1.2'],
    ['1.0,1.1,1.2', '1.2'],
    ['1.2,2.1', '1.2'],
    ['2.0', undefined],
    ['', undefined],
  ])('accept-version %p → %p', (accept, version) => {
    expect(negotiateVersion(accept)).toBe(version);
  });
});
