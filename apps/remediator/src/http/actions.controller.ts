import { Controller, Get, HttpException, Inject, Query } from '@nestjs/common';
import type { RemediationOutcome } from '@falconer/contracts';
import type { AuditEntry, AuditLog, AuditQuery } from '../audit/audit.log';
import { AUDIT_LOG } from '../core/tokens';

const OUTCOMES: readonly RemediationOutcome[] = ['acted', 'dry_run', 'skipped', 'failed'];

export interface ActionsResponse {
  statistics: { all: number };
  results: AuditEntry[];
}

/** The audit log: every decision, newest first. */
@Controller('api/v1')
export class ActionsController {
  constructor(@Inject(AUDIT_LOG) private readonly audit: AuditLog) {}

  @Get('actions')
  list(
    @Query('limit') limit?: string,
    @Query('uuid') uuid?: string,
    @Query('outcome') outcome?: string,
  ): ActionsResponse {
    const q: AuditQuery = {};
    if (limit !== undefined) {
      const n = Number(limit);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) {
        throw new HttpException(
          {
            error: 'bad_request',
            message: `limit: expected a whole number from 1 to 10000, got "${limit}"`,
            field: 'limit',
          },
          400,
        );
      }
      q.limit = n;
    }
    if (uuid !== undefined && uuid !== '') q.uuid = uuid;
    if (outcome !== undefined && outcome !== '') {
      if (!(OUTCOMES as readonly string[]).includes(outcome)) {
        throw new HttpException(
          {
            error: 'bad_request',
            message: `outcome: expected one of ${OUTCOMES.join(', ')}, got "${outcome}"`,
            field: 'outcome',
          },
          400,
        );
      }
      q.outcome = outcome as RemediationOutcome;
    }
    const { total, results } = this.audit.list(q);
    return { statistics: { all: total }, results };
  }
}
