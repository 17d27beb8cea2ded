import { Controller, Get, Inject } from '@nestjs/common';
import type { OutputInfo, OutputNames, OutputsResponse } from '@falconer/contracts';
import type { FalconerConfig } from '@falconer/config';
import { redactRouterConfig } from '@falconer/outputs-registry';
import type { OutputInstance } from '@falconer/outputs-registry';
import type { Silences } from '@falconer/silences';
import { CONFIG, OUTPUTS, SILENCES } from '../core/tokens';
import { OUTPUTS_INFO, type OutputsInfoProvider } from '../delivery/delivery.tokens';
import { ReportedOutputs } from './reported-outputs';

/** What an output looks like before the delivery layer has said anything about it. */
function idle(o: OutputInstance): OutputInfo {
  return {
    name: o.name,
    type: o.type,
    enabled: true,
    filter: o.filterText,
    health: 'ok',
    circuit: 'closed',
    queueDepth: 0,
    oldestQueuedAgeMs: 0,
    counters: { matched: 0, sent: 0, retried: 0, deadLettered: 0, failed: {} },
  };
}

@Controller('api/v1')
export class OutputsController {
  constructor(
    @Inject(OUTPUTS) private readonly outputs: readonly OutputInstance[],
    @Inject(CONFIG) private readonly config: FalconerConfig,
    @Inject(ReportedOutputs) private readonly reported: ReportedOutputs,
    // the delivery layer's live counters
    @Inject(OUTPUTS_INFO) private readonly live: OutputsInfoProvider,
    @Inject(SILENCES) private readonly silences: Silences,
  ) {}

  /**
   * falcosidekick-ui's answer: output names. Falconer's own instances, then those the last falcosidekick
   * webui body listed (the outputs that falcosidekick delivers to). The details are at `outputs/status`.
   */
  @Get('outputs')
  names(): OutputNames {
    return [...new Set([...this.outputs.map((o) => o.name), ...this.reported.list()])];
  }

  /** Every configured output instance: type, filter in words, and the delivery layer's live state. */
  @Get('outputs/status')
  async list(): Promise<OutputsResponse> {
    const live = new Map((await this.live.outputs()).map((i) => [i.name, i]));
    return {
      outputs: this.outputs.map((o) => {
        const base = idle(o);
        const l = live.get(o.name);
        // the configured identity wins; the counters and health come from delivery, a broker output's
        // connection from the output this process holds, silenced from routing
        const connection = o.output.health?.();
        const info = { ...base, ...l };
        return {
          ...info,
          name: o.name,
          type: o.type,
          filter: o.filterText,
          counters: { ...info.counters, silenced: this.silences.silencedCount(o.name) },
          ...(connection !== undefined ? { connection } : {}),
        };
      }),
    };
  }

  /** The effective configuration, every secret as `***`; `config` is falcosidekick-ui's other name for it. */
  @Get(['configuration', 'config'])
  configuration(): unknown {
    return redactRouterConfig(this.config);
  }
}
