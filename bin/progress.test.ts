import { describe, expect, it } from 'vitest';
import { progress } from './progress.ts';

/** A stand-in for stderr that records what is written; `tty` decides which kind it plays. */
function fakeStream(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const s = {
    isTTY: tty,
    columns: 100,
    write: (chunk: string) => {
      out += chunk;
      return true;
    },
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => s,
    removeListener: () => s,
  };
  return { stream: s as unknown as NodeJS.WriteStream, text: () => out };
}

describe('progress', () => {
  it('without a terminal: a plain line at most every 10 s, none before, never an escape code', () => {
    const { stream, text } = fakeStream(false);
    let t = 0;
    const p = progress({ label: 'golden', total: 100, stream, now: () => t });
    for (let done = 1; done <= 100; done++) {
      t += 450; // 45 s in all
      p.update(done, { failures: done > 50 ? 1 : 0 });
    }
    p.stop();
    const lines = text().trim().split('\n');
    expect(lines).toEqual(['golden: 23/100 runs, 0 unexpected, 10 s', 'golden: 46/100 runs, 0 unexpected, 21 s', 'golden: 69/100 runs, 1 unexpected, 31 s', 'golden: 92/100 runs, 1 unexpected, 41 s']);
    expect(text()).not.toContain('\u001b');
  });

  it('a short command without a terminal prints nothing', () => {
    const { stream, text } = fakeStream(false);
    const p = progress({ label: 'compare', total: 3, stream, now: () => 0 });
    p.update(1);
    p.update(3);
    p.stop();
    expect(text()).toBe('');
  });

  it('on a terminal: a bar that counts the runs and the failures', () => {
    const { stream, text } = fakeStream(true);
    const p = progress({ label: 'shrink', total: 10, unit: 'candidate runs', stream });
    p.update(4, { failures: 2, detail: 'phase drop' });
    p.stop();
    expect(text()).toMatch(/shrink \[.*\] 4\/10 candidate runs .* unexpected 2 {2}phase drop/);
  });
});
