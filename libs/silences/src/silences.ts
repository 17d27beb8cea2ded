import { randomUUID } from 'node:crypto';
import { Counter, Registry } from 'prom-client';
import type { FalcoEvent, Silence, SilenceInfo } from '@falconer/contracts';
import { applySilences, compileSilence, type CompiledSilence, type SilenceDecision } from '@falconer/routing';
import type { SilenceBackend } from './silence-backend';
import { readCreateRequest, secondsText } from './silence-request';

export interface SilencesLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface SilencesOptions {
  backend: SilenceBackend;
  /** The configured output instance names (a silence may name only these). */
  outputs: readonly string[];
  registry?: Registry;
  log?: SilencesLog;
  /** How often the backend's version is read, for silences written by other replicas (default 1 s). */
  refreshMs?: number;
  /** Expired silences are listed this long, then removed (default 24 h). */
  keepExpiredMs?: number;
  /** Most silences kept (active and recently expired); a create beyond it is refused (default 1 000). */
  maxSilences?: number;
  now?: () => number;
}

/** A create refused because `maxSilences` are kept already: the router answers 409. */
export class TooManySilencesError extends Error {
  constructor(readonly max: number) {
    super(`${max} silences are kept already: expire some, or wait until expired ones are removed`);
    this.name = 'TooManySilencesError';
  }
}

const QUIET: SilencesLog = { warn: () => undefined, info: () => undefined };

/**
 * The silences of this router: created, listed and expired through the API, applied to every event after
 * the output filters (`decide`). Decisions read an in-process compiled copy (ingest never waits for
 * Redis); the copy follows the backend within `refreshMs`. Expiry is checked against the clock on every
 * decision, so a silence ends at its `endsAt` second on every replica whatever the refresh.
 */
export class Silences {
  private stored = new Map<string, Silence>();
  private compiled: CompiledSilence[] = [];
  private seen = '';
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private failing = false;
  private readonly counts = new Map<string, number>();
  private readonly now: () => number;
  private readonly log: SilencesLog;

  private constructor(private readonly opts: SilencesOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? QUIET;
    const reported = new Map<string, number>();
    const counts = this.counts;
    new Counter({
      name: 'falconer_silenced_events_total',
      help: 'Events an active silence kept from an output (recorded and shown, not sent)',
      labelNames: ['output'],
      registers: [opts.registry ?? new Registry()],
      // counted in plain numbers on the ingest path, handed to prom-client at scrape time
      collect() {
        for (const [output, n] of counts) {
          const added = n - (reported.get(output) ?? 0);
          if (added > 0) this.inc({ output }, added);
          reported.set(output, n);
        }
      },
    });
  }

  /** Loads the stored silences and starts following the backend. */
  static async start(opts: SilencesOptions): Promise<Silences> {
    const s = new Silences(opts);
    await s.refresh();
    const every = opts.refreshMs ?? 1_000;
    if (every > 0) {
      s.timer = setInterval(() => void s.refresh().catch(() => undefined), every);
      s.timer.unref();
    }
    return s;
  }

  get backendKind(): 'memory' | 'redis' {
    return this.opts.backend.kind;
  }

  /** Which of `targets` (outputs whose filters matched) get the event; counts what was muted. */
  decide(event: FalcoEvent, targets: readonly string[]): SilenceDecision {
    const d = applySilences(event, targets, this.compiled, this.now());
    for (const m of d.muted) this.counts.set(m.output, (this.counts.get(m.output) ?? 0) + 1);
    return d;
  }

  /** Events kept from `output` by a silence since this process started. */
  silencedCount(output: string): number {
    return this.counts.get(output) ?? 0;
  }

  /** Reads the backend when its version moved; removes silences expired longer than `keepExpiredMs`. */
  async refresh(): Promise<void> {
    // one read at a time: the timer and an API call may ask together
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** A read that starts now: one already in flight may have read the version before a write it must see. */
  private async fresh(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
    return this.refresh();
  }

  private async load(): Promise<void> {
    const { backend } = this.opts;
    try {
      const v = await backend.version();
      if (v !== this.seen) {
        this.use(await backend.readAll());
        this.seen = v;
      }
      const cutoff = this.now() - (this.opts.keepExpiredMs ?? 86_400_000);
      const old = [...this.stored.values()].filter((s) => Date.parse(s.endsAt) < cutoff).map((s) => s.id);
      if (old.length > 0) {
        await backend.remove(old);
        this.use([...this.stored.values()].filter((s) => !old.includes(s.id)));
      }
      if (this.failing) this.log.info({}, 'silences: backend readable again');
      this.failing = false;
    } catch (err) {
      // decisions go on with the last silences read; said once per outage
      if (!this.failing)
        this.log.warn({ err: String(err) }, 'silences: backend unreadable, applying the last silences read');
      this.failing = true;
      throw err;
    }
  }

  private use(silences: readonly Silence[]): void {
    this.stored = new Map(silences.map((s) => [s.id, s]));
    this.compiled = silences.flatMap((s) => compileSilence(s) ?? []);
  }

  /** Active first (soonest to end first), then expired (latest ended first). */
  async list(): Promise<SilenceInfo[]> {
    // with the backend away, the last silences read are what is applied: list those
    await this.fresh().catch(() => undefined);
    const now = this.now();
    const infos = [...this.stored.values()].map((s): SilenceInfo => ({
      ...s,
      state: Date.parse(s.endsAt) > now ? 'active' : 'expired',
    }));
    const ends = (s: SilenceInfo): number => Date.parse(s.endsAt);
    return [
      ...infos.filter((s) => s.state === 'active').sort((a, b) => ends(a) - ends(b)),
      ...infos.filter((s) => s.state === 'expired').sort((a, b) => ends(b) - ends(a)),
    ];
  }

  /** Validates and stores a `POST /api/v1/silences` body; throws SilenceRequestError or TooManySilencesError. */
  async create(body: unknown, createdBy: string): Promise<Silence> {
    const silence = readCreateRequest(body, {
      outputs: this.opts.outputs,
      nowMs: this.now(),
      createdBy,
      id: randomUUID(),
    });
    await this.fresh();
    const max = this.opts.maxSilences ?? 1_000;
    if (this.stored.size >= max) throw new TooManySilencesError(max);
    await this.opts.backend.put(silence);
    await this.fresh();
    this.log.info(
      {
        silence: silence.id,
        matcher: silence.matcher,
        outputs: silence.outputs,
        endsAt: silence.endsAt,
        createdBy,
      },
      'silence created',
    );
    return silence;
  }

  /**
   * Ends a silence now (`DELETE /api/v1/silences/{id}`): its `endsAt` becomes this second. Undefined when
   * no such silence is kept; an expired one is returned unchanged.
   */
  async expire(id: string, by: string): Promise<Silence | undefined> {
    await this.fresh();
    const s = this.stored.get(id);
    if (s === undefined) return undefined;
    const now = this.now();
    if (Date.parse(s.endsAt) <= now) return s;
    const ended: Silence = { ...s, endsAt: secondsText(Math.floor(now / 1000) * 1000), expiredBy: by };
    await this.opts.backend.put(ended);
    await this.fresh();
    this.log.info({ silence: id, by }, 'silence expired early');
    return ended;
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.refreshing?.catch(() => undefined);
    await this.opts.backend.close();
  }
}
