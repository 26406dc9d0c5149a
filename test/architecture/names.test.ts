import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../src/project-root';

/** The names a folder's modules export (functions, constants, classes), with the file of each. */
function exportsOf(folder: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      if (!entry.isFile() || !file.endsWith('.ts')) continue;
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      const where = path.relative(PROJECT_ROOT, file);
      for (const statement of source.statements) {
        const exported =
          ts.canHaveModifiers(statement) &&
          ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        if (!exported) continue;
        if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
          found.set(statement.name.text, where);
        }
        if (ts.isVariableStatement(statement)) {
          for (const d of statement.declarationList.declarations) {
            if (ts.isIdentifier(d.name)) found.set(d.name.text, where);
          }
        }
      }
    }
  };
  walk(path.join(PROJECT_ROOT, folder));
  return found;
}

describe('Names: one name per concept, one concept per name', () => {
  it("Issue 23: no operation exports a name a workflow module exports (an operation is not the lifecycle's function of the same change)", () => {
    const operations = exportsOf('src/operations');
    const workflows = exportsOf('src/workflows');
    assert.ok(
      operations.size > 40 && workflows.size > 40,
      `${operations.size} and ${workflows.size} exports read`,
    );
    const shared = [...operations.keys()]
      .filter((name) => workflows.has(name))
      .map((name) => `${name}: ${operations.get(name)} and ${workflows.get(name)}`);
    assert.deepEqual(shared, []);
  });

  it('Issue 23: phone visibility and MFA exceptions have one name each in the code: setDirectoryVisibility and phonesHidden, start and end', () => {
    const code = (folder: string): string[] => {
      const dir = path.join(PROJECT_ROOT, folder);
      return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return entry.isFile() && /\.(ts|njk)$/.test(entry.name) ? [fs.readFileSync(file, 'utf8')] : [];
      });
    };
    const all = code('src').join('\n');
    // The persisted Update names ('setPhoneVisibility', 'requestMfaException') stay as histories hold them,
    // quoted once each in src/workflows/definitions.ts; no identifier, path or word uses them.
    for (const other of [
      /phoneVisibility/i,
      /\bphones\b'/,
      /requestMfaException/,
      /stopMfaException/,
      /Request (an )?MFA exception/,
    ]) {
      const uses = all.match(new RegExp(other.source, `${other.flags}g`)) ?? [];
      const persisted = /requestMfaException|phoneVisibility/i.test(other.source) ? 1 : 0;
      assert.equal(uses.length, persisted, `${other}: ${uses.length} uses`);
    }
  });
});
