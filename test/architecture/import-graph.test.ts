import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';
import madge from 'madge';
import { PROJECT_ROOT } from '../../src/project-root';

/** The layers whose imports must form no circle (docs/architecture.md). */
const LAYERS = ['operations/', 'activities/', 'bulk/', 'workflows/', 'access/', 'http/'];

describe('Layers (docs/architecture.md): the core speaks its own language', function () {
  this.timeout(120_000);

  it('Issue 23: no import circle passes through operations, activities, bulk, workflows, access or http, type-only imports included (madge)', async () => {
    const graph = await madge(path.join(PROJECT_ROOT, 'src'), {
      fileExtensions: ['ts'],
      tsConfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
    });
    const circles = graph
      .circular()
      .filter((circle) => circle.some((f) => LAYERS.some((l) => f.startsWith(l))));
    assert.deepEqual(circles, []);
    // The graph is the real one: the engine's modules, and the lifecycle's import of its activities' types.
    assert.ok(Object.keys(graph.obj()).length > 150);
    assert.ok(graph.obj()['workflows/lifecycle/act.ts']?.includes('activities/lifecycle.ts'));
  });

  it('Issue 23: lint refuses an import across a line (the core or the API reaching into the web layer, the API and the portal into each other) and one that closes a circle', async () => {
    const eslint = new ESLint({ cwd: PROJECT_ROOT });
    const errorsOf = async (file: string, code: string) => {
      const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT_ROOT, file) });
      return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
    };
    const probes: [string, string, RegExp][] = [
      [
        'src/operations/probe.ts',
        "import { Problem } from '../http/problem';\nexport const p = Problem;\n",
        /no-restricted-paths.*operation error/,
      ],
      [
        'src/workflows/probe.ts',
        "import { ADMINS } from '../http/api/authenticate';\nexport const a = ADMINS;\n",
        /no-restricted-paths/,
      ],
      [
        'src/bulk/probe.ts',
        "import { reply } from '../http/api/reply';\nexport const r = reply;\n",
        /no-restricted-paths/,
      ],
      [
        'src/workflows/probe.ts',
        "import { applyChange } from '../operations/account-change';\nexport const a = applyChange;\n",
        /no-restricted-paths.*never the other way round/,
      ],
      [
        'src/http/portal/probe.ts',
        "import { reply } from '../api/reply';\nexport const r = reply;\n",
        /no-restricted-paths.*side by side/,
      ],
      [
        'src/http/api/probe.ts',
        "import { renderPage } from '../portal/views';\nexport const r = renderPage;\n",
        /no-restricted-paths.*side by side/,
      ],
      [
        'src/http/rate-limit.ts',
        "import { reply } from './api/reply';\nexport const r = reply;\n",
        /below both/,
      ],
      [
        'src/http/security/probe.ts',
        "import { portalRoutes } from '../portal/portal';\nexport const p = portalRoutes;\n",
        /below both/,
      ],
      // workflows/definitions.ts is imported by operations/account-change.ts: importing it back closes a circle.
      [
        'src/workflows/definitions.ts',
        "import { applyChange } from '../operations/account-change';\nexport const a = applyChange;\n",
        /import-x\/no-cycle/,
      ],
    ];
    for (const [file, code, expected] of probes) {
      const errors = await errorsOf(file, code);
      assert.ok(
        errors.some((e) => expected.test(e)),
        `${file}: ${code.split('\n')[0]} gave ${JSON.stringify(errors)}`,
      );
    }
    // And the engine as it is passes.
    assert.deepEqual(
      await errorsOf(
        'src/operations/probe.ts',
        "import { invalid } from './errors';\nexport const i = invalid;\n",
      ),
      [],
    );
  });
});
