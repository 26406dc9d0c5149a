import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type Log = (message: string) => void;

/** True when `command` runs (found on the PATH and answers its version flag). */
export function commandWorks(command: string, versionArgs: string[]): boolean {
  const result = spawnSync(command, versionArgs, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Runs a command to completion; rejects with its last output lines when it fails. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.trim()}`));
    });
  });
}

/**
 * Builds something into `finalDir` through a temporary sibling folder that is renamed into place only
 * when `build` succeeds, so an interrupted build never leaves a half-filled cache entry behind.
 */
export async function buildIntoCache(
  finalDir: string,
  build: (tmpDir: string) => Promise<void>,
): Promise<void> {
  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  const tmpDir = fs.mkdtempSync(`${finalDir}.partial-`);
  try {
    await build(tmpDir);
    fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, finalDir);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
