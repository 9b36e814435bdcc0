/** Prop editor of a note: the markdown text, its tone and font scale. */
import { useTranslation } from 'react-i18next';
import { noteProps } from '../../../native-bridge/tile-props/note.js';
import { NumberField, SelectField } from '../editor-fields.js';
import type { TileEditorProps } from '../types.js';

const tones = noteProps.shape.tone.unwrap().options;

export default function NoteEditor({ tile, onChange }: TileEditorProps<'note'>) {
  const { t } = useTranslation();
  const { markdown, tone, fontScale } = tile.props;
  return (
    <div className="editor-note">
      <label className="editor-field editor-markdown">
        <span>{t('editor.prop.markdown')}</span>
        <textarea
          name="markdown"
          data-prop="markdown"
          data-testid="note-markdown"
          value={markdown}
          rows={7}
          lang="vi"
          spellCheck={false}
          onChange={(e) => onChange({ markdown: e.target.value })}
        />
        <small className="editor-hint">{t('editor.markdownHint')}</small>
      </label>
      <div className="editor-grid">
        <SelectField
          name="tone"
          label={t('editor.prop.tone')}
          value={tone}
          options={tones.map((value) => ({ value, label: t(`editor.tone.${value}`) }))}
          onChange={(value) => onChange({ tone: value })}
        />
        <NumberField
          name="fontScale"
          label={t('editor.prop.fontScale')}
          hint={t('editor.range', { min: 0.5, max: 4 })}
          value={fontScale}
          min={0.5}
          max={4}
          step={0.1}
          onChange={(value) => onChange({ fontScale: value })}
        />
      </div>
    </div>
  );
}
