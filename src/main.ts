import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { loadTemporalConfig } from '../temporal-config';
import { startEngine, type Engine, type EngineRole } from './engine';
import { createLogger, type Logger } from './logger';
import { portOrFree, SettingError } from './servers/ports';

const ROLES: Record<string, EngineRole[]> = { all: ['api', 'worker'], api: ['api'], worker: ['worker'] };

/**
 * `npm start` (everything), `npm run api` or `npm run worker`: the engine until Ctrl-C (SIGINT) or
 * SIGTERM, then a clean stop of all of it.
 */
async function main(): Promise<void> {
  const role = process.argv[2] ?? 'all';
  const roles = ROLES[role];
  if (!roles) throw new Error(`Unknown role "${role}": use api, worker, or nothing for both`);
  const log = createLogger(process.env.LOG_LEVEL);
  log.info(
    roles.length > 1
      ? 'starting the engine: the worker and the API in one process'
      : `starting the ${role} process`,
  );
  // The SDK's worker metrics (task slots, polls, latencies) on their own Prometheus listener.
  const { metricsAddress } = loadTemporalConfig(process.env);
  const sdkMetrics =
    roles.includes('worker') && metricsAddress
      ? await sdkMetricsAddress(metricsAddress, process.env.TEMPORAL_METRICS_ADDRESS !== undefined, log)
      : undefined;
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      log[level.toLowerCase() as Lowercase<LogLevel>]({ temporal: meta }, message),
    ),
    ...(sdkMetrics ? { telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetrics } } } } : {}),
  });
  const engine = await startEngine(process.env, log, roles);
  const where = {
    api: engine.apiUrl,
    temporalWeb: engine.temporalWebUrl,
    metrics: engine.metricsUrl,
    temporalMetrics: sdkMetrics && `http://${sdkMetrics}/metrics`,
  };
  if (!engine.connectedAtStart) {
    log.info(
      where,
      `started, waiting for Temporal (/readyz answers 503 until it connects): ${places(engine)}`,
    );
  }
  void engine.connected.then(
    () => log.info(where, readyMessage(engine)),
    () => undefined,
  );

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

/** "ready", and where a person goes next: the portal, the API and its reference, Temporal Web. */
function readyMessage(engine: Engine): string {
  return `ready: ${places(engine)}`;
}

function places(engine: Engine): string {
  const where = engine.apiUrl
    ? [
        `the portal at ${engine.apiUrl}/`,
        `the API at ${engine.apiUrl}/v1 (its reference at ${engine.apiUrl}/docs)`,
      ]
    : [`the worker's metrics at ${engine.metricsUrl}`];
  if (engine.temporalWebUrl) where.push(`Temporal Web at ${engine.temporalWebUrl}`);
  return where.join(', ');
}

/**
 * Where the SDK's metrics listen: TEMPORAL_METRICS_ADDRESS, refused by name when taken; its default, when
 * taken (a second engine on this machine), gives way to a free port, said in the log.
 */
async function sdkMetricsAddress(address: string, chosen: boolean, log: Logger): Promise<string> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at);
  const wanted = { setting: 'TEMPORAL_METRICS_ADDRESS', host, port: Number(address.slice(at + 1)) };
  const port = await portOrFree(wanted, chosen);
  if (port !== wanted.port) {
    log.info(`the SDK's metrics listen on ${host}:${port}: ${address} is taken (TEMPORAL_METRICS_ADDRESS)`);
  }
  return `${host}:${port}`;
}

main().catch((err) => {
  // A setting the operator can fix is one line; anything else keeps its stack for a bug report.
  console.error(err instanceof SettingError ? `error: ${err.message}` : err);
  process.exit(1);
});
