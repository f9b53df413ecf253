import { OutboundBuffer } from '../../src/session/outbound-buffer.js';

// The session's per-turn outbound bytes: written into slabs, handed out as one Buffer per flush.

const bytes = (text: string) => Buffer.from(text);

function write(out: OutboundBuffer, text: string): void {
  const n = Buffer.byteLength(text);
  const slab = out.room(n);
  slab.write(text, out.end);
  out.commit(n);
}

describe('OutboundBuffer', () => {
  it('hands out what was pushed and written, in order, as one Buffer, then is empty', () => {
    const out = new OutboundBuffer();
    out.push(bytes('MESSAGE\n'));
    write(out, 'message-id:1\n');
    out.push(bytes('\n\0'));
    expect(out.length).toBe(23);
    expect(out.take().toString()).toBe('MESSAGE\nmessage-id:1\n\n\0');
    expect(out.length).toBe(0);
    expect(out.take().length).toBe(0);
  });

  it('never writes over bytes already handed out (the transport may still hold them)', () => {
    const out = new OutboundBuffer();
    const taken: [Buffer, string][] = [];
    // Many turns of many writes: slabs fill, grow, are kept and replaced.
    for (let turn = 0; turn < 200; turn++) {
      let expected = '';
      for (let i = 0; i < (turn % 7) * 40; i++) {
        const text = `t${turn}m${i}|`;
        if (i % 2 === 0) out.push(bytes(text));
        else write(out, text);
        expected += text;
      }
      taken.push([out.take(), expected]);
    }
    for (const [buffer, expected] of taken) expect(buffer.toString()).toBe(expected);
  });

  it('keeps a large chunk by reference and the order of everything around it', () => {
    const out = new OutboundBuffer();
    const large = Buffer.alloc(100_000, 'b');
    out.push(bytes('head'));
    out.push(large);
    write(out, 'tail');
    const chunk = out.take();
    expect(chunk.length).toBe(100_008);
    expect(chunk.subarray(0, 4).toString()).toBe('head');
    expect(chunk.subarray(4, 100_004).equals(large)).toBe(true);
    expect(chunk.subarray(100_004).toString()).toBe('tail');

    out.push(large);
    expect(out.take()).toBe(large); // alone: not copied
  });

  it('gives room for a write larger than any slab', () => {
    const out = new OutboundBuffer();
    const n = 200_000;
    const slab = out.room(n);
    slab.fill(120, out.end, out.end + n);
    out.commit(n);
    const chunk = out.take();
    expect(chunk.length).toBe(n);
    expect(chunk.every((b) => b === 120)).toBe(true);
  });

  it('clear() drops what is queued', () => {
    const out = new OutboundBuffer();
    out.push(bytes('gone'));
    out.push(Buffer.alloc(10_000));
    out.clear();
    expect(out.length).toBe(0);
    out.push(bytes('next'));
    expect(out.take().toString()).toBe('next');
  });
});
