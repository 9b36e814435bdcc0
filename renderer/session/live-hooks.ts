/**
 * React bindings of the live store, narrow on purpose: a tile re-renders when the list it shows
 * changes (which sensors, in which state), a row when its own sensor's reading changes.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import type { LiveCamera } from '../../native-bridge/contract.js';
import { liveData, type LiveState, type SensorSeries } from './live-store.js';

/** Selects from the live store (zustand semantics: re-renders when the selected value changes by Object.is). */
export function useLive<T>(selector: (state: LiveState) => T): T {
  return useStore(liveData.store, selector);
}

/**
 * One sensor's series (latest value/at and recent values) and its version; re-renders only when
 * that sensor gets a new reading. The series object is mutated in place: read it during render.
 */
export function useSensorSeries(id: string): { series: SensorSeries | undefined; version: number } {
  const subscribe = useCallback((listener: () => void) => liveData.subscribeSensor(id, listener), [id]);
  const getVersion = useCallback(() => liveData.seriesVersion(id), [id]);
  const version = useSyncExternalStore(subscribe, getVersion, getVersion);
  return { series: liveData.seriesOf(id), version };
}

/** The state of one gateway's link, null when the gateway is unknown. */
export function useGatewayLinkState(gateway: string): LiveState['links'][number]['state'] | null {
  return useLive((s) => s.linkByGateway.get(gateway)?.state ?? null);
}

/** One camera of the registry (undefined while unknown); re-renders only when that camera changes. */
export function useCamera(id: string): LiveCamera | undefined {
  return useLive((s) => s.cameras.get(id));
}
