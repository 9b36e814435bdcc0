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
