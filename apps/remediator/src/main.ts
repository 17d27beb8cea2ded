import { ConfigError, loadRemediatorConfig } from './config/remediator.config';
import { createRemediatorApp } from './app';
import { RulesError } from './rules/rules';

/** `npm run start:remediator` / `node dist/apps/remediator/main.js`: settings from the environment (spec/remediation.md). */
async function main(): Promise<void> {
  const config = loadRemediatorConfig(process.env);
  const app = await createRemediatorApp(config);
  await app.listen({ port: config.port, host: config.listenAddress });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RulesError) {
    // one readable message listing every problem, then a non-zero exit: the pod shows it in its logs
    process.stderr.write(`falconer-remediator: ${err.message}\n`);
  } else {
    process.stderr.write(
      `falconer-remediator: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
