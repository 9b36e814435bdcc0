/** A markdown note. Raw HTML is dropped; links and images never load or navigate anything. */
import Markdown, { type Components } from 'react-markdown';
import type { TileProps } from '../types.js';

const components: Components = {
  // a wall window must never navigate away nor fetch remote images
  a: ({ children }) => <span className="md-link">{children}</span>,
  img: ({ alt }) => <span className="md-image">{alt ? `[${alt}]` : null}</span>,
};

export default function NoteTile({ tile }: TileProps<'note'>) {
  const { markdown, tone, fontScale } = tile.props;
  return (
    <div className={`note note-${tone}`} data-tone={tone} style={{ fontSize: `${fontScale}em` }}>
      <Markdown skipHtml components={components}>
        {markdown}
      </Markdown>
    </div>
  );
}
