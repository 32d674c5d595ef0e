/**
 * Mutation score of one design: Stryker mutates `models/<design>/` (its implementation files, not
 * its tests, checkers or checker models) and runs, against every mutant, a sweep of the design's
 * corrected scenarios over a fixed seed range (bin/dev/mutation/sweep.mutation.ts) plus each other
 * variant's expectation on its fixed seeds. A mutant is killed when some run's check is not ok.
 *
 *   npx tsx bin/dev/mutation-score.ts karaoke-room [--seeds 1..20] [--corrected-only] [--concurrency 1]
 *     [--files <globs>] [--tested-by <models>] [--rescore | --survivors]
 *
 * `--survivors`, after a check was added: Stryker runs again on only the lines where the last
 * report has a mutant that survived or had no coverage (and is neither equivalent nor out of
 * scope), and its results replace those mutants' in the report. A mutant killed before stays
 * killed: a new check only adds violations, and so do more seeds (`--seeds` may widen the
 * report's range, never leave part of it out). A mutated file that changed since the report has
 * other mutants: it is mutated whole again and replaces its part of the report. Refused when the
 * seeds do not include the report's.
 *
 * Prints killed / survived / timeout / no-coverage / equivalent and every survivor (file:line,
 * mutator, replacement). Survivors judged equivalent are listed, with why, in
 * `models/<design>/mutation.json` (`{ "exclude": [globs], "equivalent": [{ "at": "file:line",
 * "mutator", "replacement", "why" }] }`). Not part of `npm test`; docs/mutation-score.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { Stryker } from '@stryker-mutator/core';
import type { LogLevel, MutantResult } from '@stryker-mutator/api/core';
import { scenarios } from '../../scenarios/index.ts';
import { modelsTesting, parseSeeds } from './mutation/designs.ts';

interface Equivalent {
  readonly at: string;
  readonly mutator: string;
  readonly replacement?: string;
  /**
   * The mutated expression's first column (Stryker's, 1-based), where one line holds several
   * mutants of one mutator and replacement (a `true` for each operand of a condition) and only
   * some are equivalent.
   */
  readonly column?: number;
  readonly why: string;
}
/**
 * Code that is mutated but is not the corrected design under test: the simulated user's own
 * choices (which operation, which song, when to stop: a mutant there is another workload, not a
 * bug), or a planted bug's definition (only a non-corrected variant runs it). Given as
 * `file:from-to` line ranges with why; their mutants are listed apart and not scored.
 */
interface OutOfScope {
  readonly at: string;
  readonly why: string;
  /**
   * Text the range's first line holds. Ranges are line numbers, and an edit above them moves the
   * code away: without this, a stale range silently puts real code out of scope (the runtime's
   * explorer ranges had drifted onto its idle timer and its close handling).
   */
  readonly first: string;
}
interface DesignMutationConfig {
  readonly exclude?: readonly string[];
  readonly equivalent?: readonly Equivalent[];
  readonly outOfScope?: readonly OutOfScope[];
}

const root = resolve(import.meta.dirname, '../..');
const program = new Command()
  .argument('<design>', 'a folder under models/')
  .option('--seeds <range>', 'seeds of the corrected sweep, A..B', '1..20')
  .option('--corrected-only', 'do not also run the other variants on their fixed seeds')
  .option('--concurrency <n>', 'Stryker test-runner processes', '1')
  .option('--files <globs>', 'comma-separated globs to mutate instead of the whole folder (a subset)')
  .option('--rescore', "score the last run's Stryker report again (after editing mutation.json) instead of running Stryker")
  .option('--survivors', "run Stryker again on only the last report's surviving lines (after adding a check) and merge the results into it")
  .option('--tested-by <models>', "comma-separated models whose scenarios are the tests (default: every model that uses the design); a part shared by many designs, such as raft, is scored faster through one of them")
  .parse();
const design = program.args[0] as string;
const o = program.opts<{ seeds: string; rescore?: boolean; survivors?: boolean; correctedOnly?: boolean; concurrency: string; files?: string; testedBy?: string }>();
if (o.rescore && o.survivors) {
  console.error('--rescore and --survivors exclude each other: --survivors runs Stryker, --rescore does not');
  process.exit(64);
}
const dir = join(root, 'models', design);
if (!existsSync(dir)) {
  console.error(`no design folder models/${design}`);
  process.exit(64);
}
parseSeeds(o.seeds);
const users = modelsTesting(design, scenarios, join(root, 'models'));
const models = o.testedBy === undefined ? users : o.testedBy.split(',').filter((m) => users.includes(m));
if (o.testedBy !== undefined && models.length === 0) {
  console.error(`--tested-by names none of the models that use models/${design}: ${users.join(', ')}`);
  process.exit(64);
}
if (models.length === 0) {
  console.error(`no scenario runs models/${design}`);
  process.exit(64);
}
const cfgPath = join(dir, 'mutation.json');
const cfg: DesignMutationConfig = existsSync(cfgPath) ? (JSON.parse(readFileSync(cfgPath, 'utf8')) as DesignMutationConfig) : {};
// A malformed range is refused now, not after an hour of mutants.
const rangeOf = (at: string) => /^(.*):(\d+)-(\d+)$/.exec(at);
for (const r of cfg.outOfScope ?? []) {
  const m = rangeOf(r.at);
  if (!m || !r.why || typeof r.first !== 'string' || r.first.trim() === '') {
    console.error(`models/${design}/mutation.json: each outOfScope entry needs 'at' as file:from-to, a 'why' and 'first' (text of the range's first line); got ${JSON.stringify(r)}`);
    process.exit(65);
  }
  const file = join(root, m[1] as string);
  const line = existsSync(file) ? readFileSync(file, 'utf8').split('\n')[Number(m[2]) - 1] : undefined;
  if (line === undefined || !line.includes(r.first)) {
    console.error(`models/${design}/mutation.json: outOfScope ${r.at} should start at a line holding ${JSON.stringify(r.first)}, but line ${m[2]} is ${JSON.stringify(line ?? '(none)')}; the code moved: fix the range`);
    process.exit(65);
  }
}
const mutate = o.files
  ? o.files.split(',')
  : [
      `models/${design}/**/*.ts`,
      `!models/${design}/**/*.test.ts`,
      `!models/${design}/**/*.mutation.ts`,
      // Checkers and checker models are the bench's, not the design's: a weaker check cannot fail a holding run.
      `!models/${design}/checks.ts`,
      `!models/${design}/*-model.ts`,
      ...(cfg.exclude ?? []).map((g) => `!${g}`),
    ];

process.env.FAULTLINE_MUTATION_MODELS = models.join(',');
process.env.FAULTLINE_MUTATION_SEEDS = o.seeds;
process.env.FAULTLINE_MUTATION_OTHERS = o.correctedOnly ? '0' : '1';
const outDir = join(root, '.faultline', 'mutation');
mkdirSync(outDir, { recursive: true });
console.log(`mutating ${mutate.filter((g) => !g.startsWith('!')).join(' ')}; tests: ${models.join(', ')} scenarios, corrected seeds ${o.seeds}${o.correctedOnly ? '' : ' + other variants on their fixed seeds'}`);

/** What scoring reads of a mutant: the fields Stryker's results and its JSON report share. */
type Scored = Pick<MutantResult, 'fileName' | 'mutatorName' | 'replacement' | 'status' | 'location'>;
const reportPath = join(outDir, `${design}.stryker.json`);

async function mutationTest(only?: readonly string[], report = reportPath): Promise<Scored[]> {
  const stryker = new Stryker({
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    // related: false: the sweep reaches models through scenarios/index.ts; run it for every mutant.
    vitest: { configFile: 'bin/dev/mutation/vitest.mutation.config.ts', related: false },
    mutate: only ? [...only] : mutate,
    concurrency: Number(o.concurrency),
    coverageAnalysis: 'perTest',
    reporters: ['progress-append-only', 'json'],
    jsonReporter: { fileName: report },
    tempDirName: '.faultline/stryker-tmp',
    cleanTempDir: true,
    checkers: [],
    logLevel: 'warn' as LogLevel,
    fileLogLevel: 'off' as LogLevel,
    timeoutFactor: 3,
    timeoutMS: 5_000,
    incremental: false,
  });
  return stryker.runMutationTest();
}

const where = (m: Scored) => `${relative(root, resolve(root, m.fileName))}:${m.location.start.line}`;
const isEquivalent = (m: Scored) =>
  (cfg.equivalent ?? []).find(
    (e) => e.at === where(m) && e.mutator === m.mutatorName && (e.replacement === undefined || e.replacement === m.replacement) && (e.column === undefined || e.column === m.location.start.column),
  );
const inRange = (m: Scored) =>
  (cfg.outOfScope ?? []).find((r) => {
    const match = rangeOf(r.at) as RegExpExecArray;
    const line = m.location.start.line;
    return relative(root, resolve(root, m.fileName)) === match[1] && line >= Number(match[2]) && line <= Number(match[3]);
  });
/** Stryker's JSON report (mutation-testing-report-schema), the parts read here. */
interface Report {
  files: Record<string, { source: string; mutants: (Omit<Scored, 'fileName'> & { location: Scored['location'] })[] }>;
}
const readReport = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;

/** The mutants of an earlier run, from Stryker's JSON report. */
function lastReport(flag: string): Scored[] {
  if (!existsSync(reportPath)) {
    console.error(`${flag}: no report ${relative(root, reportPath)}; run without ${flag} first`);
    process.exit(66);
  }
  return Object.entries(readReport(reportPath).files).flatMap(([file, f]) => f.mutants.map((m) => ({ ...m, fileName: resolve(root, file) })));
}

/** --survivors: Stryker on the surviving lines only, merged into the last report. */
async function survivorsAgain(): Promise<Scored[]> {
  const before = lastReport('--survivors');
  const report = readReport(reportPath);
  // A file edited since the report has other mutants than the report's: it is mutated whole again
  // and its part of the report replaced; the unchanged files keep their results and rerun only
  // their open lines. (One edit to the runtime's client need not cost the whole runtime's hour.)
  const changed = new Set<string>();
  for (const [file, f] of Object.entries(report.files)) {
    const now = existsSync(resolve(root, file)) ? readFileSync(resolve(root, file), 'utf8') : undefined;
    if (now === undefined) {
      console.error(`--survivors: ${file} is gone since the last report; run without --survivors`);
      process.exit(65);
    }
    if (now !== f.source) changed.add(file);
  }
  const scorePath = join(outDir, `${design}.json`);
  const lastSeeds = existsSync(scorePath) ? (JSON.parse(readFileSync(scorePath, 'utf8')) as { seeds?: string }).seeds : undefined;
  // More seeds are allowed: what the report's seeds killed, a wider range kills too.
  const wider = new Set(parseSeeds(o.seeds));
  if (lastSeeds === undefined || !parseSeeds(lastSeeds).every((x) => wider.has(x))) {
    console.error(`--survivors: the last report swept seeds ${lastSeeds ?? '(unknown)'}, which ${o.seeds} does not include; run without --survivors or with --seeds ${lastSeeds ?? 'A..B'} or a range holding it`);
    process.exit(64);
  }
  const open = before.filter(
    (m) => !changed.has(relative(root, m.fileName)) && (m.status === 'Survived' || m.status === 'NoCoverage') && !isEquivalent(m) && !inRange(m),
  );
  const ranges = [...new Set(open.map((m) => `${relative(root, m.fileName)}:${m.location.start.line}-${m.location.end.line}`)), ...changed];
  if (ranges.length === 0) return before;
  console.log(
    `--survivors: ${open.length} open mutants on ${ranges.length - changed.size} line ranges run again` +
      (changed.size > 0 ? `; changed since the report, mutated whole: ${[...changed].join(', ')}` : ''),
  );
  const againPath = join(outDir, `${design}.survivors.stryker.json`);
  await mutationTest(ranges, againPath);
  const key = (file: string, m: Omit<Scored, 'fileName'>) =>
    `${resolve(root, file)}|${m.mutatorName}|${m.replacement ?? ''}|${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}`;
  const againReport = readReport(againPath);
  const again = new Map<string, Omit<Scored, 'fileName'>>();
  for (const [file, f] of Object.entries(againReport.files)) for (const m of f.mutants) again.set(key(file, m), m);
  let moved = 0;
  for (const [file, f] of Object.entries(report.files)) {
    if (changed.has(file)) {
      const whole = againReport.files[file];
      if (!whole) {
        console.error(`--survivors: Stryker did not report ${file}, which changed; run without --survivors`);
        process.exit(70);
      }
      report.files[file] = whole;
      continue;
    }
    f.mutants = f.mutants.map((m) => {
      const n = again.get(key(file, m));
      if (!n || n.status === m.status) return m;
      moved++;
      return { ...m, status: n.status };
    });
  }
  console.log(`--survivors: ${moved} mutants changed status${changed.size > 0 ? `; ${changed.size} file(s) scored anew` : ''}`);
  writeFileSync(`${reportPath}.before-survivors`, readFileSync(reportPath));
  writeFileSync(reportPath, JSON.stringify(report));
  return lastReport('--survivors');
}

const started = process.hrtime.bigint();
const results: Scored[] = o.rescore ? lastReport('--rescore') : o.survivors ? await survivorsAgain() : await mutationTest();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const count = { killed: 0, survived: 0, timeout: 0, 'no-coverage': 0, equivalent: 0, 'out-of-scope': 0, 'not-run': 0 };
const outOfScope = new Map<string, number>();
const survivors: { at: string; mutator: string; replacement: string; status: string }[] = [];
const equivalents: { at: string; mutator: string; replacement: string; why: string }[] = [];
for (const m of results) {
  const eq = m.status === 'Survived' || m.status === 'NoCoverage' ? isEquivalent(m) : undefined;
  const oos = inRange(m);
  if (oos) {
    count['out-of-scope']++;
    outOfScope.set(`${oos.at} (${oos.why})`, (outOfScope.get(`${oos.at} (${oos.why})`) ?? 0) + 1);
  } else if (eq) {
    count.equivalent++;
    equivalents.push({ at: where(m), mutator: m.mutatorName, replacement: m.replacement ?? '', why: eq.why });
  } else if (m.status === 'Killed') count.killed++;
  else if (m.status === 'Timeout') count.timeout++;
  else if (m.status === 'Survived' || m.status === 'NoCoverage') {
    if (m.status === 'Survived') count.survived++;
    else count['no-coverage']++;
    survivors.push({ at: where(m), mutator: m.mutatorName, replacement: (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80), status: m.status });
  } else count['not-run']++; // CompileError, RuntimeError, Ignored, Pending
}
const scored = count.killed + count.timeout + count.survived + count['no-coverage'];
const score = scored === 0 ? 0 : (100 * (count.killed + count.timeout)) / scored;
survivors.sort((a, b) => a.at.localeCompare(b.at, undefined, { numeric: true }));
console.log(`\n${design}: ${results.length} mutants in ${seconds.toFixed(0)} s`);
console.log(
  `killed ${count.killed}  survived ${count.survived}  timeout ${count.timeout}  no-coverage ${count['no-coverage']}  equivalent ${count.equivalent}  out-of-scope ${count['out-of-scope']}  not-run ${count['not-run']}`,
);
for (const [at, n] of outOfScope) console.log(`  out of scope: ${n} mutants in ${at}`);
console.log(`score: ${score.toFixed(1)}% of non-equivalent mutants killed (killed + timeout over killed + timeout + survived + no-coverage)`);
for (const s of survivors) console.log(`  ${s.status === 'NoCoverage' ? 'no-coverage' : 'survived'}  ${s.at}  ${s.mutator}  ${s.replacement}`);
writeFileSync(
  join(outDir, `${design}.json`),
  `${JSON.stringify({ design, seeds: o.seeds, models, seconds, count, score, survivors, equivalents, outOfScope: Object.fromEntries(outOfScope) }, null, 1)}\n`,
);
