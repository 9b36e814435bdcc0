/** People's full names by account id (accounts.names), fetched once per console: the host records ids, people read names. */
import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { session } from '../../session/session.js';

export function usePeopleNames(t: TFunction): (id: string | null) => string | null {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    session()
      .client.call('accounts.names', {})
      .then(({ people }) => live && setNames(new Map(people.map((p) => [p.id, p.fullName]))))
      .catch(() => {}); // names are a courtesy: marks still show what happened
    return () => {
      live = false;
    };
  }, []);
  return (id) => {
    if (id === null) return null;
    if (id === 'system') return t('replay.system');
    return names.get(id) ?? t('replay.unknownPerson');
  };
}
