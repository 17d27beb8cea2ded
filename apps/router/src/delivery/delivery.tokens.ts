import type { OutputInfo } from '@falconer/contracts';

/** The queued dispatcher (`DeliveryService` of @falconer/delivery). */
export const DELIVERY = Symbol('DeliveryService');

/** Live state of the output instances, for `GET /api/v1/outputs/status` (query API) and the dashboard. */
export const OUTPUTS_INFO = Symbol('OutputsInfo');

export interface OutputsInfoProvider {
  /** Every output instance: counters, queue depth, oldest age, circuit state, last error. */
  outputs(): Promise<OutputInfo[]>;
}
