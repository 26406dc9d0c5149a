import { spawnSync } from 'node:child_process';

/**
 * A Python tool's command: its script on the PATH, or its module where pip put no script there (as with
 * pip install --user); the first that answers `probe` (--help, --version). Undefined if neither does.
 */
export function pythonCli(script: string, module: string, probe: string): [string, ...string[]] | undefined {
  const found = [[script], ['python3', '-m', module]].find(
    ([command, ...args]) => spawnSync(command!, [...args, probe]).status === 0,
  );
  return found as [string, ...string[]] | undefined;
}
