// Downloads of the result: JSON document, timeline CSV, WebVTT subtitles, annotated MP4.
import type { ApiClient } from '../api/client.js';
import { fileStem } from '../lib/format.js';

export interface ExportLinksProps {
  api: ApiClient;
  jobId: string;
  sourceName: string;
  hasVideo: boolean;
}

export function ExportLinks({ api, jobId, sourceName, hasVideo }: ExportLinksProps) {
  const stem = fileStem(sourceName);
  return (
    <div className="exports">
      <a className="button" data-testid="export-json" href={api.exportUrl(jobId, 'json')} download={`${stem}.actionlens.json`}>
        JSON
      </a>
      <a className="button" data-testid="export-csv" href={api.exportUrl(jobId, 'csv')} download={`${stem}.timeline.csv`}>
        CSV
      </a>
      <a className="button" data-testid="export-vtt" href={api.exportUrl(jobId, 'vtt')} download={`${stem}.labels.vtt`}>
        WebVTT
      </a>
      {hasVideo ? (
        <a
          className="button"
          data-testid="export-mp4"
          href={api.exportUrl(jobId, 'mp4')}
          download={`${stem}.annotated.mp4`}
          aria-describedby="mp4-note"
        >
          MP4 with labels
        </a>
      ) : null}
      <span id="mp4-note" className="muted small">
        {hasVideo
          ? 'The MP4 is rendered on the server when you ask for it: the download can take about as long as the video plays.'
          : 'The server no longer keeps this video, so there is no annotated MP4.'}
      </span>
    </div>
  );
}
