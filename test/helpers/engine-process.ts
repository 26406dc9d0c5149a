import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/project-root';
import { gracefulStop } from './graceful-stop';

export interface EngineProcess {
  /** What it logged when ready: the API's base URL (api role), where its metrics are read. */
  apiUrl?: string;
  metricsUrl?: string;
  temporalMetricsUrl?: string;
  /** What the process wrote, for a failure's message. */
  output(): string;
  /** The messages it logged until it was ready, in order. */
  messages(): string[];
  /** SIGTERM, then SIGKILL if it has not stopped within 10 s. */
  stop(): Promise<void>;
}

/**
 * `npm run api`, `npm run worker` or (`all`) `npm start` as a process of its own (from the sources, through
 * tsx), with `env` added to this one's; resolves once it logged "ready" (or `readyMessage`), or stops it after
 * `readyWithinMs`.
 */
export async function startEngineProcess(
  role: 'api' | 'worker' | 'all',
  env: Record<string, string>,
  readyWithinMs = 60_000,
  readyMessage = /^ready/,
): Promise<EngineProcess> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/main.ts', role], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const messages: string[] = [];
  const stop = gracefulStop(child, 10_000);
  type Ready = Pick<EngineProcess, 'apiUrl' | 'metricsUrl' | 'temporalMetricsUrl'>;
  const ready = new Promise<Ready>((resolve, reject) => {
    let found = false;
    // Each stream's whole lines only: the ready line is read once, before later output (a request log line
    // each) pushes it out of the tail kept for a failure's message.
    const onData = (partial: { line: string }) => (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      const lines = (partial.line + text).split('\n');
      partial.line = lines.pop()!;
      for (const line of lines) {
        const logged = found ? undefined : logLine(line);
        if (!logged) continue;
        messages.push(logged.msg);
        if (!readyMessage.test(logged.msg)) continue;
        found = true;
        resolve({
          apiUrl: logged.api,
          metricsUrl: logged.metrics,
          temporalMetricsUrl: logged.temporalMetrics,
        });
      }
    };
    child.stdout!.on('data', onData({ line: '' }));
    child.stderr!.on('data', onData({ line: '' }));
    child.once('exit', () => reject(new Error(`the ${role} process exited before it was ready:\n${output}`)));
  });
  const timeout = setTimeout(() => void stop(), readyWithinMs);
  try {
    return { ...(await ready), output: () => output, messages: () => [...messages], stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timeout);
  }
}

interface LogLine {
  msg: string;
  api?: string;
  metrics?: string;
  temporalMetrics?: string;
}

/** A JSON log line of the engine; undefined for any other output (the Temporal CLI's, a stack trace). */
function logLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const logged = JSON.parse(line) as Partial<LogLine>;
    return typeof logged.msg === 'string' ? (logged as LogLine) : undefined;
  } catch {
    return undefined;
  }
}
