// The job's video with the current top-K drawn over the picture and the labels as subtitles.
// The position is published to `time` every animation frame while playing and on every seek.
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { ResultTimelineWindow } from '../../../src/core/result/schema.js';
import { drawOverlay } from './overlay-draw.js';
import type { TimeSource } from './time-source.js';
import { windowIndexAt } from './timeline-data.js';

export interface VideoPlayerProps {
  src: string;
  trackSrc: string;
  /** The video's picture size (from the result), so the overlay is placed before the video loads. */
  media: { width: number; height: number };
  timeline: readonly ResultTimelineWindow[];
  colors: ReadonlyMap<string, string>;
  time: TimeSource;
  videoRef: RefObject<HTMLVideoElement | null>;
  onOverlayDrawn?: () => void;
}

const REPORT_EVENTS = ['seeking', 'seeked', 'timeupdate', 'pause', 'ended', 'loadedmetadata', 'loadeddata'] as const;

export function VideoPlayer({ src, trackSrc, media, timeline, colors, time, videoRef, onOverlayDrawn }: VideoPlayerProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const onDrawnRef = useRef(onOverlayDrawn);
  onDrawnRef.current = onOverlayDrawn;
  const [playError, setPlayError] = useState<string | null>(null);

  // Video -> time source: per animation frame while playing (requestAnimationFrame works in every
  // browser, unlike requestVideoFrameCallback), and on seeks and pauses.
  useEffect(() => {
    const video = videoRef.current;
    if (video === null) return;
    let raf = 0;
    const report = () => time.emit(video.currentTime);
    const tick = () => {
      report();
      raf = !video.paused && !video.ended ? requestAnimationFrame(tick) : 0;
    };
    const onPlay = () => {
      if (raf === 0) raf = requestAnimationFrame(tick);
    };
    video.addEventListener('play', onPlay);
    video.addEventListener('playing', onPlay);
    for (const name of REPORT_EVENTS) video.addEventListener(name, report);
    return () => {
      if (raf !== 0) cancelAnimationFrame(raf);
      video.removeEventListener('play', onPlay);
      video.removeEventListener('playing', onPlay);
      for (const name of REPORT_EVENTS) video.removeEventListener(name, report);
    };
  }, [time, videoRef]);

  // Time source -> overlay; repaints only when the window or the canvas size changes.
  useEffect(() => {
    const canvas = canvasRef.current;
    const box = boxRef.current;
    if (canvas === null || box === null) return;
    let drawnKey = '';
    const paint = (t: number, force = false) => {
      const index = windowIndexAt(timeline, t);
      const key = `${index}:${canvas.clientWidth}x${canvas.clientHeight}:${window.devicePixelRatio}`;
      if (!force && key === drawnKey) return;
      drawnKey = key;
      const items = index < 0 ? [] : timeline[index].topk;
      drawOverlay(canvas, items, media, colors);
      onDrawnRef.current?.();
    };
    const unsubscribe = time.subscribe((t) => paint(t));
    const resize = new ResizeObserver(() => paint(time.current, true));
    resize.observe(box);
    return () => {
      unsubscribe();
      resize.disconnect();
    };
  }, [time, timeline, media, colors]);

  const ratio = media.width > 0 && media.height > 0 ? media.width / media.height : 16 / 9;
  return (
    <figure className="player">
      <div ref={boxRef} className="player-box" style={{ aspectRatio: String(ratio), maxWidth: `calc(62vh * ${ratio.toFixed(4)})` }}>
        <video
          ref={videoRef}
          data-testid="video-player"
          src={src}
          controls
          playsInline
          preload="auto"
          onError={() => setPlayError('The browser cannot play this video; the charts, table and exports still work.')}
          onLoadedData={() => setPlayError(null)}
        >
          <track kind="subtitles" src={trackSrc} srcLang="en" label="Top action" default />
        </video>
        <canvas ref={canvasRef} data-testid="overlay-canvas" className="player-overlay" aria-hidden="true" />
      </div>
      {playError !== null && <figcaption className="muted">{playError}</figcaption>}
    </figure>
  );
}
