/**
 * Small controlled form fields shared by the per-kind prop editors (renderer/tiles/<kind>/Editor.tsx).
 * Every control carries data-prop="<prop name>" so tests and tools can find it. Ranges are shown
 * and marked (:invalid) in the browser, but the host stays the judge: it validates the merged props
 * with the kind's schema and a refusal comes back as a toast naming the field.
 */
import { useId, useState, type ReactNode } from 'react';

export function EditorGrid({ children }: { children: ReactNode }) {
  return <div className="editor-grid">{children}</div>;
}

export function CheckboxField({ name, label, checked, onChange }: { name: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="editor-check">
      <input type="checkbox" name={name} data-prop={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

export function SelectField<T extends string>({
  name,
  label,
  value,
  options,
  onChange,
}: {
  name: string;
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <label className="editor-field">
      <span>{label}</span>
      <select name={name} data-prop={name} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A number input that keeps what the operator is typing ("1." on the way to "1.5") and reports a
 * value only once the text is a number; a value changed from outside (reset, another console)
 * replaces the text.
 */
export function NumberField({
  name,
  label,
  hint,
  value,
  min,
  max,
  step = 1,
  onChange,
}: {
  name: string;
  label: string;
  hint?: string;
  value: number;
  min?: number;
  max?: number;
  step?: number;
  onChange: (value: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(String(value));
  }
  const parsed = text.trim() === '' ? NaN : Number(text);
  const outOfRange = Number.isFinite(parsed) && ((min !== undefined && parsed < min) || (max !== undefined && parsed > max));
  const hintId = useId();
  return (
    <label className="editor-field">
      <span>{label}</span>
      <input
        type="number"
        inputMode="decimal"
        name={name}
        data-prop={name}
        value={text}
        min={min}
        max={max}
        step={step}
        aria-invalid={!Number.isFinite(parsed) || outOfRange}
        aria-describedby={hint ? hintId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const next = e.target.value.trim() === '' ? NaN : Number(e.target.value);
          if (Number.isFinite(next)) {
            setShown(next);
            onChange(next);
          }
        }}
      />
      {hint ? (
        <small id={hintId} className={`editor-hint${outOfRange ? ' editor-hint-bad' : ''}`}>
          {hint}
        </small>
      ) : null}
    </label>
  );
}

export function TextField({
  name,
  label,
  value,
  placeholder,
  hint,
  onChange,
}: {
  name: string;
  label: string;
  value: string;
  placeholder?: string;
  hint?: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className="editor-field">
      <span>{label}</span>
      <input type="text" name={name} data-prop={name} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} autoComplete="off" lang="vi" />
      {hint ? <small className="editor-hint">{hint}</small> : null}
    </label>
  );
}
