import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { PROJECT_ROOT } from '../project-root';

/** Bundles kept in the cache; the oldest go as a new one is written. */
const KEPT = 5;

/**
 * The workflows bundled by webpack (some 2 s of CPU at every worker's start), made once for each content of
 * the code and kept in `cacheDir`: its name is a hash of every file of the engine's code beside the
 * workflows (`src` and `temporal-config`, or their compiled copies in `dist`) and of the installed packages'
 * lock, so a change to any of them makes a new bundle, and a worker never runs workflow code other than its
 * own. A bundle that cannot be written is made again at the next start.
 */
export async function workflowBundle(workflowsPath: string, cacheDir: string): Promise<WorkflowBundle> {
  const file = path.join(cacheDir, 'workflow-bundles', `${codeHash(workflowsPath)}.js`);
  try {
    const code = fs.readFileSync(file, 'utf8');
    fs.utimesSync(file, new Date(), new Date()); // the last used is the last to go
    return { code };
  } catch {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: Runtime.instance().logger });
    keep(file, code);
    return { code };
  }
}

/** Paths relative to the code's root: two checkouts of the same code share a bundle. */
function codeHash(workflowsPath: string): string {
  const codeRoot = path.resolve(path.dirname(workflowsPath), '..', '..');
  const hash = crypto.createHash('sha256').update(path.relative(codeRoot, workflowsPath));
  const files = [
    ...filesIn(path.join(codeRoot, 'src')),
    ...filesIn(path.join(codeRoot, 'temporal-config')),
    path.join(PROJECT_ROOT, 'package-lock.json'),
    path.join(PROJECT_ROOT, 'node_modules', '.package-lock.json'),
  ];
  for (const file of files) {
    hash.update(`\0${path.relative(codeRoot, file)}\0`);
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 32);
}

function filesIn(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Writes the bundle whole or not at all (a worker beside may read it), and removes the oldest. */
function keep(file: string, code: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, file);
    const bundles = fs
      .readdirSync(path.dirname(file))
      .filter((name) => name.endsWith('.js'))
      .map((name) => path.join(path.dirname(file), name))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    for (const old of bundles.slice(KEPT)) fs.rmSync(old, { force: true });
  } catch {
    // A cache that cannot be written (a read-only file system): the bundle is made at each start.
  }
}
