/** A reading's state against its sensor's thresholds: shared by the host (queries, rules) and the windows. */

export type ReadingState = 'normal' | 'warning' | 'critical';

/**
 * normal / warning / critical against the sensor's thresholds. Thresholds rise with danger as a
 * rule (rain, water level, AQI); when critical lies below warning the scale is read the other
 * way (e.g. dissolved oxygen: lower is worse).
 */
export function readingState(value: number, thresholds: { warning?: number | undefined; critical?: number | undefined }): ReadingState {
  if (!Number.isFinite(value)) return 'normal';
  const { warning, critical } = thresholds;
  const descending = warning !== undefined && critical !== undefined && critical < warning;
  if (descending) {
    if (value <= critical) return 'critical';
    if (value <= warning) return 'warning';
    return 'normal';
  }
  if (critical !== undefined && value >= critical) return 'critical';
  if (warning !== undefined && value >= warning) return 'warning';
  return 'normal';
}
