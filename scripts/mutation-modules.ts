/**
 * The modules `npm run mutation` measures: the ones where a silent bug is dangerous (issue 17),
 * each with the source it mutates and the only test files that cover it, so a module's run stays
 * within minutes on two shared cores. A test file that needs data outside the project (the GIS
 * fixtures) cannot run in Stryker's sandbox, so a module is covered by tests that stand alone.
 */
export interface MutationModule {
  /** Source files (Stryker `mutate` globs; `file.ts:10-40` narrows to lines). */
  mutate: readonly string[];
  /** Test files run against each mutant (only those whose run reaches it). */
  tests: readonly string[];
}

export const MUTATION_MODULES = {
  'access-policy': {
    mutate: ['native-bridge/policy.ts'],
    tests: ['test/contract/access.test.ts'],
  },
  'spatial-index': {
    mutate: ['electron/node/gis/spatial/spatial-index.ts'],
    tests: ['test/unit/spatial-index.test.ts'],
  },
  vn2000: {
    mutate: ['electron/node/gis/import/vn2000.ts', 'electron/node/gis/import/crs.ts'],
    tests: ['test/unit/vn2000-crs.test.ts'],
  },
  'wall-store': {
    mutate: ['electron/node/wall-controller.ts', 'electron/node/sqlite-wall-store.ts', 'electron/node/database.ts'],
    tests: ['test/unit/wall-controller.test.ts'],
  },
} as const satisfies Record<string, MutationModule>;

export type MutationModuleName = keyof typeof MUTATION_MODULES;
