import type { RemediationOutcome, RemediationRecord } from '@falconer/contracts';

export interface AuditEntry extends RemediationRecord {
  /** Increasing sequence number, for paging. */
  id: number;
}

export interface AuditQuery {
  uuid?: string;
  outcome?: RemediationOutcome;
  limit?: number;
}

/** The in-memory audit log: the newest `capacity` decisions. */
export class AuditLog {
  private readonly entries: AuditEntry[] = [];
  private next = 1;

  constructor(private readonly capacity: number) {}

  add(record: RemediationRecord): AuditEntry {
    const entry: AuditEntry = { id: this.next++, ...record };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return entry;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Newest first. */
  list(q: AuditQuery = {}): { total: number; results: AuditEntry[] } {
    let out = this.entries.slice().reverse();
    if (q.uuid !== undefined) out = out.filter((e) => e.uuid === q.uuid);
    if (q.outcome !== undefined) out = out.filter((e) => e.outcome === q.outcome);
    return { total: out.length, results: out.slice(0, q.limit ?? 100) };
  }
}
