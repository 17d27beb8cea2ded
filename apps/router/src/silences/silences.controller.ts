import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CreateSilenceResponse, SilenceInfo, SilencesResponse } from '@falconer/contracts';
import { SilenceRequestError, TooManySilencesError, type Silences } from '@falconer/silences';
import { principalOf } from '../auth/request-gate';
import { SILENCES } from '../core/tokens';

/**
 * `/api/v1/silences` (docs/silences.md). The request gate lets only operators send POST and DELETE (a
 * viewer gets its 403 before this runs); the author is the principal it attached.
 */
@Controller('api/v1/silences')
export class SilencesController {
  constructor(@Inject(SILENCES) private readonly silences: Silences) {}

  @Get()
  async list(): Promise<SilencesResponse> {
    return { silences: await this.silences.list() };
  }

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown, @Req() req: FastifyRequest): Promise<CreateSilenceResponse> {
    try {
      const s = await this.silences.create(body, principalOf(req.raw)?.username ?? 'anonymous');
      return { id: s.id };
    } catch (err) {
      if (err instanceof SilenceRequestError)
        throw new HttpException(
          {
            error: 'invalid_silence',
            message: err.message,
            ...(err.field !== undefined ? { field: err.field } : {}),
          },
          HttpStatus.BAD_REQUEST,
        );
      if (err instanceof TooManySilencesError)
        throw new HttpException({ error: 'too_many_silences', message: err.message }, HttpStatus.CONFLICT);
      throw err;
    }
  }

  /** Expires the silence now; answers it as it is then. */
  @Delete(':id')
  async expire(@Param('id') id: string, @Req() req: FastifyRequest): Promise<SilenceInfo> {
    const s = await this.silences.expire(id, principalOf(req.raw)?.username ?? 'anonymous');
    if (s === undefined)
      throw new HttpException(
        { error: 'not_found', message: `no silence with id "${id}"` },
        HttpStatus.NOT_FOUND,
      );
    return { ...s, state: 'expired' };
  }
}
