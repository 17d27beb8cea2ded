import { ConfigError } from '@falconer/config';
import { loadRouterConfig } from '@falconer/outputs-registry';
import pino from 'pino';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRouterApp } from './app';
import { version } from './core/version';

async function main(): Promise<void> {
  const log = pino({ base: { app: 'falconer-router' } });
  let loaded;
  try {
    loaded = loadRouterConfig({ argv: process.argv.slice(2), env: process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      log.fatal({ problems: err.problems }, err.message);
      process.exit(1);
    }
    throw err;
  }
  const { config, warnings } = loaded;
  const logger = pino({ level: config.debug ? 'debug' : 'info', base: { app: 'falconer-router' } });
  for (const w of warnings) logger.warn(w);
  let router;
  try {
    const parseWorker = join(__dirname, 'parse-worker.js');
    router = await createRouterApp(config, {
      logger,
      ...(existsSync(parseWorker) ? { parseWorker } : {}),
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      logger.fatal({ problems: err.problems }, err.message);
      process.exit(1);
    }
    throw err;
  }
  const url = await router.listen();
  logger.info(
    {
      url,
      version,
      outputs: config.outputs.map((o) => `${o.name} (${o.type})`),
      store: config.redis.url === '' ? 'memory' : 'redis',
    },
    `Falconer listening on ${url}; dashboard at ${url}${config.ui.basepath}`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    router
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
