import { createHash } from 'node:crypto';
import type { FalcoEvent } from '@falconer/contracts';
import { decodeStoredEvent, serializeEvent } from '@falconer/falco';
import type { RedisClient } from '@falconer/redis';
import { aggregateKey, summaryEvent, type Folding } from './aggregator';
import type { AggregateSettings } from './settings';

/**
 * KEYS[1]: one window (a hash: `n` alerts folded, `last` event). ARGV: expiry ms, the event's JSON.
 * Returns 1 when this alert opens the window (send it now; the caller closes the window), else 0.
 */
const OFFER_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'n', 1)
  redis.call('HSET', KEYS[1], 'last', ARGV[2])
  return 0
end
redis.call('HSET', KEYS[1], 'n', 0, 'last', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

/**
 * End of a window: nothing folded → the window closes (nil); else {n, last} and the window starts again
 * with n = 0 (the flood goes on: one summary per window).
 */
const CLOSE_SCRIPT = `
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n == 0 then
  redis.call('DEL', KEYS[1])
  return false
end
local last = redis.call('HGET', KEYS[1], 'last')
if ARGV[2] == '1' then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'n', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {n, last}
`;

/**
 * The aggregator of one output shared by every replica on one Redis: an alert folded on replica B counts
 * in the window replica A opened, and one summary per window goes out, from the replica that opened it
 * (its timer). If that replica dies, the window expires shortly after its end and the alerts it had
 * folded are not summarised (they stay counted in falconer_delivery_aggregated_total).
 */
export class SharedAggregator implements Folding {
  /** Windows this process opened (it closes them), by Redis key. */
  private readonly owned = new Map<string, NodeJS.Timeout>();
  private readonly shas = new Map<string, string>();
  private readonly expiryMs: number;

  constructor(
    private readonly settings: AggregateSettings,
    private readonly redis: { client: RedisClient; prefix: string; output: string },
    private readonly emit: (summary: FalcoEvent, folded: number) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    // past its end a window nobody closes (its replica died) goes away by itself
    this.expiryMs = settings.windowMs + Math.max(2000, Math.floor(settings.windowMs / 2));
  }

  private key(event: FalcoEvent): string {
    const digest = createHash('sha1').update(aggregateKey(event, this.settings.key)).digest('hex');
    return `${this.redis.prefix}agg:${this.redis.output}:${digest}`;
  }

  async offer(event: FalcoEvent): Promise<boolean> {
    const key = this.key(event);
    const opened = Number(
      await this.script(OFFER_SCRIPT, key, [String(this.expiryMs), serializeEvent(event)]),
    );
    if (opened === 1) this.arm(key);
    return opened === 1;
  }

  private arm(key: string): void {
    const timer = setTimeout(() => void this.close(key, false), this.settings.windowMs);
    timer.unref();
    this.owned.set(key, timer);
  }

  private async close(key: string, final: boolean): Promise<void> {
    this.owned.delete(key);
    try {
      const r = (await this.script(CLOSE_SCRIPT, key, [String(this.expiryMs), final ? '1' : '0'])) as
        [number, string] | null;
      if (r === null) return;
      const [n, last] = r;
      this.emit(summaryEvent(decodeStoredEvent(last), Number(n), this.settings.windowMs), Number(n));
      if (!final) this.arm(key);
    } catch (err) {
      this.onError(err);
    }
  }

  private async script(text: string, key: string, args: string[]): Promise<unknown> {
    let sha = this.shas.get(text);
    for (let attempt = 0; ; attempt++) {
      if (sha === undefined) {
        sha = await this.redis.client.scriptLoad(text);
        this.shas.set(text, sha);
      }
      try {
        return await this.redis.client.evalSha(sha, { keys: [key], arguments: args });
      } catch (err) {
        if (attempt > 0 || !String(err).includes('NOSCRIPT')) throw err;
        sha = undefined;
      }
    }
  }

  /** Shutdown: the windows this process opened are summarised now and closed. */
  async flush(): Promise<void> {
    const keys = [...this.owned.keys()];
    for (const t of this.owned.values()) clearTimeout(t);
    this.owned.clear();
    await Promise.all(keys.map((k) => this.close(k, true)));
  }
}
