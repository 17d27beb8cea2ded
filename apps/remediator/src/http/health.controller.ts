import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { RemediatorConfig } from '../config/remediator.config';
import { CONFIG, ENGINE, METRICS } from '../core/tokens';
import type { RemediationEngine } from '../engine/remediation.engine';
import type { RemediatorMetrics } from '../metrics/remediator.metrics';

@Controller()
export class HealthController {
  constructor(
    @Inject(CONFIG) private readonly config: RemediatorConfig,
    @Inject(ENGINE) private readonly engine: RemediationEngine,
    @Inject(METRICS) private readonly metrics: RemediatorMetrics,
  ) {}

  @Get('healthz')
  health(): { status: 'ok'; rules: number; dryRun: boolean } {
    return { status: 'ok', rules: this.engine.ruleCount, dryRun: this.config.dryRun };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
