import type { ChildProcess } from 'node:child_process';

/**
 * A stop for `child`: SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has
 * exited, at once if it had already. Made when the child is spawned, so that its exit is not missed.
 */
export function gracefulStop(child: ChildProcess, graceMs: number): () => Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(kill);
  };
}
