import { Body, Controller, Headers, HttpCode, HttpException, Inject, Post } from '@nestjs/common';
import type { RemediationRecord } from '@falconer/contracts';
import type { RemediatorConfig } from '../config/remediator.config';
import { CONFIG, ENGINE, METRICS } from '../core/tokens';
import type { RemediationEngine } from '../engine/remediation.engine';
import { EventValidationError, parseEventsBody } from '../events/event-body';
import type { RemediatorMetrics } from '../metrics/remediator.metrics';
import { SIGNATURE_HEADER, verifySignature } from '../signature/signature';

export interface WebhookResponse {
  events: number;
  decisions: RemediationRecord[];
}

@Controller()
export class WebhookController {
  constructor(
    @Inject(CONFIG) private readonly config: RemediatorConfig,
    @Inject(ENGINE) private readonly engine: RemediationEngine,
    @Inject(METRICS) private readonly metrics: RemediatorMetrics,
  ) {}

  /** Falco's http_output or Falconer's webhook output. Answers once every decision is made. */
  @Post()
  @HttpCode(200)
  async receive(@Body() body: unknown, @Headers(SIGNATURE_HEADER) signature: string | undefined): Promise<WebhookResponse> {
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    if (this.config.secret !== '') {
      const v = verifySignature(this.config.secret, signature, raw);
      if (!v.ok) {
        this.metrics.requests.inc({ status: 'unauthorized' });
        throw new HttpException({ error: 'unauthorized', message: v.reason }, 401);
      }
    }
    let events;
    try {
      events = parseEventsBody(raw);
    } catch (err) {
      if (err instanceof EventValidationError) {
        this.metrics.requests.inc({ status: 'rejected' });
        const payload: Record<string, string> = { error: err.code, message: err.message };
        if (err.field !== undefined) payload['field'] = err.field;
        throw new HttpException(payload, 400);
      }
      throw err;
    }
    this.metrics.requests.inc({ status: 'accepted' });
    const decisions: RemediationRecord[] = [];
    for (const e of events) for (const d of await this.engine.handle(e)) decisions.push(d.record);
    return { events: events.length, decisions };
  }
}
