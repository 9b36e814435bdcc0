/**
 * The chrome around every tile: a small title header and a body that contains the kind's
 * component, guarded so one failing tile shows an error box instead of blanking the wall.
 */
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tile } from '../../native-bridge/contract.js';
import { i18next } from '../i18n/index.js';
import { tileComponent } from './registry.js';
import type { TileContext } from './types.js';

export function tileTitle(tile: Pick<Tile, 'kind' | 'title'>, lang: string): string {
  if (tile.title) return lang === 'en' ? tile.title.en : tile.title.vi;
  return i18next.t(`tiles.${tile.kind}.name`, { lng: lang, defaultValue: tile.kind });
}

export function TileFrame({ tile, context }: { tile: Tile; context: TileContext }) {
  const { i18n } = useTranslation();
  const Body = tileComponent(tile.kind);
  return (
    <div className="tile-frame">
      <header className="tile-header">
        <span className="tile-title">{tileTitle(tile, i18n.language)}</span>
      </header>
      <div className="tile-body">
        {Body ? (
          <TileErrorBoundary kind={tile.kind}>
            <Body tile={tile} context={context} />
          </TileErrorBoundary>
        ) : (
          <TileError kind={tile.kind} reason="unknown" />
        )}
      </div>
    </div>
  );
}

function TileError({ kind, reason, detail }: { kind: string; reason: 'unknown' | 'crashed'; detail?: string }) {
  const { t } = useTranslation();
  return (
    <div className="tile-error" role="alert" data-tile-error={reason}>
      <div className="tile-error-title">{t(reason === 'unknown' ? 'tiles.errors.unknownKind' : 'tiles.errors.crashed', { kind })}</div>
      {detail ? <div className="tile-error-detail">{detail}</div> : null}
    </div>
  );
}

class TileErrorBoundary extends Component<{ kind: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error) {
    console.error(`ioc-wall: tile of kind "${this.props.kind}" failed`, error);
  }

  override render() {
    if (this.state.error) return <TileError kind={this.props.kind} reason="crashed" detail={this.state.error.message} />;
    return this.props.children;
  }
}
