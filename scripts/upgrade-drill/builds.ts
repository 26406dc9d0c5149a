import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';
import { runCommand } from '../../src/servers/tools';

/** A build of the engine: where its `dist/src/main.js` is, and which commit it is. */
export interface Build {
  name: 'old' | 'new';
  commit: string;
  main: string;
  /** Its development principals: each build reads the file of its own tree, as it was deployed with it. */
  principalsFile: string;
  /** Its workflow code, for replaying histories against it. */
  workflowsPath: string;
}

/** This working tree, built (`npm run upgrade-drill` runs `npm run build` first). */
export function currentBuild(): Build {
  const main = path.join(PROJECT_ROOT, 'dist/src/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  return {
    name: 'new',
    commit: git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain']) ? '+changes' : ''),
    main,
    principalsFile: path.join(PROJECT_ROOT, 'config/dev-principals.json'),
    workflowsPath: path.join(PROJECT_ROOT, 'dist/src/workflows/index.js'),
  };
}

/**
 * `commit`'s tree, exported from git into `folder` and compiled there with this tree's node_modules (a
 * link): the build that runs in production before the upgrade.
 */
export async function buildOf(commit: string, folder: string, log: (m: string) => void): Promise<Build> {
  const full = git(['rev-parse', '--verify', `${commit}^{commit}`]);
  fs.mkdirSync(folder, { recursive: true });
  const archive = path.join(folder, '..', 'old-tree.tar');
  execFileSync('git', ['archive', '--format=tar', '-o', archive, full], { cwd: PROJECT_ROOT });
  execFileSync('tar', ['-xf', archive, '-C', folder]);
  fs.rmSync(archive);
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(folder, 'node_modules'));
  log(`building the old engine (${full.slice(0, 12)}) in ${folder}`);
  // tsc emits even where today's type definitions disagree with the old code: it ran as it was.
  await runCommand(
    process.execPath,
    [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: folder,
    },
  ).catch((err: Error) => {
    if (!fs.existsSync(path.join(folder, 'dist/src/main.js'))) throw err;
  });
  return {
    name: 'old',
    commit: full.slice(0, 12),
    main: path.join(folder, 'dist/src/main.js'),
    principalsFile: path.join(folder, 'config/dev-principals.json'),
    workflowsPath: path.join(folder, 'dist/src/workflows/index.js'),
  };
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
}
