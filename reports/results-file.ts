/**
 * A results file names runs; `faultline report` re-runs each one from (scenario, variant,
 * seed), which is exact because runs are deterministic, so a results file stays small and the
 * report still gets the full history and trace. Accepted:
 *  - the object `faultline run --json` prints (one run), pretty-printed or not;
 *  - a JSON array of such objects;
 *  - JSON lines, one object per line (sweep output): at least `scenario` and `seed`.
 * `variant` defaults to the scenario's first; `traceHash`, when present, is compared with the
 * re-run's so a report says when the code changed since the results were written.
 */
export interface ResultRef {
  readonly scenario: string;
  readonly variant: string | undefined;
  readonly seed: number;
  readonly traceHash: string | undefined;
  /** "file:line", for messages. */
  readonly source: string;
}

export class ResultsFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

function ref(v: unknown, source: string, line: number): ResultRef {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ResultsFormatError(`${source}: expected a JSON object with scenario and seed`, line);
  const o = v as Record<string, unknown>;
  if (typeof o['scenario'] !== 'string' || o['scenario'] === '') throw new ResultsFormatError(`${source}: missing "scenario" (a scenario name)`, line);
  const seed = o['seed'];
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new ResultsFormatError(`${source}: "seed" must be a non-negative integer`, line);
  const variant = o['variant'];
  if (variant !== undefined && typeof variant !== 'string') throw new ResultsFormatError(`${source}: "variant" must be a string`, line);
  const hash = o['traceHash'];
  return { scenario: o['scenario'], variant, seed, traceHash: typeof hash === 'string' ? hash : undefined, source };
}

/** Parses one results file's text; throws ResultsFormatError naming the offending line. */
export function parseResults(text: string, file: string): ResultRef[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new ResultsFormatError(`${file}: empty results file`, 1);
  let whole: unknown;
  let isWhole = true;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    isWhole = false;
  }
  if (isWhole) {
    if (Array.isArray(whole)) return whole.map((v, i) => ref(v, `${file}[${i}]`, 1));
    return [ref(whole, `${file}:1`, 1)];
  }
  const out: ResultRef[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new ResultsFormatError(`${file}:${i + 1}: not JSON (${err instanceof Error ? err.message : String(err)})`, i + 1);
    }
    out.push(ref(v, `${file}:${i + 1}`, i + 1));
  });
  return out;
}
