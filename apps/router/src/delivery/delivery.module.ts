import { Module, type DynamicModule } from '@nestjs/common';
import type { DeliveryService } from '@falconer/delivery';
import { DeadLettersController } from './deadletters.controller';
import { DELIVERY, OUTPUTS_INFO, type OutputsInfoProvider } from './delivery.tokens';

/**
 * Dead-letter API, and the DELIVERY / OUTPUTS_INFO tokens for other features (the query API's
 * `GET /api/v1/outputs/status` injects OUTPUTS_INFO).
 */
@Module({})
export class DeliveryModule {
  static forRoot(delivery: DeliveryService): DynamicModule {
    const info: OutputsInfoProvider = { outputs: () => delivery.outputs() };
    return {
      module: DeliveryModule,
      global: true,
      controllers: [DeadLettersController],
      providers: [
        { provide: DELIVERY, useValue: delivery },
        { provide: OUTPUTS_INFO, useValue: info },
      ],
      exports: [DELIVERY, OUTPUTS_INFO],
    };
  }
}
