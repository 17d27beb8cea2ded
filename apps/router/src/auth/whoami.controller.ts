import { Controller, Get, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { WhoAmIResponse } from '@falconer/contracts';
import { principalOf } from './request-gate';

/**
 * `GET /api/v1/whoami`: who the request gate let in and with which role, so the dashboard shows an
 * operator's actions and hides them from a viewer (the routes refuse a viewer whatever the page shows).
 */
@Controller('api/v1')
export class WhoAmIController {
  @Get('whoami')
  whoami(@Req() req: FastifyRequest): WhoAmIResponse {
    const who = principalOf(req.raw);
    return { username: who?.username ?? 'anonymous', role: who?.role ?? 'viewer' };
  }
}
