import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { OutputsController } from './outputs.controller';
import { RemediationsRoute } from './remediations.route';
import { ReportedOutputs } from './reported-outputs';
import { TriageController } from './triage.controller';

/**
 * The query API of spec/api.md: history (search, count, group-by, histogram, one event, export),
 * outputs, configuration, and the remediator's reports. It uses the router's global tokens (STORE,
 * CONFIG, OUTPUTS, LOGGER), LiveHub, and the delivery layer's OUTPUTS_INFO.
 */
@Module({
  controllers: [EventsController, OutputsController, TriageController],
  providers: [RemediationsRoute, ReportedOutputs],
  exports: [ReportedOutputs],
})
export class QueryModule {}
