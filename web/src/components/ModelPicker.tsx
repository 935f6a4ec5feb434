// Model choice: a select (the quick way) and a table with what a user weighs (accuracy, cost,
// download size, whether it is ready); choosing a row chooses the model.
import { useId } from 'react';
import type { ModelSummary } from '../../../src/core/api/schema.js';

export interface ModelPickerProps {
  models: readonly ModelSummary[];
  value: string;
  onChange: (id: string) => void;
  disabled: boolean;
}

const pct = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(1)}%`);
const num = (x: number | undefined, unit = '') => (x === undefined ? '—' : `${x}${unit}`);

export function cacheState(m: ModelSummary): string {
  if (m.converted) return 'ready';
  if (m.downloaded) return 'downloaded, converts on first use';
  return 'downloads on first use';
}

export function ModelPicker({ models, value, onChange, disabled }: ModelPickerProps) {
  const selectId = useId();
  const current = models.find((m) => m.id === value);
  return (
    <div className="model-picker">
      <div className="inline">
        <label htmlFor={selectId}>Model</label>
        <select id={selectId} data-testid="model-select" value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value)}>
          {current === undefined && <option value={value}>{value} (not offered by this server)</option>}
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.display_name}
            </option>
          ))}
        </select>
      </div>
      {current !== undefined && (
        <p className="muted small">
          {current.family} · {current.dataset} ({current.num_classes} classes) · {current.kind === 'stream' ? 'streams frame by frame, live-capable' : 'clip model (windows of frames)'} ·{' '}
          {current.converted
            ? 'ready to run'
            : current.downloaded
              ? 'converted to ONNX on first use'
              : `downloaded${current.download_mb !== undefined ? ` (${current.download_mb} MB)` : ''} and converted on first use`}{' '}
          · license {current.license}
        </p>
      )}
      <div className="table-scroll">
        <table className="data-table model-table" data-testid="model-table">
          <caption className="visually-hidden">Models offered by this server</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Chosen</span>
              </th>
              <th scope="col">Model</th>
              <th scope="col">Family</th>
              <th scope="col">Dataset</th>
              <th scope="col" className="num" title="Top-1 accuracy on the dataset's validation set">
                Top-1
              </th>
              <th scope="col" className="num" title="Top-5 accuracy on the dataset's validation set">
                Top-5
              </th>
              <th scope="col">Input</th>
              <th scope="col" className="num">
                GFLOPs
              </th>
              <th scope="col" className="num">
                Download
              </th>
              <th scope="col">Cache</th>
              <th scope="col">Live</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => {
              const chosen = m.id === value;
              return (
                <tr key={m.id} className={chosen ? 'row-chosen' : undefined} onClick={() => !disabled && onChange(m.id)} data-model-id={m.id}>
                  <td>
                    <input
                      type="radio"
                      name={`${selectId}-row`}
                      checked={chosen}
                      disabled={disabled}
                      onChange={() => onChange(m.id)}
                      aria-label={m.display_name}
                    />
                  </td>
                  <th scope="row">
                    {m.display_name}
                    <div className="muted small mono">{m.id}</div>
                  </th>
                  <td>{m.family}</td>
                  <td>
                    {m.dataset} <span className="muted small">({m.num_classes})</span>
                  </td>
                  <td className="num">{pct(m.top1)}</td>
                  <td className="num">{pct(m.top5)}</td>
                  <td className="small">{m.input_size ?? '—'}</td>
                  <td className="num">{num(m.gflops)}</td>
                  <td className="num">{num(m.download_mb, ' MB')}</td>
                  <td className="small">{cacheState(m)}</td>
                  <td>{m.kind === 'stream' ? <span className="badge">live-capable</span> : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
