/**
 * The person at the console. Every console window is the one `console` actor until sign-in
 * exists, so the console names the duty person on every scenario action; the engine's two-person
 * rule compares these names. Kept in localStorage with a short list of recent names to pick from.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

const NAME_KEY = 'ioc-wall.operator';
const RECENT_KEY = 'ioc-wall.operators';
const MAX_RECENT = 8;
export const MAX_OPERATOR_LENGTH = 128;

interface OperatorState {
  name: string | null;
  recent: string[];
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage may be unavailable (kiosk policy): the name still applies in this window
  }
}

function readRecent(): string[] {
  try {
    const value: unknown = JSON.parse(read(RECENT_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

/** Trims and collapses spaces; null when nothing is left. */
export function normalizeOperator(raw: string): string | null {
  const name = raw.trim().replace(/\s+/g, ' ').slice(0, MAX_OPERATOR_LENGTH);
  return name === '' ? null : name;
}

export const operatorStore = createStore<OperatorState>()(() => ({ name: normalizeOperator(read(NAME_KEY) ?? ''), recent: readRecent() }));

export function setOperator(raw: string): string | null {
  const name = normalizeOperator(raw);
  if (!name) return null;
  const recent = [name, ...operatorStore.getState().recent.filter((n) => n !== name)].slice(0, MAX_RECENT);
  operatorStore.setState({ name, recent });
  write(NAME_KEY, name);
  write(RECENT_KEY, JSON.stringify(recent));
  return name;
}

export function useOperator(): OperatorState {
  return useStore(operatorStore);
}

export function currentOperator(): string | null {
  return operatorStore.getState().name;
}
