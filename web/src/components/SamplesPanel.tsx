// The server's sample clips: pick one, then Run.
import type { SampleList } from '../../../src/core/api/schema.js';
import { formatBytes } from '../lib/format.js';

export interface SamplesPanelProps {
  samples: SampleList['samples'] | null;
  loadError: string | null;
  selected: string | null;
  onSelect: (name: string) => void;
}

export function SamplesPanel({ samples, loadError, selected, onSelect }: SamplesPanelProps) {
  if (loadError !== null) return <p className="muted">The sample list could not be loaded: {loadError}</p>;
  if (samples === null) return <p className="muted">Loading the samples…</p>;
  if (samples.length === 0) return <p className="muted">The server's sample folder has no videos.</p>;
  return (
    <ul className="sample-list" data-testid="sample-list" aria-label="Sample videos">
      {samples.map((s) => (
        <li key={s.name} data-testid="sample-item">
          <button type="button" className="sample-button" aria-pressed={s.name === selected} onClick={() => onSelect(s.name)}>
            <span>{s.name}</span>
            <span className="muted small">{formatBytes(s.size_bytes)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
