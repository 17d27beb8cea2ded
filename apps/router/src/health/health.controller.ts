import { Controller, Get, Header, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { SpoolStatus, VersionResponse } from '@falconer/contracts';
import type { EventStore } from '@falconer/store';
import { SPOOL, STORE, VERSION } from '../core/tokens';
import type { EventSpool } from '../ingest/event-spool';
import { MetricsService } from '../metrics/metrics.service';

@Controller()
export class HealthController {
  constructor(
    @Inject(STORE) private readonly store: EventStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(VERSION) private readonly version: string,
    @Inject(SPOOL) private readonly spool: EventSpool | undefined,
  ) {}

  @Get('ping')
  @Header('content-type', 'text/plain; charset=utf-8')
  ping(): string {
    return 'pong\n';
  }

  /**
   * 200 while ingest takes events: with Redis unreachable but room in the spool that is `degraded` (a
   * liveness probe that restarted the pod now would lose the spool, ADR 0013); 503 once ingest refuses.
   */
  @Get(['healthz', 'api/v1/healthz'])
  async healthz(): Promise<{
    status: 'ok' | 'degraded';
    failing?: 'store';
    message?: string;
    spool?: SpoolStatus;
  }> {
    const spool = this.spool?.status();
    try {
      await this.store.ping();
    } catch (err) {
      const message = `store: ${err instanceof Error ? err.message : String(err)}`;
      if (spool !== undefined && spool.events < spool.capacity)
        return { status: 'degraded', failing: 'store', message, spool };
      throw new HttpException(
        {
          error: 'unavailable',
          message,
          status: 'unavailable',
          failing: 'store',
          ...(spool !== undefined ? { spool } : {}),
        },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return spool !== undefined && spool.events > 0 ? { status: 'ok', spool } : { status: 'ok' };
  }

  @Get('api/v1/version')
  getVersion(): VersionResponse {
    return {
      version: this.version,
      GitVersion: this.version,
      GitCommit: 'unknown',
      GitTreeState: 'unknown',
      BuildDate: 'unknown',
      GoVersion: `n/a (Node.js ${process.version})`,
      Compiler: 'node',
      Platform: `${process.platform}/${process.arch}`,
    };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
