import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ApiError } from '@falconer/contracts';
import { QueryError, StoreUnavailableError } from '@falconer/store';

const ERROR_NAMES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** Every API error is JSON `{"error","message"[,"field"]}`; never a stack trace. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let status = 500;
    let body: ApiError = { error: 'internal', message: 'internal error' };
    if (exception instanceof QueryError) {
      status = 400;
      body = { error: 'invalid_parameter', message: exception.message, field: exception.field };
    } else if (exception instanceof StoreUnavailableError) {
      status = 503;
      body = { error: 'history_unavailable', message: exception.message };
      void reply.header('retry-after', '5');
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const r = exception.getResponse();
      if (
        typeof r === 'object' &&
        r !== null &&
        !('statusCode' in r) &&
        'error' in r &&
        'message' in r &&
        typeof r.message === 'string'
      ) {
        body = r as ApiError;
      } else {
        const raw = typeof r === 'string' ? r : (r as { message?: unknown }).message;
        const message = Array.isArray(raw)
          ? raw.map(String).join('; ')
          : typeof raw === 'string'
            ? raw
            : exception.message;
        body = { error: ERROR_NAMES[status] ?? 'error', message };
      }
    }
    void reply.code(status).type('application/json').send(JSON.stringify(body));
  }
}
