/**
 * Scenario and indicator files (layouts/scenarios, layouts/indicators), validated by the schemas
 * of native-bridge/scenario-files.ts with the layout files' error style: file, line and field.
 * A broken file is reported and skipped, never fatal.
 */
import { z } from 'zod';
import { indicatorFile, scenarioDefinition, scenarioReferenceIssues, type Indicator, type Scenario, type ScenarioReferences } from '../../../native-bridge/scenario-files.js';
import { loadEachYamlFile, parseYamlFile, type LayoutFileError } from '../layout-files.js';

/** The scenario schema plus the checks that need the file name, the other files and, if given, the wall, presets and indicators. */
function scenarioFileSchema(stem: string, takenNames: ReadonlySet<string>, references?: ScenarioReferences) {
  return scenarioDefinition.pipe(
    z.custom<Scenario>().superRefine((scenario, context) => {
      if (scenario.name !== stem) context.addIssue({ code: 'custom', path: ['name'], message: `scenario name "${scenario.name}" must match its file name "${stem}"` });
      else if (takenNames.has(scenario.name)) context.addIssue({ code: 'custom', path: ['name'], message: `scenario "${scenario.name}" is defined by another file too` });
      for (const issue of references ? scenarioReferenceIssues(scenario, references) : []) context.addIssue({ code: 'custom', ...issue });
    }),
  );
}

export function loadScenarioDir(dir: string, references?: ScenarioReferences): { scenarios: Scenario[]; errors: LayoutFileError[] } {
  return reloadScenarioDir(dir, [], references);
}

/**
 * Loads the folder again after an edit. A file that is now broken keeps the previously valid
 * scenario of the same name (its error is still reported), so a typo never takes a scenario away
 * in the middle of a shift; a deleted file removes its scenario.
 */
export function reloadScenarioDir(dir: string, previous: readonly Scenario[], references?: ScenarioReferences): { scenarios: Scenario[]; errors: LayoutFileError[] } {
  const scenarios: Scenario[] = [];
  const names = new Set<string>();
  const errors = loadEachYamlFile(
    dir,
    (file, stem) => {
      scenarios.push(parseYamlFile(file, scenarioFileSchema(stem, names, references), dir));
      names.add(stem);
    },
    (stem) => {
      const kept = names.has(stem) ? undefined : previous.find((s) => s.name === stem);
      if (kept) scenarios.push(kept);
      names.add(stem);
    },
  );
  return { scenarios, errors };
}

/** Indicator ids are unique across files: a file repeating an earlier file's id is refused whole. */
function indicatorFileSchema(takenIds: ReadonlySet<string>) {
  return indicatorFile.pipe(
    z.custom<Indicator | Indicator[]>().superRefine((value, context) => {
      for (const [i, def] of (Array.isArray(value) ? value : [value]).entries()) {
        if (takenIds.has(def.id)) context.addIssue({ code: 'custom', path: Array.isArray(value) ? [i, 'id'] : ['id'], message: `indicator "${def.id}" is defined by another file too` });
      }
    }),
  );
}

export function loadIndicatorDir(dir: string): { indicators: Indicator[]; errors: LayoutFileError[] } {
  const indicators: Indicator[] = [];
  const errors = loadEachYamlFile(dir, (file) => {
    const parsed = parseYamlFile(file, indicatorFileSchema(new Set(indicators.map((d) => d.id))), dir);
    for (const def of Array.isArray(parsed) ? parsed : [parsed]) indicators.push(def);
  });
  return { indicators, errors };
}
