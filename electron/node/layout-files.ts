/**
 * Layout files (layouts/walls, layouts/presets) are YAML validated by the contract's schemas.
 * Errors name the file, the line and the field, so an operator can fix a file by reading one line.
 * Files are untrusted: whatever a file holds (an alias bomb, megabytes, a FIFO in its place), it
 * fails as a LayoutFileError naming it, and the files after it still load.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { fieldPath, preset as presetSchema, tileLayoutIssues, wallDefinition, type Preset, type WallDefinition } from '../../native-bridge/contract.js';

/**
 * Largest layout, preset, scenario or indicator file read: 50 times the largest shipped one
 * (5 kB). Parsing runs on the thread that serves the windows, and YAML parses at roughly 3 s per MB
 * on a busy 2-core machine, so the bound is on parse time as much as on memory.
 */
export const MAX_LAYOUT_FILE_BYTES = 256 * 1024;
/** Aliases a file may expand: a few shared anchors are fine, a "billion laughs" file is refused. */
export const MAX_YAML_ALIASES = 100;
/** YAML files read from one folder; the rest are reported and skipped. */
export const MAX_LAYOUT_FILES_PER_FOLDER = 1000;

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

function failWith(file: string, line: number | null, field: string | null, reason: string): never {
  throw new LayoutFileError(file, line, field, reason);
}

/** Whatever went wrong with `file`, as its LayoutFileError. */
function asLayoutFileError(file: string, error: unknown): LayoutFileError {
  if (error instanceof LayoutFileError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return new LayoutFileError(file, null, null, code ? `cannot be read (${code})` : `cannot be loaded (${error instanceof Error ? error.message : String(error)})`);
}

const inside = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * The text of a regular file of at most MAX_LAYOUT_FILE_BYTES. With `folder`, a symlink must stay
 * inside it. The type and size are checked before reading, and checked again on the open file
 * (opened non-blocking: a FIFO swapped in after the check cannot block the host).
 */
export function readLayoutFile(file: string, folder?: string): string {
  try {
    let target = file;
    if (folder !== undefined && lstatSync(file).isSymbolicLink()) {
      target = realpathSync(file);
      if (!inside(realpathSync(folder), target)) failWith(file, null, null, `is a link to ${target}, outside ${folder}`);
    }
    const refuseKind = (isFile: boolean) => isFile || failWith(file, null, null, 'is not a regular file (a directory, FIFO or socket)');
    const refuseSize = (size: number) => size <= MAX_LAYOUT_FILE_BYTES || failWith(file, null, null, `is larger than ${MAX_LAYOUT_FILE_BYTES} bytes (${size} bytes)`);
    const found = statSync(target);
    refuseKind(found.isFile());
    refuseSize(found.size);
    const fd = openSync(target, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const opened = fstatSync(fd);
      refuseKind(opened.isFile());
      refuseSize(opened.size);
      // one byte more than allowed tells a file that grew since fstat
      const buffer = Buffer.alloc(MAX_LAYOUT_FILE_BYTES + 1);
      let length = 0;
      for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
      refuseSize(length);
      return buffer.toString('utf8', 0, length);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw asLayoutFileError(file, error);
  }
}

/** Parses and validates one YAML file; `folder` as for readLayoutFile. Every failure is a LayoutFileError naming the file. */
export function parseYamlFile<S extends z.ZodType>(file: string, schema: S, folder?: string): z.infer<S> {
  const text = readLayoutFile(file, folder);
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    const syntax = doc.errors[0];
    if (syntax) failWith(file, lineCounter.linePos(syntax.pos[0]).line, null, syntax.message);
    const result = schema.safeParse(doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }));
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    // Find the deepest YAML node that exists on the issue's path, for its line number.
    let line: number | null = null;
    for (let depth = issue.path.length; depth >= 0 && line === null; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(issue.path.slice(0, depth) as (string | number)[], true);
      if (isNode(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
    }
    return failWith(file, line, fieldPath(issue.path) || null, issue.message);
  } catch (error) {
    // the yaml package's own words for a file whose aliases expand past maxAliasCount
    if (error instanceof ReferenceError && /alias count/i.test(error.message)) failWith(file, null, null, `its YAML aliases expand too far (more than ${MAX_YAML_ALIASES} allowed)`);
    throw asLayoutFileError(file, error);
  }
}

/** The YAML file names of a folder, sorted; none when the folder is missing or unreadable. */
export function listYamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return [];
  }
}

/**
 * Loads each YAML file of a folder in name order with `load`. A file that fails, however it fails,
 * is returned as its LayoutFileError (after `failed` ran for it) and the next file loads.
 */
export function loadEachYamlFile(dir: string, load: (file: string, stem: string) => void, failed?: (stem: string) => void): LayoutFileError[] {
  const names = listYamlFiles(dir);
  const errors: LayoutFileError[] = [];
  if (names.length > MAX_LAYOUT_FILES_PER_FOLDER) {
    errors.push(new LayoutFileError(dir, null, null, `holds ${names.length} YAML files, more than ${MAX_LAYOUT_FILES_PER_FOLDER}: those after ${names[MAX_LAYOUT_FILES_PER_FOLDER - 1]} are skipped`));
  }
  for (const name of names.slice(0, MAX_LAYOUT_FILES_PER_FOLDER)) {
    const file = join(dir, name);
    const stem = name.replace(/\.ya?ml$/, '');
    try {
      load(file, stem);
    } catch (error) {
      failed?.(stem);
      errors.push(asLayoutFileError(file, error));
    }
  }
  return errors;
}

export function loadWallFile(file: string): WallDefinition {
  return parseYamlFile(file, wallDefinition);
}

/** Loads every preset file; a broken file is reported and skipped, never fatal. */
export function loadPresetDir(dir: string, wall: WallDefinition): { presets: Preset[]; errors: LayoutFileError[] } {
  const presets: Preset[] = [];
  const errors = loadEachYamlFile(dir, (file, expected) => {
    const preset = parseYamlFile(file, presetSchema, dir);
    if (preset.name !== expected) failWith(file, null, 'name', `preset name "${preset.name}" must match its file name "${expected}"`);
    const [issue] = tileLayoutIssues(wall, preset.tiles);
    if (issue) failWith(file, null, fieldPath(['tiles', ...issue.path]), issue.message);
    presets.push(preset);
  });
  return { presets, errors };
}
