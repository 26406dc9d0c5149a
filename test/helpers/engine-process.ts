import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/project-root';

export interface EngineProcess {
  /** What it logged when ready: the API's base URL (api role), where its metrics are read. */
  apiUrl?: string;
  metricsUrl?: string;
  temporalMetricsUrl?: string;
  /** What the process wrote, for a failure's message. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not stopped within 10 s. */
  stop(): Promise<void>;
}

/**
 * `npm run api` or `npm run worker` as a process of its own (from the sources, through tsx), with `env`
 * added to this one's; resolves once it logged "ready".
 */
export async function startEngineProcess(
  role: 'api' | 'worker',
  env: Record<string, string>,
): Promise<EngineProcess> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/main.ts', role], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  };
  type Ready = Pick<EngineProcess, 'apiUrl' | 'metricsUrl' | 'temporalMetricsUrl'>;
  const ready = new Promise<Ready>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      for (const line of output.split('\n')) {
        if (!line.includes('"msg":"ready"')) continue;
        const logged = JSON.parse(line) as { api?: string; metrics?: string; temporalMetrics?: string };
        resolve({
          apiUrl: logged.api,
          metricsUrl: logged.metrics,
          temporalMetricsUrl: logged.temporalMetrics,
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`the ${role} process exited before it was ready:\n${output}`)));
  });
  const timeout = setTimeout(() => void stop(), 60_000);
  try {
    return { ...(await ready), output: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timeout);
  }
}
