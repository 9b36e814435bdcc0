/**
 * Layout files (layouts/walls, layouts/presets) are YAML validated by the contract's schemas.
 * Errors name the file, the line and the field, so an operator can fix a file by reading one line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { fieldPath, preset as presetSchema, tileLayoutIssues, wallDefinition, type Preset, type WallDefinition } from '../../native-bridge/contract.js';

export class LayoutFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'LayoutFileError';
  }
}

export function parseYamlFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) throw new LayoutFileError(file, lineCounter.linePos(syntax.pos[0]).line, null, syntax.message);
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // Find the deepest YAML node that exists on the issue's path, for its line number.
  let line: number | null = null;
  for (let depth = issue.path.length; depth >= 0 && line === null; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(issue.path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
  }
  return failWith(file, line, fieldPath(issue.path) || null, issue.message);
}

function failWith(file: string, line: number | null, field: string | null, reason: string): never {
  throw new LayoutFileError(file, line, field, reason);
}

/** The YAML file names of a folder, sorted; none when the folder is missing. */
export function listYamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return [];
  }
}

export function loadWallFile(file: string): WallDefinition {
  return parseYamlFile(file, wallDefinition);
}

/** Loads every preset file; a broken file is reported and skipped, never fatal. */
export function loadPresetDir(dir: string, wall: WallDefinition): { presets: Preset[]; errors: LayoutFileError[] } {
  const presets: Preset[] = [];
  const errors: LayoutFileError[] = [];
  for (const name of listYamlFiles(dir)) {
    const file = join(dir, name);
    try {
      const preset = parseYamlFile(file, presetSchema);
      const expected = basename(name).replace(/\.ya?ml$/, '');
      if (preset.name !== expected) failWith(file, null, 'name', `preset name "${preset.name}" must match its file name "${expected}"`);
      const [issue] = tileLayoutIssues(wall, preset.tiles);
      if (issue) failWith(file, null, fieldPath(['tiles', ...issue.path]), issue.message);
      presets.push(preset);
    } catch (error) {
      if (error instanceof LayoutFileError) errors.push(error);
      else throw error;
    }
  }
  return { presets, errors };
}
