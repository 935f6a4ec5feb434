// The one place errors show: what went wrong, what to do, and the code to look up in docs/errors.md.
import type { UserFacingError } from '../api/errors.js';

export interface ErrorMessageProps {
  error: UserFacingError | null;
  onDismiss?: () => void;
}

export function ErrorMessage({ error, onDismiss }: ErrorMessageProps) {
  if (error === null) return null;
  return (
    <div className="error-box" role="alert" data-testid="error-message">
      <div className="error-body">
        <p className="error-text">{error.message}</p>
        {error.hint !== undefined && error.hint !== '' && <p className="error-hint">{error.hint}</p>}
        {error.code !== undefined && <p className="error-code">{error.code}</p>}
      </div>
      {onDismiss !== undefined && (
        <button type="button" className="icon-button" onClick={onDismiss} aria-label="Dismiss the error">
          ×
        </button>
      )}
    </div>
  );
}
