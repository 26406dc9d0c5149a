// Rewrites test/helpers/test-weights.json, by which `npm test` splits its files into lanes, from the wall time
// of each file in the last `TEST_REPORTER=test/helpers/file-times-reporter.ts npm test` (its lanes' files in
// test-results/): `tsx scripts/test-weights.ts`.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/project-root';

const results = path.join(PROJECT_ROOT, 'test-results');
const lanes = fs.readdirSync(results).filter((name) => /^file-times-lane-\d+\.json$/.test(name));
if (lanes.length === 0)
  throw new Error(`No file-times-lane-N.json in ${results}: run the suite with the reporter`);
const weights: Record<string, number> = {};
for (const lane of lanes) {
  const { files } = JSON.parse(fs.readFileSync(path.join(results, lane), 'utf8')) as {
    files: { file: string; ms: number }[];
  };
  for (const { file, ms } of files) weights[file] = Math.round(ms / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(weights).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync(
  path.join(PROJECT_ROOT, 'test/helpers/test-weights.json'),
  `${JSON.stringify(sorted, null, 2)}\n`,
);
console.log(`${Object.keys(sorted).length} files weighed from ${lanes.length} lanes`);
