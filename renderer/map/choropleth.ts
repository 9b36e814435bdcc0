/**
 * The choropleth's figures: counts per commune from the host's spatial index ('gis.aggregate'),
 * refreshed every few seconds while a map shows the layer. The same figures a commander's query
 * panel shows, so the map and the panel never disagree.
 */
import { useEffect, useState } from 'react';
import type { AreaAggregateInput } from '../../native-bridge/contract.js';
import { session } from '../session/session.js';

export type ChoroplethMeasure = 'sensors-alarm' | 'cameras' | 'reports' | 'events';

export const choroplethRequests: Record<ChoroplethMeasure, AreaAggregateInput> = {
  'sensors-alarm': { filter: { layers: ['sensor'], states: ['warning', 'critical'] } },
  cameras: { filter: { layers: ['camera'] } },
  reports: { filter: { layers: ['report'] } },
  events: { filter: { layers: ['alert'], states: ['warning', 'critical'] } },
};

const REFRESH_MS = 5000;

export function useChoropleth(measure: ChoroplethMeasure | null): ReadonlyMap<string, number> | null {
  const [values, setValues] = useState<ReadonlyMap<string, number> | null>(null);
  useEffect(() => {
    if (!measure) {
      setValues(null);
      return;
    }
    let alive = true;
    const load = async () => {
      try {
        const { areas } = await session().client.call('gis.aggregate', choroplethRequests[measure]);
        if (alive) setValues(new Map(areas.map((a) => [a.areaId, a.total])));
      } catch (error) {
        // the link may be down: keep the last figures, the legend shows their age
        console.warn('ioc-wall: choropleth', error);
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [measure]);
  return values;
}
