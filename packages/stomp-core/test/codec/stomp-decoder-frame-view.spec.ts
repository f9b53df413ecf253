import { StompDecoder } from '../../src/codec/stomp-decoder.js';

// frameView(): during onFrame, the frame's bytes as received (command line to NUL), when the whole
// frame is in the chunk being decoded; what a relay passes on as is.

/** Decodes `chunks`, returning each frame's view (as text, or undefined) taken inside onFrame. */
function views(chunks: Buffer[]): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  const decoder: StompDecoder = new StompDecoder({
    onFrame: () => out.push(decoder.frameView()?.toString('latin1')),
    onHeartbeat: () => undefined,
    onError: (error) => {
      throw error;
    },
  });
  for (const chunk of chunks) decoder.write(chunk);
  return out;
}

const A = 'MESSAGE\nsubscription:1\nmessage-id:7\ncontent-length:3\n\na\0b\0';
const B = 'MESSAGE\r\nsubscription:2\r\n\r\nnul-ended\0';

describe('StompDecoder.frameView', () => {
  it('gives each frame of a chunk, without the heart-beat EOLs around it', () => {
    expect(views([Buffer.from(`\n${A}\n\r\n${B}\n`, 'latin1')])).toEqual([A, B]);
  });

  it('is undefined for a frame that began in an earlier chunk, and back for the next one', () => {
    for (let k = 1; k < A.length; k++) {
      const bytes = Buffer.from(A + B, 'latin1');
      expect(views([bytes.subarray(0, k), bytes.subarray(k)])).toEqual([undefined, B]);
    }
  });

  it('is undefined outside onFrame', () => {
    const decoder = new StompDecoder({ onFrame: () => undefined, onHeartbeat: () => undefined, onError: () => undefined });
    decoder.write(Buffer.from(A, 'latin1'));
    expect(decoder.frameView()).toBeUndefined();
  });
});
