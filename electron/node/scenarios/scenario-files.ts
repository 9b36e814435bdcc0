/**
 * Scenario and indicator files (layouts/scenarios, layouts/indicators), validated by the schemas
 * of native-bridge/scenario-files.ts with the layout files' error style: file, line and field.
 * A broken file is reported and skipped, never fatal.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { indicatorFile, scenarioDefinition, scenarioReferenceIssues, type Indicator, type Scenario, type ScenarioReferences } from '../../../native-bridge/scenario-files.js';
import { LayoutFileError, listYamlFiles, parseYamlFile } from '../layout-files.js';

const fileStem = (name: string): string => name.replace(/\.ya?ml$/, '');

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
  const errors: LayoutFileError[] = [];
  const names = new Set<string>();
  for (const name of listYamlFiles(dir)) {
    const stem = fileStem(name);
    try {
      scenarios.push(parseYamlFile(join(dir, name), scenarioFileSchema(stem, names, references)));
    } catch (error) {
      if (!(error instanceof LayoutFileError)) throw error;
      errors.push(error);
      const kept = names.has(stem) ? undefined : previous.find((s) => s.name === stem);
      if (kept) scenarios.push(kept);
    }
    names.add(stem);
  }
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
  const errors: LayoutFileError[] = [];
  for (const name of listYamlFiles(dir)) {
    try {
      const parsed = parseYamlFile(join(dir, name), indicatorFileSchema(new Set(indicators.map((d) => d.id))));
      for (const indicator of Array.isArray(parsed) ? parsed : [parsed]) indicators.push(indicator);
    } catch (error) {
      if (!(error instanceof LayoutFileError)) throw error;
      errors.push(error);
    }
  }
  return { indicators, errors };
}
