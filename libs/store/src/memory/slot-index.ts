/** FNV-1a over the UTF-16 code units: uuids are short, and any string is accepted. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The memory store's uuid → ring slot index: an open-addressing hash table (linear probing, deletion by
 * backward shift) in one Int32Array of at least twice as many cells as the ring has slots, ~10 bytes per
 * event held. The keys are not copied: a cell holds a slot, and `keyOf(slot)` reads the uuid of the event
 * in it. A `Map<string, number>` under the ring's churn (one insert and one delete per event) held a table
 * of ~73 bytes per event (heap snapshot, ADR 0004).
 */
export class SlotIndex {
  /** slot + 1; 0 is an empty cell */
  private readonly cells: Int32Array;
  private readonly mask: number;

  constructor(
    slots: number,
    private readonly keyOf: (slot: number) => string | undefined,
  ) {
    let size = 8;
    while (size < slots * 2) size *= 2;
    this.cells = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The cell that holds `key`, or the empty cell where it would go. */
  private find(key: string): number {
    const cells = this.cells;
    let i = hash(key) & this.mask;
    for (;;) {
      const v = cells[i] ?? 0;
      if (v === 0 || this.keyOf(v - 1) === key) return i;
      i = (i + 1) & this.mask;
    }
  }

  get(key: string): number | undefined {
    const v = this.cells[this.find(key)] ?? 0;
    return v === 0 ? undefined : v - 1;
  }

  /** `key` now names `slot` (a slot it named before is forgotten). */
  set(key: string, slot: number): void {
    this.cells[this.find(key)] = slot + 1;
  }

  /** Forgets `key` if it names `slot` (not if it was set to a later slot since). */
  delete(key: string, slot: number): void {
    const cells = this.cells;
    const mask = this.mask;
    let hole = this.find(key);
    if (cells[hole] !== slot + 1) return;
    // backward shift: move up each later entry of the run that may live in the hole, so no probe stops early
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const v = cells[j] ?? 0;
      if (v === 0) break;
      const home = hash(this.keyOf(v - 1) ?? '') & mask;
      // the entry stays when its home lies cyclically in (hole, j]
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!stays) {
        cells[hole] = v;
        hole = j;
      }
    }
    cells[hole] = 0;
  }
}
