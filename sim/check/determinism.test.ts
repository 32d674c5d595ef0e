import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkerByName } from './registry.ts';
import * as api from './index.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = `${dir}/${f}`;
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.bench.ts') && !p.includes('/bench-') ? [p] : [];
  });
}

describe('sim/check stays deterministic', () => {
  it('uses no host randomness, time, timers or I/O', () => {
    const banned = /Math\.random|Date\b|performance\.now|setTimeout|setInterval|process\.hrtime|from 'node:(fs|net|http|https|child_process)'|from 'fs'/;
    for (const file of sources(here)) {
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(banned.exec(text)?.[0], file).toBeUndefined();
    }
  });
});

describe('public API', () => {
  it('exports the checker factories and registries', () => {
    expect(typeof api.linearizable).toBe('function');
    expect(typeof api.convergence).toBe('function');
    expect(typeof api.sessionGuarantees).toBe('function');
    expect(api.modelNames()).toContain('register');
    expect(checkerByName('linearizable:kv').name).toBe('linearizable:kv');
    expect(checkerByName('monotonic-reads').name).toBe('monotonic-reads');
    expect(() => checkerByName('nope')).toThrow(/unknown checker/);
  });
});
