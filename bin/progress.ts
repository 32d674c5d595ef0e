import cliProgress from 'cli-progress';

/** What a long command reports as it goes: runs done, and failures (unexpected outcomes) so far. */
export interface Progress {
  update(done: number, fields?: ProgressFields): void;
  stop(): void;
}

export interface ProgressFields {
  readonly failures?: number;
  /** Extra words for the line (a shrink's phase and best size). */
  readonly detail?: string;
}

export interface ProgressOptions {
  /** The command's name, first on every line: `sweep`, `golden`, `compare`, `shrink`. */
  readonly label: string;
  readonly total: number;
  /** What is counted, plural ("runs"). */
  readonly unit?: string;
  readonly stream?: NodeJS.WriteStream;
  /** Plain lines at most this often without a terminal (default 10 s). */
  readonly everyMs?: number;
  /** Host time in milliseconds (bin/ may read it; tests pass their own). */
  readonly now?: () => number;
}

/**
 * Progress for long work. On a terminal, a cli-progress bar redrawn in place. Without one (CI,
 * a pipe, a file), a plain line such as `sweep: 120/400 runs, 0 unexpected, 31 s` at most every
 * `everyMs` and never before the first interval has passed, so short commands print none, and
 * never an escape code.
 */
export function progress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const unit = opts.unit ?? 'runs';
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${opts.label} [{bar}] {value}/{total} ${unit}  {eta_formatted} left  unexpected {failures}  {detail}`, stream, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(opts.total, 0, { failures: 0, detail: '' });
    return {
      update: (done, f) => bar.update(done, { failures: f?.failures ?? 0, detail: f?.detail ?? '' }),
      stop: () => bar.stop(),
    };
  }
  const now = opts.now ?? (() => performance.now());
  const every = opts.everyMs ?? 10_000;
  const start = now();
  let last = start;
  return {
    update(done, f) {
      const t = now();
      if (t - last < every) return;
      last = t;
      const failures = f?.failures !== undefined ? `, ${f.failures} unexpected` : '';
      const detail = f?.detail ? `, ${f.detail}` : '';
      stream.write(`${opts.label}: ${done}/${opts.total} ${unit}${failures}${detail}, ${Math.round((t - start) / 1000)} s\n`);
    },
    stop() {},
  };
}
