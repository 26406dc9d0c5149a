import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../../src/http/api/openapi';
import { PROBLEM_TYPES, problemTypeUri, type ProblemType } from '../../src/http/problem-types';
import { PROJECT_ROOT } from '../../src/project-root';

describe('Docs: the problem types', () => {
  it('Issue 27: each problem type has a URI of its own, a row in docs/api.md and a schema whose type and status are constants', () => {
    const docs = fs.readFileSync(path.join(PROJECT_ROOT, 'docs/api.md'), 'utf8');
    const schemas = Object.values(
      openApiDocument().components!.schemas as Record<
        string,
        { properties?: { type?: { enum?: string[] }; status?: { enum?: number[] } } }
      >,
    );
    const types = Object.keys(PROBLEM_TYPES) as ProblemType[];
    assert.equal(new Set(types.map(problemTypeUri)).size, types.length, 'one URI per type');
    for (const type of types) {
      assert.match(docs, new RegExp(`^\\| \`${type}\` +\\| ${PROBLEM_TYPES[type].status} `, 'm'), type);
      const schema = schemas.find((s) => s.properties?.type?.enum?.[0] === problemTypeUri(type));
      assert.ok(schema, `${type}: a schema`);
      assert.deepEqual(schema.properties!.status!.enum, [PROBLEM_TYPES[type].status], type);
    }
  });
});
