import { describe, expect, it } from 'vitest';
import { mapLine, parseHunks, remapText } from './remap-lines.ts';

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
  it('moves every reference of a mutation.json in place, keeping its layout, and lists the ones on changed lines', () => {
    const text = '{\n  "equivalent": [{"at": "x.ts:11", "why": "a"}, {"at": "x.ts:3", "why": "b"}],\n  "outOfScope": [{"at":"x.ts:4-22", "first": "c"}, {"at": "y.ts:11"}]\n}\n';
    const r = remapText(text, (file) => (file === 'x.ts' ? hunks : []));
    expect(r.text).toBe('{\n  "equivalent": [{"at": "x.ts:14", "why": "a"}, {"at": "x.ts:3", "why": "b"}],\n  "outOfScope": [{"at":"x.ts:5-23", "first": "c"}, {"at": "y.ts:11"}]\n}\n');
    expect(r.moved).toBe(2);
    expect(r.stale).toEqual(['x.ts:3: the edit changed this line; judge it again']);
  });
});
