// Prints jest's totals as one plain closing line ("tests: N passed, N failed, N skipped") that CI
// reads to know how many tests ran; jest's own summary ("Tests: N passed, N total") is not one.
// Plain JavaScript so it runs without a build.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/jest.json';
if (!existsSync(file)) {
  console.log('tests: 0 passed, 1 failed (jest wrote no results)');
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
