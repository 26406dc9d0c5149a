import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { PROJECT_ROOT } from '../project-root';

/** Bundles kept in the cache; the oldest go as a new one is written. */
const KEPT = 5;
/** How every bundle webpack makes for the SDK ends: its source map, inline, whole in a bundle not cut short. */
const SOURCE_MAP = '\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,';

/**
 * The workflows bundled by webpack (some 2 s of CPU at every worker's start), made once for each content of
 * the code and kept in `cacheDir`: its name is a hash of every file of the engine's code beside the
 * workflows (`src` and `temporal-config`, or their compiled copies in `dist`) and of the installed packages'
 * lock, so a change to any of them makes a new bundle, and a worker never runs workflow code other than its
 * own. A bundle that cannot be written is made again at the next start.
 */
export async function workflowBundle(workflowsPath: string, cacheDir: string): Promise<WorkflowBundle> {
  const key = codeHash(workflowsPath);
  const file = path.join(cacheDir, 'workflow-bundles', `${key}.js`);
  const cached = readComplete(file);
  if (cached) return { code: cached };
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: Runtime.instance().logger });
  // A file changed while webpack read the code (a save, a build, a checkout): the bundle may hold either.
  if (codeHash(workflowsPath) === key) keep(file, code);
  return { code };
}

function readComplete(file: string): string | undefined {
  let code: string;
  try {
    code = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  if (!whole(code)) return undefined;
  try {
    fs.utimesSync(file, new Date(), new Date()); // the last used is the last to go
  } catch {
    // A cache that can be read but not written (another user's, a read-only file system) still serves.
  }
  return code;
}

/** Whether the bundle ends with its whole source map (a file cut short by a crash is made again). */
function whole(code: string): boolean {
  const at = code.lastIndexOf(SOURCE_MAP);
  if (at < 0) return false;
  try {
    JSON.parse(Buffer.from(code.slice(at + SOURCE_MAP.length).trim(), 'base64').toString('utf8'));
    return true;
  } catch {
    return false;
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
  const partial = `${file}.${process.pid}.partial`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
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
    fs.rm(partial, { force: true }, () => {});
  }
}
