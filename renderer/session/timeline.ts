/**
 * Marks on the page's performance timeline for the scenario-recall bench, which observes them
 * (PerformanceObserver) to bound an activation's main-thread script time in its CPU profile: a
 * wall patch's arrival, and the commit of its revision with the commit's effects done. Each mark is
 * cleared at once: observers still get it, and a wall window that runs for months keeps no buffer.
 */
export type TimelineMark = 'ioc-wall:patch' | 'ioc-wall:committed';

export function markTimeline(name: TimelineMark, revision: number): void {
  performance.mark(name, { detail: revision });
  performance.clearMarks(name);
}
