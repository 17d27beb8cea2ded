/** falcosidekick's `kafka.balancer` values (segmentio/kafka-go balancers). */
export const BALANCERS = [
  'round_robin',
  'least_bytes',
  'crc32',
  'crc32_random',
  'murmur2',
  'murmur2_random',
] as const;
export type Balancer = (typeof BALANCERS)[number];

/** Picks a partition (an id among `ids`, sorted) for a message of `bytes` bytes. */
export type PartitionPicker = (ids: readonly number[], bytes: number) => number;

/** kafka-go's murmur2 balancer index for an empty key (falcosidekick's messages have none). */
function murmur2OfEmpty(): number {
  let h = 0x9747b28c ^ 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return h & 0x7fffffff;
}

/**
 * A partition chooser behaving like falcosidekick's balancer for its key-less messages: round robin,
 * least bytes so far, or the hash balancers — the consistent ones send every key-less message to the
 * same partition (crc32 of nothing is 0), the `_random` ones to a random partition.
 */
export function partitionPicker(balancer: Balancer, random: () => number = Math.random): PartitionPicker {
  switch (balancer) {
    case 'round_robin': {
      let next = 0;
      return (ids) => ids[next++ % ids.length] as number;
    }
    case 'least_bytes': {
      const written = new Map<number, number>();
      return (ids, bytes) => {
        let best = ids[0] as number;
        for (const id of ids) if ((written.get(id) ?? 0) < (written.get(best) ?? 0)) best = id;
        written.set(best, (written.get(best) ?? 0) + bytes);
        return best;
      };
    }
    case 'crc32':
      return (ids) => ids[0] as number;
    case 'murmur2': {
      const h = murmur2OfEmpty();
      return (ids) => ids[h % ids.length] as number;
    }
    case 'crc32_random':
    case 'murmur2_random':
      return (ids) => ids[Math.floor(random() * ids.length)] as number;
  }
}
