import { Injectable } from '@nestjs/common';

const MAX_NAMES = 256;
const MAX_NAME_LENGTH = 256;

/**
 * The output names the last falcosidekick webui body listed (`{"event":…,"outputs":[…]}`): the outputs that
 * falcosidekick delivered to. falcosidekick-ui's `GET /api/v1/outputs` shows them; so does Falconer's, after
 * its own instances. One process's view, bounded in count and length.
 */
@Injectable()
export class ReportedOutputs {
  private names: readonly string[] = [];

  update(names: readonly string[]): void {
    this.names = names.slice(0, MAX_NAMES).map((n) => n.slice(0, MAX_NAME_LENGTH));
  }

  list(): readonly string[] {
    return this.names;
  }
}
