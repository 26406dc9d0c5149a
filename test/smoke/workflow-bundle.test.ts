import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workflowBundle } from '../../src/temporal/workflow-bundle';
import { PROJECT_ROOT } from '../../src/project-root';

/** A checkout of its own inside the project (so that webpack finds node_modules), with one workflow. */
function checkout(): { root: string; workflows: string; write: (greeting: string) => void } {
  fs.mkdirSync(path.join(PROJECT_ROOT, 'test-results'), { recursive: true });
  const root = fs.mkdtempSync(path.join(PROJECT_ROOT, 'test-results', 'bundle-checkout-'));
  const workflows = path.join(root, 'src', 'workflows', 'index.ts');
  fs.mkdirSync(path.dirname(workflows), { recursive: true });
  fs.mkdirSync(path.join(root, 'temporal-config'));
  const write = (greeting: string) =>
    fs.writeFileSync(
      workflows,
      `export async function greet(): Promise<string> {\n  return '${greeting}';\n}\n`,
    );
  write('first');
  return { root, workflows, write };
}

const bundlesIn = (cache: string) => fs.readdirSync(path.join(cache, 'workflow-bundles')).sort();

describe('The workflow bundle, made once for each content of the code', function () {
  this.timeout(60_000);
  let cache = '';
  let code: ReturnType<typeof checkout>;
  before(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-cache-'));
    code = checkout();
  });
  after(() => {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(code.root, { recursive: true, force: true });
  });

  it('operations: a worker started again on the same code loads the bundle made at the first start; a changed file makes a new one, with the change', async () => {
    const first = await workflowBundle(code.workflows, cache);
    assert.match(first.code, /'first'/);
    const [made] = bundlesIn(cache);
    const again = await workflowBundle(code.workflows, cache);
    assert.equal(again.code, first.code);
    assert.deepEqual(bundlesIn(cache), [made], 'loaded, not made again');

    code.write('second');
    const changed = await workflowBundle(code.workflows, cache);
    assert.match(changed.code, /'second'/);
    assert.doesNotMatch(changed.code, /'first'/);
    assert.equal(bundlesIn(cache).length, 2);

    fs.writeFileSync(path.join(code.root, 'temporal-config', 'settings.ts'), 'export const x = 1;\n');
    await workflowBundle(code.workflows, cache);
    assert.equal(bundlesIn(cache).length, 3, 'a change beside the workflows makes a new one too');
  });

  it('operations: the cache keeps the five bundles last used', async () => {
    const kept = path.join(cache, 'kept');
    for (const greeting of ['a', 'b', 'c', 'd', 'e', 'f']) {
      code.write(greeting);
      await workflowBundle(code.workflows, kept);
    }
    const left = bundlesIn(kept).map((name) =>
      fs.readFileSync(path.join(kept, 'workflow-bundles', name), 'utf8'),
    );
    assert.equal(left.length, 5);
    assert.ok(!left.some((bundle) => bundle.includes("'a'")), 'the oldest went');
  });

  it('operations: a file changed while the bundle is made: the bundle is not kept under the code it was not made from', async () => {
    const racing = path.join(cache, 'racing');
    code.write('before the save');
    const making = workflowBundle(code.workflows, racing); // its key is taken now, webpack reads later
    code.write('saved meanwhile');
    assert.match((await making).code, /'saved meanwhile'/);
    assert.equal(fs.existsSync(path.join(racing, 'workflow-bundles')), false, 'nothing kept');
    assert.match((await workflowBundle(code.workflows, racing)).code, /'saved meanwhile'/);
    assert.equal(bundlesIn(racing).length, 1, 'kept once made from what it is named by');
  });

  it('operations: a bundle cut short (a crash as it was written) is made again', async () => {
    const cut = path.join(cache, 'cut');
    code.write('whole');
    const first = await workflowBundle(code.workflows, cut);
    const [name] = bundlesIn(cut);
    const file = path.join(cut, 'workflow-bundles', name!);
    fs.writeFileSync(file, first.code.slice(0, -5000));
    const again = await workflowBundle(code.workflows, cut);
    assert.match(again.code, /'whole'/);
    assert.equal(again.code.length, first.code.length);
    assert.equal(fs.readFileSync(file, 'utf8'), again.code, 'and kept whole');
  });

  it('operations: a cache that cannot be written still gives the bundle, made at each start', async () => {
    const file = path.join(cache, 'not-a-folder');
    fs.writeFileSync(file, '');
    const bundle = await workflowBundle(code.workflows, file);
    assert.match(bundle.code, /export|greet/);
  });
});
