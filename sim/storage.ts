import type { Choices } from './choices.ts';
import type { Value } from './value.ts';

/**
 * What a torn write leaves behind: the key holds this marker instead of the value that was
 * being written. A design that checksums its records detects it with `isTorn`; one that does
 * not reads garbage, as it would on a real disk.
 */
export const TORN: Value = Object.freeze({ torn: true });
export const isTorn = (v: Value | undefined): boolean => v === TORN;

/**
 * A node's durable storage: a key-value map with explicit sync. Reads see every write (as the
 * page cache would); only synced writes are guaranteed to survive a crash. On a crash, the
 * kernel asks `crash(choices)` which unsynced writes were lost or torn.
 */
export interface DurableStorage {
  get(key: string): Value | undefined;
  put(key: string, value: Value): void;
  delete(key: string): void;
  /** Keys in sorted order (deterministic regardless of write order), optionally by prefix. */
  keys(prefix?: string): string[];
  /** Makes every write so far durable. */
  sync(): void;
  /** Number of writes not yet synced. */
  readonly unsynced: number;
}

type PendingWrite = { readonly key: string; readonly value: Value | undefined };

export interface CrashLoss {
  /** Unsynced writes that were lost, oldest first. */
  readonly lost: readonly string[];
  /** The key whose write was torn, if any. */
  readonly torn: string | undefined;
}

export class MemoryStorage implements DurableStorage {
  /** What is on disk for sure. */
  private durable = new Map<string, Value>();
  /** What the node reads: durable plus pending writes. */
  private visible = new Map<string, Value>();
  private pending: PendingWrite[] = [];
  /** Counters for tests and reports. */
  syncs = 0;

  get(key: string): Value | undefined {
    return this.visible.get(key);
  }

  put(key: string, value: Value): void {
    this.visible.set(key, value);
    this.pending.push({ key, value });
  }

  delete(key: string): void {
    this.visible.delete(key);
    this.pending.push({ key, value: undefined });
  }

  keys(prefix = ''): string[] {
    const out: string[] = [];
    for (const k of this.visible.keys()) if (k.startsWith(prefix)) out.push(k);
    return out.sort();
  }

  sync(): void {
    for (const w of this.pending) applyWrite(this.durable, w);
    this.pending = [];
    this.syncs++;
  }

  /** Everything on disk and pending, for the explorer's state digest. */
  digest(): string {
    if (this.durable.size === 0 && this.pending.length === 0) return '';
    return JSON.stringify([[...this.durable.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), this.pending]);
  }

  get unsynced(): number {
    return this.pending.length;
  }

  /**
   * Crash: keep a prefix of the unsynced writes (as if the disk flushed some in order) and
   * lose the rest; the last kept write may be torn. With `lossRate` 0 nothing is lost: the
   * choices are only drawn when unsynced loss is a fault the scenario turned on.
   * Choices: "storage.lose" (whether any write is lost), "storage.lost" (how many beyond the
   * newest are lost too), "storage.torn" (whether the newest surviving unsynced write is torn).
   */
  crash(choices: Choices, lossRate: number): CrashLoss {
    const pending = this.pending;
    let kept = pending.length;
    let torn: string | undefined;
    if (pending.length > 0 && choices.bool(lossRate, 'storage.lose')) {
      // 0 = the mildest loss: only the newest write is lost.
      kept = pending.length - 1 - choices.int(pending.length, 'storage.lost');
      if (kept > 0 && choices.bool(0.5, 'storage.torn')) torn = pending[kept - 1]?.key;
    }
    for (let i = 0; i < kept; i++) {
      const w = pending[i] as PendingWrite;
      applyWrite(this.durable, torn !== undefined && i === kept - 1 ? { key: w.key, value: TORN } : w);
    }
    const lost = pending.slice(kept).map((w) => w.key);
    this.pending = [];
    this.visible = new Map(this.durable);
    return { lost, torn };
  }
}

function applyWrite(m: Map<string, Value>, w: PendingWrite): void {
  if (w.value === undefined) m.delete(w.key);
  else m.set(w.key, w.value);
}
