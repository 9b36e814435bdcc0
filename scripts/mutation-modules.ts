/**
 * The modules `npm run mutation` measures: the ones where a silent bug is dangerous (issue 17),
 * each with the source it mutates and the only test files that cover it, so a module's run stays
 * within minutes on two shared cores. Tests run in the test's own process: Stryker's hook counts
 * coverage there, not in a host process a test starts (the contract tests), and a test file that
 * needs data outside the project (the GIS fixtures) cannot run in Stryker's sandbox.
 */
export interface MutationModule {
  /** Source files (Stryker `mutate` globs; `file.ts:10-40` narrows to lines). */
  mutate: readonly string[];
  /** Test files run against each mutant (only those whose run reaches it). */
  tests: readonly string[];
}

export const MUTATION_MODULES = {
  // the policy table and the one place the host applies it (checkAccess, ContractServer.handle)
  'access-policy': {
    mutate: ['native-bridge/policy.ts', 'native-bridge/channel.ts:63-73', 'native-bridge/channel.ts:95-107'],
    tests: ['test/unit/policy.test.ts', 'test/contract/access.test.ts'],
  },
  'spatial-index': {
    mutate: ['electron/node/gis/spatial/spatial-index.ts'],
    tests: ['test/unit/spatial-index.test.ts', 'test/unit/spatial-index-scope.test.ts'],
  },
  vn2000: {
    mutate: ['electron/node/gis/import/vn2000.ts', 'electron/node/gis/import/crs.ts'],
    tests: ['test/unit/vn2000-crs.test.ts'],
  },
  'wall-store': {
    mutate: ['electron/node/wall-controller.ts', 'electron/node/sqlite-wall-store.ts', 'electron/node/database.ts'],
    tests: ['test/unit/wall-controller.test.ts'],
  },
  'command-outbox': {
    mutate: ['electron/node/gateway/command-outbox.ts', 'electron/node/gateway/command-ttl.ts'],
    tests: ['test/unit/command-outbox.test.ts', 'test/unit/command-lifetime.test.ts', 'test/unit/gateway-hub.test.ts'],
  },
  // CURVE admission (ZAP) and the Clone sync: HELLO, live updates, heartbeats, SNAP/SNAPEND, gaps
  'gateway-sync': {
    mutate: ['electron/node/gateway/zap.ts', 'electron/node/gateway/gateway-hub.ts:709-833'],
    tests: ['test/unit/zap-handler.test.ts', 'test/unit/gateway-hub.test.ts', 'test/unit/gateway-identity.test.ts'],
  },
  // the two-person rule, steps, and what a cleared trigger or a close gives back to the wall: triggerCleared and
  // applyOnClear, end, step, confirm, resume (line ranges: move them with the code)
  'scenario-rules': {
    mutate: ['electron/node/scenarios/scenario-runs.ts:199-233', 'electron/node/scenarios/scenario-runs.ts:371-432', 'electron/node/scenarios/scenario-runs.ts:471-483'],
    tests: ['test/unit/scenario-safety.test.ts', 'test/unit/scenario-engine.test.ts'],
  },
  // Host, Origin and request-target checks of every request and upgrade, and the WebSocket limits
  'http-admission': {
    mutate: ['electron/node/http/host-names.ts', 'electron/common/request-target.ts', 'native-bridge/transports/websocket-server.ts'],
    tests: ['test/unit/request-target.test.ts', 'test/unit/websocket-admission.test.ts', 'test/unit/static-server.test.ts', 'test/unit/slow-reader.test.ts'],
  },
} as const satisfies Record<string, MutationModule>;

export type MutationModuleName = keyof typeof MUTATION_MODULES;
