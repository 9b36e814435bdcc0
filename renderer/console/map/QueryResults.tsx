/** Figures of a spatial query: how many matched, counts by group, and the nearest items. */
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { spatialQueryResult } from '../../../native-bridge/contract.js';

export interface QueryOutcome {
  result: z.infer<typeof spatialQueryResult>;
  /** Commune names by id. */
  names: ReadonlyMap<string, string>;
}

const ITEMS_SHOWN = 12;

export function QueryResults({ outcome, onClose }: { outcome: QueryOutcome; onClose: () => void }) {
  const { t } = useTranslation();
  const { result, names } = outcome;
  const label = (dimension: string, value: string) => {
    if (dimension === 'area') return names.get(value) ?? value;
    if (dimension === 'layer') return t(`console.map.pointLayers.${value}`, { defaultValue: value });
    if (dimension === 'state') return t(`console.map.states.${value}`, { defaultValue: value });
    return value;
  };
  return (
    <div className="query-results" data-testid="query-results" data-total={result.total}>
      <div className="query-results-head">
        <strong>{t('console.map.found', { count: result.total })}</strong>
        {result.areasHit?.length ? <span className="muted"> · {result.areasHit.map((a) => names.get(a) ?? a).join(', ')}</span> : null}
        <button type="button" className="link" onClick={onClose}>
          {t('console.map.clear')}
        </button>
      </div>
      <table className="query-groups">
        <tbody>
          {result.groups.map((g) => (
            <tr key={JSON.stringify(g.key)}>
              <td>
                {Object.entries(g.key)
                  .map(([d, v]) => label(d, v))
                  .join(' · ')}
              </td>
              <td className="num">{g.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="query-items">
        {result.items.slice(0, ITEMS_SHOWN).map((item) => (
          <li key={item.id}>
            {label('layer', item.layer)} · {item.id.slice(item.id.indexOf(':') + 1)}
            {item.distanceM !== undefined ? <span className="muted"> · {(item.distanceM / 1000).toFixed(2).replace('.', ',')} km</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
