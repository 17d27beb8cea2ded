import { Body, Controller, Headers, HttpCode, HttpException, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { RemediationRecord } from '@falconer/contracts';
import type { RemediatorConfig } from '../config/remediator.config';
import { CONFIG, ENGINE, LOGGER, METRICS } from '../core/tokens';
import type { RemediationEngine } from '../engine/remediation.engine';
import { EventValidationError, parseEventsBody } from '../events/event-body';
import type { RemediatorMetrics } from '../metrics/remediator.metrics';
import { ReplayGuard, SIGNATURE_HEADER, verifySignedOnce } from '@falconer/util';

export interface WebhookResponse {
  events: number;
  decisions: RemediationRecord[];
  /** True (with status 202) when the decisions took longer than REMEDIATOR_REPLY_TIMEOUT: they go on in the background. */
  pending?: boolean;
}

@Controller()
export class WebhookController {
  /** A captured signed request sent again within the window is refused (finding 14 of issue 20). */
  private readonly replays = new ReplayGuard();

  constructor(
    @Inject(CONFIG) private readonly config: RemediatorConfig,
    @Inject(ENGINE) private readonly engine: RemediationEngine,
    @Inject(METRICS) private readonly metrics: RemediatorMetrics,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * Falco's http_output or Falconer's webhook output. Answers 200 with the decisions once they are made, or
   * 202 when that takes longer than the sender should wait (a slow Kubernetes API must not make the
   * router time out and send the alert again); the decisions are recorded and reported either way.
   */
  @Post()
  @HttpCode(200)
  async receive(
    @Body() body: unknown,
    @Headers(SIGNATURE_HEADER) signature: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookResponse> {
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    if (this.config.secret !== '') {
      const v = verifySignedOnce(this.replays, this.config.secret, signature, raw);
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
    const work = (async () => {
      for (const e of events) for (const d of await this.engine.handle(e)) decisions.push(d.record);
      return true;
    })();
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      work,
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), this.config.replyTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (done) return { events: events.length, decisions };
    work.catch((err: unknown) => this.log.error({ err }, 'remediation failed in the background'));
    void reply.status(202);
    return { events: events.length, decisions: [...decisions], pending: true };
  }
}
