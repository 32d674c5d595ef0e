import { describe, expect, it } from 'vitest';
import { MembershipView } from './membership.ts';

describe('MembershipView', () => {
  it('suspects a worker whose version stops growing and takes it back on a higher version', () => {
    const v = new MembershipView(300, ['w0', 'w1'], 0);
    expect(v.up(0)).toEqual(['w0', 'w1']);
    v.hear('w0', 1, false, 200);
    expect(v.up(400)).toEqual(['w0']);
    expect(v.hear('w1', 0, false, 450)).toBe(false); // an old version says nothing
    expect(v.up(450)).toEqual(['w0']);
    expect(v.hear('w1', 5, false, 480)).toBe(true);
    expect(v.up(480)).toEqual(['w0', 'w1']);
    expect(v.up(500)).toEqual(['w1']); // w0 silent for failAfter
  });

  it('learns joins from unknown workers and leaves from the left flag', () => {
    const v = new MembershipView(300, ['w0'], 0);
    v.hear('w3', 1, false, 10);
    expect(v.up(10)).toEqual(['w0', 'w3']);
    v.hear('w0', 0, true, 20);
    expect(v.up(20)).toEqual(['w3']);
    v.hear('w0', 0, false, 30); // a stale row cannot undo the leave
    expect(v.up(30)).toEqual(['w3']);
  });

  it('converges: views that exchange digests in any order end equal', () => {
    const a = new MembershipView(1000, ['w0'], 0);
    const b = new MembershipView(1000, ['w0'], 0);
    a.hear('w0', 7, false, 1);
    a.hear('w1', 3, false, 1);
    b.hear('w2', 4, false, 1);
    b.hear('w1', 5, true, 1);
    for (const [w, ver, left] of b.digest()) a.hear(w, ver, left, 2);
    for (const [w, ver, left] of a.digest()) b.hear(w, ver, left, 2);
    expect(a.digest()).toEqual(b.digest());
    expect(a.up(3)).toEqual(['w0', 'w2']);
  });
});
