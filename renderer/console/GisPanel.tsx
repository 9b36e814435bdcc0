/**
 * Official GIS data: the host's datasets, and importing a file that lies on the host (its path is
 * typed in: the console cannot upload megabytes over the contract channel), with the import's
 * progress as the host reports it.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { datasetName, type DatasetSummary, type GisImportProgressEvent, type ImportGeometryNotes } from '../../native-bridge/contract.js';
import { formatDate, formatTime } from '../format.js';
import { errorMessage, session } from '../session/session.js';
import { useAppStore } from '../session/store.js';
import { usePermissions } from './permissions.js';

/** The list with `dataset` added or replaced, ordered by name as the host lists them. */
function withDataset(list: readonly DatasetSummary[], dataset: DatasetSummary): DatasetSummary[] {
  return [...list.filter((d) => d.name !== dataset.name), dataset].sort((a, b) => a.name.localeCompare(b.name));
}

export function GisPanel() {
  const { t } = useTranslation();
  const actor = useAppStore((s) => s.actor);
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [progress, setProgress] = useState<GisImportProgressEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const may = usePermissions();

  // a new actor means a (re)connected session that said hello: the list may have changed meanwhile
  useEffect(() => {
    if (!actor) return;
    let current = true;
    session()
      .client.call('gis.datasets', {})
      .then(
        (answer) => current && setDatasets(answer.datasets),
        (e: unknown) => current && setError(errorMessage(e)),
      );
    return () => {
      current = false;
    };
  }, [actor]);

  useEffect(
    () =>
      session().client.on('gis.import.progress', (event) => {
        setProgress(event);
        if (event.state === 'done') setDatasets((list) => withDataset(list ?? [], event.dataset));
        if (event.state === 'failed') setError(event.message);
      }),
    [],
  );

  return (
    <section className="panel gis-panel" data-testid="gis-panel">
      <h2 className="panel-title">{t('gis.title')}</h2>
      {datasets === null ? (
        <div className="muted">{t('common.loading')}</div>
      ) : datasets.length === 0 ? (
        <div className="muted">{t('gis.empty')}</div>
      ) : (
        <ul className="gis-datasets">
          {datasets.map((d) => (
            <li key={d.name} className="gis-dataset" data-dataset={d.name}>
              <div>
                <code>{d.name}</code> · {t('gis.features', { count: d.features })}
              </div>
              <div className="gis-dataset-meta">
                {d.sourceFile} · {d.sourceCrs} · {t('gis.importedAt', { time: `${formatTime(d.importedAt, false)} ${formatDate(d.importedAt)}` })}
              </div>
            </li>
          ))}
        </ul>
      )}
      {may.call('gis.import') ? (
        <ImportForm
          running={progress?.state === 'running'}
          onStart={() => {
            setProgress(null);
            setError(null);
          }}
          onFailed={setError}
        />
      ) : null}
      {progress ? <ImportProgressView progress={progress} /> : null}
      {error ? (
        <div className="field-error" data-testid="gis-import-error">
          {t('gis.failed', { message: error })}
        </div>
      ) : null}
    </section>
  );
}

function ImportForm({ running, onStart, onFailed }: { running: boolean; onStart: () => void; onFailed: (message: string) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState('');
  const [name, setName] = useState('');
  const [importing, setImporting] = useState(false);
  const nameError = name !== '' && !datasetName.safeParse(name).success ? t('gis.badName') : null;
  const canImport = !importing && !running && file.trim() !== '' && !nameError;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canImport) return;
    onStart();
    setImporting(true);
    try {
      await session().client.call('gis.import', { file: file.trim(), ...(name === '' ? {} : { dataset: name }) });
    } catch (error) {
      onFailed(errorMessage(error));
    } finally {
      setImporting(false);
    }
  };

  return (
    <form className="gis-import" onSubmit={(e) => void submit(e)} data-testid="gis-import-form">
      <h3 className="panel-subtitle">{t('gis.importTitle')}</h3>
      <label>
        <span>{t('gis.file')}</span>
        <input name="gis-file" value={file} onChange={(e) => setFile(e.target.value)} placeholder="D:\GIS\ranh-gioi-xa.shp" autoComplete="off" spellCheck={false} />
      </label>
      <label>
        <span>{t('gis.dataset')}</span>
        <input name="gis-dataset" value={name} onChange={(e) => setName(e.target.value)} placeholder="communes" autoComplete="off" spellCheck={false} />
      </label>
      {nameError ? <div className="field-error">{nameError}</div> : null}
      <button type="submit" className="btn btn-primary" data-testid="gis-import" disabled={!canImport}>
        {importing || running ? t('gis.importing') : t('gis.import')}
      </button>
    </form>
  );
}

function ImportProgressView({ progress }: { progress: GisImportProgressEvent }) {
  const { t } = useTranslation();
  const { phase, done, total, state } = progress;
  return (
    <div className="gis-progress" data-testid="gis-import-progress" data-state={state} data-phase={phase}>
      <div className="gis-progress-label">
        {state === 'done' ? t('gis.done', { name: progress.dataset.name, count: progress.dataset.features }) : t(`gis.phase.${phase}`)}
        {state === 'running' && total > 0 ? ` · ${done}/${total}` : null}
      </div>
      {state === 'done' && progress.dataset.geometryNotes ? <GeometryNotesView notes={progress.dataset.geometryNotes} /> : null}
      {/* while the file is read there is no total yet: an indeterminate bar */}
      {state === 'running' && total === 0 ? <progress /> : <progress value={done} max={Math.max(total, 1)} />}
    </div>
  );
}

/** What the import repaired (open rings, closed) or only found (self-intersecting polygons, kept as they are). */
function GeometryNotesView({ notes }: { notes: ImportGeometryNotes }) {
  const { t } = useTranslation();
  const lines = [
    notes.ringsClosed > 0 ? t('gis.ringsClosed', { count: notes.ringsClosed }) : null,
    notes.selfIntersecting > 0 ? t('gis.selfIntersecting', { count: notes.selfIntersecting, features: notes.selfIntersectingFeatures.join(', ') }) : null,
    notes.crossingsUnchecked > 0 ? t('gis.crossingsUnchecked', { count: notes.crossingsUnchecked }) : null,
  ].filter((line) => line !== null);
  return (
    <ul className="gis-geometry-notes" data-testid="gis-geometry-notes">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
