import { describe, expect, it } from 'vitest';
import { mapLine, parseHunks } from './remap-lines.ts';

// A zero-context diff: line 3 replaced by two lines, two lines inserted after old line 10, old
// lines 20-21 removed.
const DIFF = `diff --git a/x.ts b/x.ts
--- a/x.ts
+++ b/x.ts
@@ -3 +3,2 @@
-old
+new
+newer
@@ -10,0 +12,2 @@
+a
+b
@@ -20,2 +23,0 @@
-gone
-gone too
`;

describe('remap-lines', () => {
  const hunks = parseHunks(DIFF);
  it('reads every hunk, a count left out meaning one line', () => {
    expect(hunks).toEqual([
      { oldStart: 3, oldCount: 1, newCount: 2 },
      { oldStart: 10, oldCount: 0, newCount: 2 },
      { oldStart: 20, oldCount: 2, newCount: 0 },
    ]);
  });
  it('moves lines by what was inserted and removed above them', () => {
    expect(mapLine(2, hunks)).toBe(2);
    expect(mapLine(4, hunks)).toBe(5);
    expect(mapLine(10, hunks)).toBe(11);
    expect(mapLine(11, hunks)).toBe(14);
    expect(mapLine(22, hunks)).toBe(23);
  });
  it('gives nothing for a line the edit changed or removed', () => {
    expect(mapLine(3, hunks)).toBeUndefined();
    expect(mapLine(20, hunks)).toBeUndefined();
    expect(mapLine(21, hunks)).toBeUndefined();
  });
});
