/**
 * Waits until an expression is truthy in a page, polling from Node with page.evaluate. Unlike
 * page.waitForFunction with a string, this never evaluates code inside the page's own JavaScript,
 * which the wall's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
 */
import type { Page } from 'playwright-core';

export async function waitForExpression(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls a probe until it returns something truthy; the last probe error is named on timeout. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await probe().catch((e: unknown) => ((last = e), null));
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** waitFor with a synchronous probe, polled every 25 ms (for state in this process). */
export function until<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  return waitFor(what, timeoutMs, async () => probe(), 25);
}
