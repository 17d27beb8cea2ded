import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Query,
} from '@nestjs/common';
import type { ReplayResponse } from '@falconer/contracts';
import { deadLettersResponseJson, UnknownOutputError, type DeliveryService } from '@falconer/delivery';
import { DELIVERY } from './delivery.tokens';

function badRequest(message: string, field: string): HttpException {
  return new HttpException({ error: 'invalid_parameter', message, field }, HttpStatus.BAD_REQUEST);
}

function positiveInt(value: string | undefined, field: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw badRequest(`${field}: expected a whole number from 1`, field);
  return Math.min(Number(value), max);
}

/** Dead letters: list newest first, replay by id, by output, or all. */
@Controller('api/v1/deadletters')
export class DeadLettersController {
  constructor(@Inject(DELIVERY) private readonly delivery: DeliveryService) {}

  @Get()
  @Header('content-type', 'application/json; charset=utf-8')
  async list(
    @Query('output') output?: string,
    @Query('page') page?: string,
    @Query('limit') limit?: string,
  ): Promise<string> {
    const l = positiveInt(limit, 'limit', 100, 1000);
    const p = positiveInt(page, 'page', 1, 1_000_000);
    const query = {
      offset: (p - 1) * l,
      limit: l,
      ...(output !== undefined && output !== '' ? { output } : {}),
    };
    const { total, results } = await this.delivery.listDeadLetters(query);
    // written by hand so event numbers beyond 2^53 stay exact
    return deadLettersResponseJson(total, results);
  }

  @Post('replay')
  @HttpCode(200)
  async replay(@Body() body: unknown): Promise<ReplayResponse> {
    const req = body === undefined || body === null || body === '' ? {} : body;
    if (typeof req !== 'object' || Array.isArray(req))
      throw badRequest('body: expected {"ids"?: [...], "output"?: "name"}', 'body');
    const { ids, output } = req as { ids?: unknown; output?: unknown };
    if (ids !== undefined && (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')))
      throw badRequest('ids: expected an array of strings', 'ids');
    if (output !== undefined && typeof output !== 'string')
      throw badRequest('output: expected a string', 'output');
    try {
      return await this.delivery.replay({
        ...(ids !== undefined ? { ids: ids } : {}),
        ...(output !== undefined && output !== '' ? { output } : {}),
      });
    } catch (err) {
      if (err instanceof UnknownOutputError)
        throw new HttpException({ error: 'not_found', message: err.message }, HttpStatus.NOT_FOUND);
      throw err;
    }
  }
}
