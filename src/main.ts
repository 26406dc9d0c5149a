import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { startEngine } from './engine';
import { createLogger } from './logger';

/** `npm start`: the engine until Ctrl-C (SIGINT) or SIGTERM, then a clean stop of all of it. */
async function main(): Promise<void> {
  const log = createLogger(process.env.LOG_LEVEL);
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      log[level.toLowerCase() as Lowercase<LogLevel>]({ temporal: meta }, message),
    ),
  });
  const engine = await startEngine(process.env, log);
  log.info({ api: engine.apiUrl, temporalWeb: engine.temporalWebUrl }, 'ready');

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      log.info({ reason }, 'stopping');
      await engine.stop();
      log.info('stopped');
    })();
    return stopping;
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await engine.running.catch(async (err) => {
    log.error({ err }, 'worker failed');
    process.exitCode = 1;
    await stop('worker failure');
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
