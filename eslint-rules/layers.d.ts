/** Types of layers.js, for the tests that read its table (test/unit/lint-layers.test.ts). */
import type { ESLint } from 'eslint';

export interface PackageKind {
  label: string;
  names: string[];
  /** Specifiers of this kind, for the lint probes. */
  samples: string[];
  why?: string;
}

export interface Layer {
  id: string;
  patterns: string[];
  may: string[] | null;
  bans: string[];
  why?: string;
  keepOut?: string;
}

export type Target = { layer: Layer | null } | { packageName: string; kind: string | null };

export const projectRoot: string;
export const packageKinds: Record<string, PackageKind>;
export const layers: Layer[];
export function layerOf(file: string): Layer | null;
export function targetOf(specifier: string, importer: string): Target;
export function refusal(importer: string, specifier: string): string | null;
export function shown(layer: Layer): string;

declare const plugin: ESLint.Plugin;
export default plugin;
