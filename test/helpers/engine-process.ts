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
    let found = false;
    // Each stream's whole lines only: the ready line is read once, before later output (a request log line
    // each) pushes it out of the tail kept for a failure's message.
    const onData = (partial: { line: string }) => (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      if (found) return;
      const lines = (partial.line + text).split('\n');
      partial.line = lines.pop()!;
      const line = lines.find((l) => l.includes('"msg":"ready"'));
      if (!line) return;
      found = true;
      const logged = JSON.parse(line) as { api?: string; metrics?: string; temporalMetrics?: string };
      resolve({
        apiUrl: logged.api,
        metricsUrl: logged.metrics,
        temporalMetricsUrl: logged.temporalMetrics,
      });
    };
    child.stdout!.on('data', onData({ line: '' }));
    child.stderr!.on('data', onData({ line: '' }));
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
