// The playback position, shared without React re-renders: the video publishes it every animation
// frame while playing and on seeks; the overlay, the chart playhead and the events list listen.

export type TimeListener = (t: number) => void;

export class TimeSource {
  private listeners = new Set<TimeListener>();
  private last = 0;

  get current(): number {
    return this.last;
  }

  emit(t: number): void {
    this.last = t;
    for (const listener of this.listeners) listener(t);
  }

  /** Calls `listener` now with the current time and on every change; returns the unsubscribe. */
  subscribe(listener: TimeListener): () => void {
    this.listeners.add(listener);
    listener(this.last);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
