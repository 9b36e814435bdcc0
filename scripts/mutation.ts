/**
 * `npm run mutation [-- <module> …]`: StrykerJS over the modules of scripts/mutation-modules.ts,
 * one Stryker run per module (its own test files only), then one JSON line last on stdout.
 * Slow by nature, so not part of `npm test`. The tap runner starts each test file in its own
 * `node --import tsx --test-reporter=tap` process (tests run in that process, so Stryker's hook sees
 * which mutants each file reaches and a mutant runs only the files that reach it).
 * MUTATION_CONCURRENCY (default 2) sets how many test processes run at once.
 */
import { Stryker } from '@stryker-mutator/core';
import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';
import { MUTATION_MODULES, type MutationModule, type MutationModuleName } from './mutation-modules.js';

/** Issue 17's goal, per module. */
const GOAL_PCT = 80;

interface ModuleFigures {
  mutants: number;
  killed: number;
  timeout: number;
  survived: number;
  no_coverage: number;
  /** Mutants that did not run (a mutant that breaks loading counts here, not as killed). */
  errors: number;
  score_pct: number;
  goal_met: boolean;
}

function options(name: MutationModuleName): PartialStrykerOptions {
  const module: MutationModule = MUTATION_MODULES[name];
  return {
    testRunner: 'tap',
    plugins: ['@stryker-mutator/tap-runner'],
    tap: {
      testFiles: [...module.tests],
      // no --test: the file's tests run in this process, where Stryker's hook counts coverage
      nodeArgs: ['-r', '{{hookFile}}', '--import', 'tsx', '--test-reporter=tap', '--test-timeout=600000', '{{testFile}}'],
      forceBail: true,
    },
    mutate: [...module.mutate],
    coverageAnalysis: 'perTest',
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    // Real sockets and SQLite on shared cores: a run slowed by the machine's load must not pass
    // for a mutant that hangs (a timeout counts as detected), so the margin is wide.
    timeoutMS: 60_000,
    timeoutFactor: 3,
    tempDirName: '.stryker-tmp',
    ignorePatterns: ['dist', 'release', '.cache', '.data', 'snapshots', 'reports'],
    reporters: ['clear-text', 'json', 'progress-append-only'],
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    logLevel: 'warn' as PartialStrykerOptions['logLevel'],
  };
}

function figures(results: readonly MutantResult[]): ModuleFigures {
  const count = (status: MutantResult['status']) => results.filter((r) => r.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const mutants = killed + timeout + survived + noCoverage;
  const scorePct = mutants === 0 ? 0 : Math.round(((killed + timeout) / mutants) * 1000) / 10;
  return {
    mutants,
    killed,
    timeout,
    survived,
    no_coverage: noCoverage,
    errors: count('RuntimeError') + count('CompileError'),
    score_pct: scorePct,
    goal_met: mutants > 0 && scorePct >= GOAL_PCT,
  };
}

function requestedModules(args: readonly string[]): MutationModuleName[] {
  const known = Object.keys(MUTATION_MODULES) as MutationModuleName[];
  const unknown = args.filter((arg) => !known.includes(arg as MutationModuleName));
  if (unknown.length > 0) {
    console.error(`unknown module ${unknown.join(', ')}; known: ${known.join(', ')}`);
    process.exit(2);
  }
  return args.length > 0 ? (args as MutationModuleName[]) : known;
}

const byModule: Record<string, ModuleFigures> = {};
for (const name of requestedModules(process.argv.slice(2))) {
  console.error(`mutation: ${name}`);
  byModule[name] = figures(await new Stryker(options(name)).runMutationTest());
}
const all = Object.values(byModule);
const sum = (key: 'mutants' | 'killed' | 'timeout' | 'survived' | 'no_coverage' | 'errors') => all.reduce((total, m) => total + m[key], 0);
const mutants = sum('mutants');
const detected = sum('killed') + sum('timeout');
console.log(
  JSON.stringify({
    bench: 'mutation',
    modules: all.length,
    mutants,
    killed: sum('killed'),
    timeout: sum('timeout'),
    survived: sum('survived'),
    no_coverage: sum('no_coverage'),
    errors: sum('errors'),
    score_pct: mutants === 0 ? 0 : Math.round((detected / mutants) * 1000) / 10,
    goal_pct: GOAL_PCT,
    goals_met: all.length > 0 && all.every((m) => m.goal_met),
    by_module: byModule,
  }),
);
