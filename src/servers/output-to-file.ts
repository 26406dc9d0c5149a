import fs from 'node:fs';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';

const quoted = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The dev server writes its banner and its own log lines (the Go client's dial warnings at shutdown among
 * them) straight to the engine's terminal, in their own forms. The SDK hands the child our output itself,
 * so the server is started through a small script that sends both of its streams to a file instead.
 */
export function outputToFile(
  executable: EphemeralServerExecutable,
  logFile: string,
): EphemeralServerExecutable {
  if (executable.type !== 'existing-path') return executable;
  const script = path.join(path.dirname(logFile), '.temporal-cli-to-log.sh');
  const text = `#!/bin/sh\nexec ${quoted(executable.path)} "$@" >>${quoted(logFile)} 2>&1\n`;
  fs.closeSync(fs.openSync(logFile, 'a', 0o600));
  fs.chmodSync(logFile, 0o600);
  fs.writeFileSync(script, text, { mode: 0o700 });
  fs.chmodSync(script, 0o700);
  return { type: 'existing-path', path: script };
}
