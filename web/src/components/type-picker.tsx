/**
 * The problem category (CMD-3): 部件/事件 → 大类 → 小类 from the GB/T 47678.5 catalogue in contracts, with a
 * search box over names and codes for the phone user who knows what they see but not where it is filed.
 */
import { createEffect, createSignal, createUniqueId, For, Show } from 'solid-js';
import type { CaseKind } from '../../../contracts';
import { localized, t } from '../i18n';
import { entriesOf, majorsOf, searchTypes } from '../lib/catalogue';
import { kindName, typeLabel } from '../lib/case-format';

export interface TypeValue {
  kind: CaseKind;
  /** The 5-digit 小类 code, once chosen. */
  code?: string;
}

const name = (n: { zh: string; en?: string }) => localized({ zh: n.zh, en: n.en ?? n.zh });

export function TypePicker(props: { value: TypeValue; onChange: (value: TypeValue) => void; fixedKind?: boolean; invalid?: boolean }) {
  const id = createUniqueId();
  /** The 大类: the chosen 小类's, else the one picked in the first select. */
  const [pickedMajor, setMajor] = createSignal('');
  const major = () => props.value.code?.slice(0, 2) ?? pickedMajor();
  const [query, setQuery] = createSignal('');
  const results = () => searchTypes(props.value.kind, query());
  // The selects' values are set after their options render (the 小类 options change with the 大类).
  let majorSelect!: HTMLSelectElement;
  let minorSelect!: HTMLSelectElement;
  createEffect(() => {
    majorSelect.value = major();
    minorSelect.value = props.value.code ?? '';
  });
  const setKind = (kind: CaseKind) => {
    setMajor('');
    setQuery('');
    props.onChange({ kind });
  };
  const choose = (code: string | undefined) => {
    if (code) setMajor(code.slice(0, 2));
    props.onChange({ kind: props.value.kind, code: code || undefined });
  };

  return (
    <fieldset class="type-picker stack" data-testid="type-picker" aria-invalid={props.invalid}>
      <legend class="sr-only">{t('case.type')}</legend>
      <Show when={!props.fixedKind}>
        <div class="field choice" role="radiogroup" aria-label={t('type.kind')}>
          <For each={['matter', 'component'] as const}>
            {(kind) => (
              <label>
                <input type="radio" name={`${id}-kind`} checked={props.value.kind === kind} onChange={() => setKind(kind)} />
                {kindName(kind)}
              </label>
            )}
          </For>
        </div>
      </Show>
      <label class="field">
        <span>{t('type.search')}</span>
        <input
          type="search"
          data-testid="type-search"
          value={query()}
          placeholder={t('type.searchPlaceholder')}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </label>
      <Show when={query().trim() !== ''}>
        <Show when={results().length > 0} fallback={<p class="muted">{t('type.noMatch')}</p>}>
          <ul class="type-results">
            <For each={results()}>
              {(entry) => (
                <li>
                  <button
                    type="button"
                    class="btn btn-small type-option"
                    data-testid="type-option"
                    data-code={entry.code}
                    onClick={() => {
                      choose(entry.code);
                      setQuery('');
                    }}
                  >
                    <strong>{name(entry.name)}</strong> <span class="mono muted">{entry.code}</span>
                    <span class="muted small">{name(entry.majorName)}</span>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <div class="field-row">
        <label class="field">
          <span>{t('type.major')}</span>
          <select
            ref={majorSelect}
            data-testid="type-major"
            onChange={(e) => {
              setMajor(e.currentTarget.value);
              choose(undefined);
            }}
          >
            <option value="">{t('type.choose')}</option>
            <For each={majorsOf(props.value.kind)}>
              {(m) => (
                <option value={m.code}>
                  {m.code} {name(m.name)}
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="field">
          <span>{t('type.minor')}</span>
          <select ref={minorSelect} data-testid="type-minor" disabled={!major()} aria-invalid={props.invalid} onChange={(e) => choose(e.currentTarget.value)}>
            <option value="">{t('type.choose')}</option>
            <For each={major() ? entriesOf(props.value.kind, major()) : []}>
              {(entry) => (
                <option value={entry.code}>
                  {entry.code} {name(entry.name)}
                </option>
              )}
            </For>
          </select>
        </label>
      </div>
      <Show when={props.value.code}>
        {(code) => (
          <p class="type-chosen" data-testid="type-chosen" data-code={code()}>
            {kindName(props.value.kind)} · {typeLabel(props.value.kind, code())}
          </p>
        )}
      </Show>
    </fieldset>
  );
}
