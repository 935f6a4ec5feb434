// The events (spans where one label stays on top): click or Enter seeks the video to the start.
import { useEffect, useState } from 'react';
import type { ResultEvent } from '../../../src/core/result/schema.js';
import { formatScore, formatTimestamp } from '../lib/format.js';
import type { TimeSource } from './time-source.js';
import { eventIndexAt, OTHER_COLOR } from './timeline-data.js';

export interface EventsListProps {
  events: readonly ResultEvent[];
  colors: ReadonlyMap<string, string>;
  time: TimeSource;
  onSeek: (t: number) => void;
}

export function EventsList({ events, colors, time, onSeek }: EventsListProps) {
  const [active, setActive] = useState(-1);
  // Re-renders only when the event under the playhead changes, not every frame.
  useEffect(() => time.subscribe((t) => setActive(eventIndexAt(events, t))), [time, events]);

  if (events.length === 0) {
    return (
      <ul className="events" data-testid="events-list">
        <li className="muted">No events: no label stayed on top above the enter score long enough.</li>
      </ul>
    );
  }
  return (
    <ul className="events" data-testid="events-list">
      {events.map((e, i) => (
        <li key={`${e.start}-${e.index}`} data-testid="event-item" aria-current={i === active ? 'true' : undefined}>
          <button type="button" className="event-button" onClick={() => onSeek(e.start)}>
            <span className="swatch" style={{ background: colors.get(e.label) ?? OTHER_COLOR }} aria-hidden="true" />
            <span className="event-label">{e.label}</span>
            <span className="event-time">
              {formatTimestamp(e.start)}–{formatTimestamp(e.end)}
            </span>
            <span className="event-peak">peak {formatScore(e.peak)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
