import * as zstd from '@bokuweb/zstd-wasm';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';

/** `kafka.compression` values. */
export const COMPRESSIONS = ['NONE', 'GZIP', 'SNAPPY', 'LZ4', 'ZSTD'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** What a kafkajs codec does: compress a record batch's bytes, decompress a fetched one. */
interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

let zstdReady: Promise<void> | undefined;

/**
 * Codecs kafkajs does not ship, all pure JavaScript or WebAssembly (nothing to compile or download):
 * Snappy (`kafkajs-snappy` over `snappyjs`, reads xerial framing too), LZ4 frames (`lz4js`), Zstandard
 * (`@bokuweb/zstd-wasm`, level 3 as librdkafka's default).
 */
const CODECS: Record<
  Exclude<Compression, 'NONE' | 'GZIP'>,
  { type: CompressionTypes; codec: () => Codec }
> = {
  SNAPPY: { type: CompressionTypes.Snappy, codec: SnappyCodec },
  LZ4: {
    type: CompressionTypes.LZ4,
    codec: () => ({
      compress: (encoder) => Promise.resolve(Buffer.from(lz4.compress(encoder.buffer))),
      decompress: (buffer) => Promise.resolve(Buffer.from(lz4.decompress(buffer))),
    }),
  },
  ZSTD: {
    type: CompressionTypes.ZSTD,
    codec: () => ({
      compress: async (encoder) => {
        await (zstdReady ??= zstd.init());
        return Buffer.from(zstd.compress(encoder.buffer, 3));
      },
      decompress: async (buffer) => {
        await (zstdReady ??= zstd.init());
        return Buffer.from(zstd.decompress(buffer));
      },
    }),
  },
};

/**
 * The kafkajs compression type for a `kafka.compression` value, its codec registered with kafkajs (a
 * process-wide table; registering is idempotent).
 */
export function compressionType(c: Compression): CompressionTypes {
  if (c === 'NONE') return CompressionTypes.None;
  if (c === 'GZIP') return CompressionTypes.GZIP;
  const { type, codec } = CODECS[c];
  (CompressionCodecs as Record<number, () => Codec>)[type] = codec;
  return type;
}
