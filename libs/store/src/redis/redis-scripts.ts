import type { RedisClient } from '@falconer/redis';

/** Lua scripts by their text: EVALSHA, loading a script on first use and again after a Redis restart. */
export class RedisScripts {
  private readonly shas = new Map<string, string>();

  constructor(private readonly client: RedisClient) {}

  /** The SHA of a loaded script; `reload` loads it again (after NOSCRIPT). */
  async sha(text: string, reload = false): Promise<string> {
    let sha = reload ? undefined : this.shas.get(text);
    if (sha === undefined) {
      sha = await this.client.scriptLoad(text);
      this.shas.set(text, sha);
    }
    return sha;
  }

  async run(text: string, options: { keys?: string[]; arguments: string[] }): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const sha = await this.sha(text, attempt > 0);
      try {
        return await this.client.evalSha(sha, options);
      } catch (err) {
        if (attempt > 0 || !isNoScript(err)) throw err;
      }
    }
  }
}

/** Redis lost its scripts (restart, SCRIPT FLUSH). */
export function isNoScript(err: unknown): boolean {
  return String(err).includes('NOSCRIPT');
}
