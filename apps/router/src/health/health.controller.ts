import { Controller, Get, Header, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { VersionResponse } from '@falconer/contracts';
import type { EventStore } from '@falconer/store';
import { STORE, VERSION } from '../core/tokens';
import { MetricsService } from '../metrics/metrics.service';

@Controller()
export class HealthController {
  constructor(
    @Inject(STORE) private readonly store: EventStore,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(VERSION) private readonly version: string,
  ) {}

  @Get('ping')
  @Header('content-type', 'text/plain; charset=utf-8')
  ping(): string {
    return 'pong\n';
  }

  @Get(['healthz', 'api/v1/healthz'])
  async healthz(): Promise<{ status: 'ok' }> {
    try {
      await this.store.ping();
    } catch (err) {
      throw new HttpException(
        {
          error: 'unavailable',
          message: `store: ${err instanceof Error ? err.message : String(err)}`,
          status: 'unavailable',
          failing: 'store',
        },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return { status: 'ok' };
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
