// Upload input: a drop zone (also a keyboard-usable button that opens the file picker) and the
// file input itself. The file is only sent when Run is pressed.
import { useId, useRef, useState, type DragEvent } from 'react';
import { formatBytes, formatDuration } from '../lib/format.js';

export interface UploadPanelProps {
  file: File | null;
  onFile: (file: File | null) => void;
  maxUploadMb: number;
  maxDurationSec: number;
  disabled: boolean;
}

/** Hints for the picker; the server judges the content, not the name. */
const ACCEPT = 'video/*,image/gif,.mp4,.mov,.m4v,.mkv,.webm,.avi,.gif,.mpg,.mpeg,.ts';

export function UploadPanel({ file, onFile, maxUploadMb, maxDurationSec, disabled }: UploadPanelProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragDepth, setDragDepth] = useState(0);
  const inputId = useId();
  const helpId = useId();

  const open = () => {
    if (!disabled) inputRef.current?.click();
  };
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragDepth(0);
    if (disabled) return;
    const dropped = e.dataTransfer.files[0];
    if (dropped !== undefined) onFile(dropped);
  };

  return (
    <div className="upload">
      <div
        data-testid="drop-zone"
        className={`drop-zone${dragDepth > 0 ? ' drop-zone--over' : ''}${disabled ? ' drop-zone--disabled' : ''}`}
        role="button"
        tabIndex={disabled ? -1 : 0}
        aria-disabled={disabled}
        aria-describedby={helpId}
        onClick={open}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            open();
          }
        }}
        onDragEnter={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          setDragDepth((d) => d + 1);
        }}
        onDragOver={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
        }}
        onDragLeave={() => setDragDepth((d) => Math.max(0, d - 1))}
        onDrop={onDrop}
      >
        {file === null ? (
          <span>
            <strong>Drop a video here</strong> or press to choose a file
          </span>
        ) : (
          <span>
            <strong>{file.name}</strong> ({formatBytes(file.size)}) — drop or choose another to replace it
          </span>
        )}
      </div>
      <label htmlFor={inputId} className="visually-hidden">
        Video file
      </label>
      <input
        ref={inputRef}
        id={inputId}
        data-testid="file-input"
        type="file"
        accept={ACCEPT}
        className="visually-hidden"
        tabIndex={-1}
        disabled={disabled}
        onChange={(e) => {
          const chosen = e.currentTarget.files?.[0];
          if (chosen !== undefined) onFile(chosen);
          e.currentTarget.value = ''; // choosing the same file again still fires change
        }}
      />
      <p id={helpId} className="muted small">
        Any video ffmpeg reads (mp4, mov, mkv, webm, avi, gif, ...), up to {maxUploadMb} MB and {formatDuration(maxDurationSec)} long.
      </p>
    </div>
  );
}
