import { Module } from '@nestjs/common';
import { SilencesController } from './silences.controller';

/** `/api/v1/silences`; the SILENCES value itself is built in app.ts (it may need Redis) and global. */
@Module({ controllers: [SilencesController] })
export class SilencesModule {}
