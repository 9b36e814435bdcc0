/**
 * A scenario folder of the tests' own: the shipped scenarios without their schedule triggers. A
 * host loading layouts/scenarios runs them on the real clock, so a run crossing Monday 08:00
 * (Vietnam time) would get the briefing layout in the middle of a test, and 19:00 the street
 * lighting check. Tests that exercise a schedule tick the engine with a clock of their own.
 * A trigger that clears with steps open counts down before the wall goes back: 2 minutes in the
 * shipped files, TEST_REVERT_COUNTDOWN_S here, so tests on the real clock see the whole path.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultScenariosDir } from '../../electron/node/project-paths.js';
import { tempDir } from './fixtures.js';

/** The countdown before a cleared scenario with open steps gives the wall back, in the tests' folder. */
export const TEST_REVERT_COUNTDOWN_S = 15;

let made: string | null = null;

/** The folder (made once per test process; read-only: a test that edits scenarios makes its own). */
export function testScenariosDir(): string {
  if (made) return made;
  const dir = join(tempDir('ioc-wall-scenarios-'), 'scenarios');
  mkdirSync(dir);
  for (const file of readdirSync(defaultScenariosDir).filter((f) => f.endsWith('.yaml'))) {
    const scenario = parse(readFileSync(join(defaultScenariosDir, file), 'utf8')) as { triggers: { type: string }[]; revertCountdownSeconds?: number };
    scenario.triggers = scenario.triggers.filter((t) => t.type !== 'schedule');
    scenario.revertCountdownSeconds = TEST_REVERT_COUNTDOWN_S;
    // a scenario only the clock starts has no place here
    if (scenario.triggers.length > 0) writeFileSync(join(dir, file), stringify(scenario));
  }
  made = dir;
  return dir;
}
