// URL input: the server downloads the video itself; a refused URL shows the server's reason.
import { useId } from 'react';

export interface UrlPanelProps {
  url: string;
  onUrl: (url: string) => void;
  onSubmit: () => void;
  canSubmit: boolean;
  allowPrivate: boolean;
}

export function UrlPanel({ url, onUrl, onSubmit, canSubmit, allowPrivate }: UrlPanelProps) {
  const inputId = useId();
  const helpId = useId();
  return (
    <form
      className="url-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSubmit) onSubmit();
      }}
    >
      <label htmlFor={inputId}>Video URL</label>
      <div className="inline">
        <input
          id={inputId}
          data-testid="url-input"
          type="url"
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          placeholder="https://example.com/video.mp4"
          value={url}
          onChange={(e) => onUrl(e.currentTarget.value)}
          aria-describedby={helpId}
        />
        <button type="submit" data-testid="url-submit" disabled={!canSubmit}>
          Go
        </button>
      </div>
      <p id={helpId} className="muted small">
        A direct link to a video file (http or https); the server downloads it.
        {allowPrivate ? '' : ' Addresses on private or local networks are refused.'}
      </p>
    </form>
  );
}
