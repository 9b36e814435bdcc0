/** The duty person's name: typed or picked once, kept on this machine, sent with every scenario action. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_OPERATOR_LENGTH, normalizeOperator, setOperator, useOperator } from './operator.js';

export function OperatorField({ where }: { where: 'panel' | 'banner' }) {
  const { t } = useTranslation();
  const { name, recent } = useOperator();
  const [editing, setEditing] = useState(name === null);
  const [value, setValue] = useState(name ?? '');
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing && name !== null) input.current?.focus();
  }, [editing, name]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (setOperator(value)) setEditing(false);
  };

  if (name !== null && !editing) {
    return (
      <div className="operator-field" data-testid={`operator-${where}`} data-operator={name}>
        <span className="muted">{t('scenarios.operator.label')}:</span> <strong data-testid="operator-name">{name}</strong>
        <button
          type="button"
          className="btn btn-small"
          data-testid="operator-change"
          onClick={() => {
            setValue('');
            setEditing(true);
          }}
        >
          {t('scenarios.operator.change')}
        </button>
      </div>
    );
  }

  return (
    <form className="operator-field editing" data-testid={`operator-${where}`} onSubmit={submit}>
      <label>
        <span>{name === null ? t('scenarios.operator.prompt') : t('scenarios.operator.label')}</span>
        <input
          ref={input}
          data-testid="operator-input"
          value={value}
          maxLength={MAX_OPERATOR_LENGTH}
          list={listId}
          placeholder={t('scenarios.operator.placeholder')}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <datalist id={listId}>
        {recent.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <button type="submit" className="btn btn-small btn-primary" data-testid="operator-save" disabled={normalizeOperator(value) === null}>
        {t('scenarios.operator.save')}
      </button>
      {name !== null ? (
        <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>
          {t('scenarios.cancel')}
        </button>
      ) : null}
    </form>
  );
}
