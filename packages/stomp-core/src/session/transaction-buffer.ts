import type { StompFrame } from '../codec/stomp-frame.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompLimitError } from '../errors/stomp-limit.error.js';
import { StompProtocolError } from '../errors/stomp-protocol.error.js';

/**
 * The open transactions of one session (STOMP "BEGIN"/"COMMIT"/"ABORT"): SEND, ACK and NACK
 * frames that name a transaction wait here and take effect together on COMMIT.
 */
export class TransactionBuffer {
  /** Made on the first BEGIN: most sessions never open a transaction, and an idle one should cost little. */
  private open: Map<string, StompFrame[]> | undefined;

  constructor(
    private readonly maxTransactions: number,
    private readonly maxFramesPerTransaction: number,
  ) {}

  get size(): number {
    return this.open?.size ?? 0;
  }

  begin(id: string): void {
    const open = (this.open ??= new Map());
    // STOMP 1.2: transaction identifiers are unique per connection.
    if (open.has(id)) {
      throw new StompProtocolError(StompErrorCode.DUPLICATE_TRANSACTION, `Transaction ${id} is already open`);
    }
    if (open.size >= this.maxTransactions) {
      throw new StompLimitError(
        StompErrorCode.LIMIT_EXCEEDED,
        `Too many open transactions (limit ${this.maxTransactions})`,
      );
    }
    open.set(id, []);
  }

  add(id: string, frame: StompFrame): void {
    const frames = this.get(id);
    if (frames.length >= this.maxFramesPerTransaction) {
      throw new StompLimitError(
        StompErrorCode.LIMIT_EXCEEDED,
        `Too many frames in transaction ${id} (limit ${this.maxFramesPerTransaction})`,
      );
    }
    frames.push(frame);
  }

  /** Closes the transaction and hands back its frames, in the order they were sent. */
  commit(id: string): StompFrame[] {
    const frames = this.get(id);
    this.open!.delete(id);
    return frames;
  }

  abort(id: string): void {
    this.get(id);
    this.open!.delete(id);
  }

  /** STOMP: open transactions are aborted when the connection ends. */
  clear(): void {
    this.open = undefined;
  }

  private get(id: string): StompFrame[] {
    const frames = this.open?.get(id);
    if (!frames) throw new StompProtocolError(StompErrorCode.UNKNOWN_TRANSACTION, `No open transaction ${id}`);
    return frames;
  }
}
