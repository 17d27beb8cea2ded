import { Controller, Get, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { WhoAmI } from '@falconer/contracts';
import { principalOf } from './request-gate';

/** The principal the request gate attached (the dashboard hides the actions a viewer may not take). */
@Controller('api/v1/whoami')
export class WhoAmIController {
  @Get()
  whoami(@Req() req: FastifyRequest): WhoAmI {
    const who = principalOf(req.raw);
    // the gate attaches a principal to every /api/ request it lets through
    return { username: who?.username ?? 'anonymous', role: who?.role ?? 'viewer' };
  }
}
