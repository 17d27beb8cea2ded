// Untyped codec packages used by kafka.codecs.ts: only what is used is declared.
declare module 'kafkajs-snappy' {
  const SnappyCodec: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export default SnappyCodec;
}

declare module 'lz4js' {
  /** An LZ4 frame of `src`. */
  export function compress(src: Uint8Array): Uint8Array;
  /** The content of an LZ4 frame. */
  export function decompress(src: Uint8Array): Uint8Array;
}
