import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';

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

export interface ResolvedExecutable {
  executable: EphemeralServerExecutable;
  /** How it was found, for the log and for the error when it does not start. */
  source: 'environment' | 'cache' | 'built' | 'sdk-download';
}

/** How to obtain one Temporal server. */
export interface ExecutableRecipe {
  /** For the log: what is being built, and how. */
  name: string;
  how: string;
  /** The environment variable that names an executable to use as it is, and its value. */
  variable: string;
  explicitPath: string | undefined;
  /** The cache folder for this version, and the executable inside it. */
  cacheEntry: string;
  executableInEntry: string;
  /** Whether the tools to build it are here, and how to build it into a folder. */
  canBuild: () => boolean;
  build: (folder: string) => Promise<void>;
  /** Where the SDK's own download goes when nothing else works. */
  downloadDir: string;
}

/** The order of choice for both servers: an explicit path; the cache; a build from the registries; the SDK's download. */
export async function resolveExecutable(recipe: ExecutableRecipe, log: Log): Promise<ResolvedExecutable> {
  if (recipe.explicitPath) {
    if (!isExecutableFile(recipe.explicitPath)) {
      throw new Error(`${recipe.variable}=${recipe.explicitPath} is not an executable file`);
    }
    return { executable: { type: 'existing-path', path: recipe.explicitPath }, source: 'environment' };
  }
  const cached = path.join(recipe.cacheEntry, recipe.executableInEntry);
  if (isExecutableFile(cached))
    return { executable: { type: 'existing-path', path: cached }, source: 'cache' };
  if (recipe.canBuild()) {
    log(`Building the ${recipe.name} with ${recipe.how} into ${recipe.cacheEntry} (once)`);
    const started = Date.now();
    try {
      await buildIntoCache(recipe.cacheEntry, recipe.build);
      log(`The ${recipe.name} is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { executable: { type: 'existing-path', path: cached }, source: 'built' };
    } catch (err) {
      log(
        `Could not build the ${recipe.name}, falling back to the SDK's download: ${(err as Error).message}`,
      );
    }
  }
  return { executable: { type: 'cached-download', downloadDir: recipe.downloadDir }, source: 'sdk-download' };
}
