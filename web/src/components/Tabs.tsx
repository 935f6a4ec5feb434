// Tabs with the WAI-ARIA keyboard pattern: arrow keys, Home and End move between tabs.
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabDef<K extends string> {
  id: K;
  label: string;
  testId: string;
}

export interface TabsProps<K extends string> {
  tabs: readonly TabDef<K>[];
  active: K;
  onChange: (id: K) => void;
  idBase: string;
  label: string;
  children: ReactNode;
}

export function tabIds(idBase: string, id: string) {
  return { tab: `${idBase}-tab-${id}`, panel: `${idBase}-panel-${id}` };
}

export function Tabs<K extends string>({ tabs, active, onChange, idBase, label, children }: TabsProps<K>) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.id === active);
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const id = tabs[next].id;
    onChange(id);
    refs.current.get(id)?.focus();
  };
  const ids = tabIds(idBase, active);
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist" onKeyDown={onKeyDown}>
        {tabs.map((t) => {
          const selected = t.id === active;
          const tIds = tabIds(idBase, t.id);
          return (
            <button
              key={t.id}
              ref={(el) => {
                if (el) refs.current.set(t.id, el);
                else refs.current.delete(t.id);
              }}
              type="button"
              role="tab"
              id={tIds.tab}
              aria-selected={selected}
              aria-controls={tIds.panel}
              tabIndex={selected ? 0 : -1}
              data-testid={t.testId}
              className="tab"
              onClick={() => onChange(t.id)}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={ids.panel} aria-labelledby={ids.tab} className="tabpanel" tabIndex={0}>
        {children}
      </div>
    </div>
  );
}
