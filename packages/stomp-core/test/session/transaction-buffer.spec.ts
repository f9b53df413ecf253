import { TransactionBuffer } from '../../src/session/transaction-buffer.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import type { StompFrame } from '../../src/codec/stomp-frame.js';

const frame = (n: number): StompFrame => ({ command: 'SEND', headers: { destination: `/queue/${n}` }, body: Buffer.alloc(0) });
const code = (c: string) => expect.objectContaining({ code: c });

describe('TransactionBuffer', () => {
  it('hands back the frames of a transaction in order on commit, and forgets it', () => {
    const tx = new TransactionBuffer(4, 10);
    tx.begin('t1');
    tx.add('t1', frame(1));
    tx.add('t1', frame(2));
    expect(tx.commit('t1').map((f) => f.headers.destination)).toEqual(['/queue/1', '/queue/2']);
    expect(() => tx.commit('t1')).toThrow(code(StompErrorCode.UNKNOWN_TRANSACTION));
  });

  it('rejects duplicate and unknown ids', () => {
    const tx = new TransactionBuffer(4, 10);
    tx.begin('t1');
    expect(() => tx.begin('t1')).toThrow(code(StompErrorCode.DUPLICATE_TRANSACTION));
    expect(() => tx.add('nope', frame(1))).toThrow(code(StompErrorCode.UNKNOWN_TRANSACTION));
    expect(() => tx.abort('nope')).toThrow(code(StompErrorCode.UNKNOWN_TRANSACTION));
  });

  it('abort and clear drop the frames', () => {
    const tx = new TransactionBuffer(4, 10);
    tx.begin('a');
    tx.add('a', frame(1));
    tx.abort('a');
    expect(tx.size).toBe(0);
    tx.begin('b');
    tx.clear();
    expect(() => tx.commit('b')).toThrow(code(StompErrorCode.UNKNOWN_TRANSACTION));
  });

  it('enforces open transactions at n and n+1', () => {
    const tx = new TransactionBuffer(2, 10);
    tx.begin('1');
    tx.begin('2');
    expect(() => tx.begin('3')).toThrow(code(StompErrorCode.LIMIT_EXCEEDED));
  });

  it('enforces frames per transaction at n and n+1', () => {
    const tx = new TransactionBuffer(2, 3);
    tx.begin('t');
    for (let i = 0; i < 3; i++) tx.add('t', frame(i));
    expect(() => tx.add('t', frame(3))).toThrow(code(StompErrorCode.LIMIT_EXCEEDED));
    expect(tx.commit('t')).toHaveLength(3);
  });
});
