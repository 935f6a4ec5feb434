// The web app in real Chromium against a real server (MoViNet, ffmpeg): upload -> results drawn on
// the video, chart click seeks, every export downloads and validates, settings survive a round trip.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateResultDocument, TIMELINE_CSV_HEADER } from '../../src/core/result/index.js';
import { validateConfig } from '../../src/core/settings/index.js';
import { media } from '../e2e/cli.js';
import { startTestServer, type TestServer } from '../server/harness.js';
import { ARTIFACTS, canvasInk, launchChromium, newPage, screenshot } from './harness.js';

describe('web app in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    s = await startTestServer({ server: { samples_dir: path.dirname(media('arm_wrestling.mp4')) } });
    browser = await launchChromium();
    ({ page, consoleErrors } = await newPage(browser));
    await page.goto(`${s.base}/`);
    await page.getByTestId('model-select').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('uploads arm_wrestling.mp4, runs MoViNet, and draws the table, charts and overlay', async () => {
    await page.getByTestId('tab-upload').click();
    await page.getByTestId('model-select').selectOption('movinet-a0-stream-k600');
    await page.getByTestId('file-input').setInputFiles(media('arm_wrestling.mp4'));
    await page.getByTestId('run-button').click();
    await page.locator('[data-testid="results"][data-ready="true"]').waitFor({ timeout: 90_000 });

    const top1 = await page.getByTestId('result-row').first().getByTestId('result-label').textContent();
    expect(top1?.trim()).toBe('arm wrestling');
    expect(await canvasInk(page, 'timeline-chart')).toBeGreaterThan(0.005);
    expect(await canvasInk(page, 'bar-chart')).toBeGreaterThan(0.005);
    expect(await canvasInk(page, 'overlay-canvas')).toBeGreaterThan(0.001);
    expect(await page.getByTestId('event-item').count()).toBeGreaterThan(0);
    // The run downloaded and converted the model: the table says so without a reload.
    await expect.poll(async () => page.getByTestId('model-table').getByRole('row').filter({ hasText: 'movinet-a0-stream-k600' }).textContent()).toMatch(/ready/);
    await screenshot(page, 'upload-results');
  });

  it('seeks the video when the timeline chart or an event is clicked', async () => {
    const video = page.getByTestId('video-player');
    await video.evaluate((v: HTMLVideoElement) => new Promise((r) => (v.readyState >= 1 ? r(null) : v.addEventListener('loadedmetadata', r, { once: true }))));
    const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
    // The time under a point of the chart, from the chart's own x scale.
    const { x, y, t } = await page.evaluate(() => {
      const chart = (window as unknown as { __actionlensPage: { timelineChart: { scales: { x: { left: number; right: number; getValueForPixel(px: number): number } }; chartArea: { top: number; bottom: number } } } }).__actionlensPage.timelineChart;
      const px = chart.scales.x.left + 0.7 * (chart.scales.x.right - chart.scales.x.left);
      return { x: px, y: (chart.chartArea.top + chart.chartArea.bottom) / 2, t: chart.scales.x.getValueForPixel(px) };
    });
    await page.getByTestId('timeline-chart').click({ position: { x, y } });
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 5000 }).toBeGreaterThan(0);
    const now = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
    expect(Math.abs(now - t)).toBeLessThan(Math.max(0.6, duration * 0.03));
    await screenshot(page, 'after-chart-seek');

    // An event click seeks to the event's start.
    await page.getByTestId('event-item').first().click();
    const start = await page.evaluate(() => (window as unknown as { __actionlensPage: { result: { events: { start: number }[] } } }).__actionlensPage.result.events[0]!.start);
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 5000 }).toBeCloseTo(start, 0);
  });

  it('downloads every export, and each validates', async () => {
    const download = async (testId: string) => {
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId(testId).click()]);
      const file = path.join(ARTIFACTS, dl.suggestedFilename());
      await dl.saveAs(file);
      return file;
    };
    const doc = validateResultDocument(JSON.parse(readFileSync(await download('export-json'), 'utf8')));
    expect(doc.aggregate.topk[0]!.label).toBe('arm wrestling');

    const csv = readFileSync(await download('export-csv'), 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe(TIMELINE_CSV_HEADER.join(','));
    const width = TIMELINE_CSV_HEADER.length;
    expect(csv.slice(1).every((row) => row.split(',').length >= width)).toBe(true);
    expect(csv.length - 1).toBe(doc.timeline.reduce((n, w) => n + w.topk.length, 0));

    // WebVTT, parsed by the browser's own WebVTT parser as a <track>.
    const vttText = readFileSync(await download('export-vtt'), 'utf8');
    const cues = await page.evaluate(async (text) => {
      const video = document.createElement('video');
      const track = document.createElement('track');
      track.kind = 'subtitles';
      track.src = URL.createObjectURL(new Blob([text], { type: 'text/vtt' }));
      track.default = true;
      video.append(track);
      document.body.append(video);
      await new Promise((resolve, reject) => {
        track.addEventListener('load', resolve, { once: true });
        track.addEventListener('error', () => reject(new Error('the browser rejected the WebVTT file')), { once: true });
      });
      const list = Array.from(track.track.cues ?? []) as VTTCue[];
      video.remove();
      return list.map((c) => ({ start: c.startTime, end: c.endTime, text: c.text }));
    }, vttText);
    expect(cues.length).toBeGreaterThan(0);
    expect(cues.some((c) => c.text.includes('arm wrestling'))).toBe(true);
    expect(cues.every((c) => c.end > c.start && c.end <= doc.source.duration_s + 0.01)).toBe(true);

    const mp4 = await download('export-mp4');
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', mp4], { encoding: 'utf8' })) as {
      streams: { codec_type: string; codec_name: string; pix_fmt?: string }[];
      format: { duration: string };
    };
    const v = probe.streams.find((st) => st.codec_type === 'video')!;
    expect(v.codec_name).toBe('h264');
    expect(v.pix_fmt).toBe('yuv420p');
    expect(Math.abs(Number(probe.format.duration) - doc.source.duration_s)).toBeLessThan(0.15);
  });

  it('saves the settings to a file and restores them from it', async () => {
    const set = async (values: { topk: string; window: string; method: string; sigma: string }) => {
      await page.getByTestId('setting-topk').fill(values.topk);
      await page.getByTestId('setting-window').fill(values.window);
      await page.getByTestId('setting-smoothing-method').selectOption(values.method);
      await page.getByTestId('setting-sigma').fill(values.sigma);
    };
    const read = async () => ({
      topk: await page.getByTestId('setting-topk').inputValue(),
      window: await page.getByTestId('setting-window').inputValue(),
      method: await page.getByTestId('setting-smoothing-method').inputValue(),
      sigma: await page.getByTestId('setting-sigma').inputValue(),
      threshold: await page.getByTestId('setting-threshold').inputValue(),
    });
    await set({ topk: '7', window: '2', method: 'gaussian', sigma: '1.5' });
    const saved = await read();
    for (const [testId, ext] of [
      ['settings-save-yaml', 'yaml'],
      ['settings-save-json', 'json'],
    ] as const) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
      const file = path.join(ARTIFACTS, `settings.${ext}`);
      await dl.saveAs(file);
      const data = (ext === 'yaml' ? parseYaml(readFileSync(file, 'utf8')) : JSON.parse(readFileSync(file, 'utf8'))) as { analysis: { topk: number; window_sec: number } };
      expect(data.analysis.topk).toBe(7);
      expect(data.analysis.window_sec).toBe(2);

      await set({ topk: '2', window: '5', method: 'none', sigma: '1' });
      await page.getByTestId('settings-load').setInputFiles(file);
      await expect.poll(read).toEqual(saved);
    }
    // The last settings are remembered across a reload.
    await page.reload();
    await page.getByTestId('setting-topk').waitFor();
    expect(await read()).toEqual(saved);
  });

  it('shows the server refusing bad input in the page', async () => {
    await page.getByTestId('tab-url').click();
    await page.getByTestId('url-input').fill('http://169.254.169.254/latest/meta-data/');
    await page.getByTestId('url-submit').click();
    const alert = page.getByTestId('error-message');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/refused|link-local|metadata/i);
    await screenshot(page, 'url-refused');

    await page.getByTestId('tab-upload').click();
    const notVideo = path.join(ARTIFACTS, 'notes.mp4');
    execFileSync('bash', ['-c', `mkdir -p '${ARTIFACTS}' && printf 'not a video%.0s\\n' {1..50} > '${notVideo}'`]);
    await page.getByTestId('file-input').setInputFiles(notVideo);
    await page.getByTestId('run-button').click();
    await expect.poll(async () => (await page.getByTestId('error-message').textContent()) ?? '', { timeout: 30_000 }).toMatch(/not a video/i);
  });

  it('runs a sample clip', async () => {
    await page.getByTestId('tab-samples').click();
    await page.getByTestId('sample-item').filter({ hasText: 'carving_ice.mp4' }).click();
    await page.getByTestId('run-button').click();
    await page.locator('[data-testid="results"][data-ready="true"]').waitFor({ timeout: 90_000 });
    expect((await page.getByTestId('result-label').first().textContent())?.trim()).toBe('carving ice');
  });

  it('saves and loads the precision, and runs a sample at int8', async () => {
    const precision = page.getByTestId('setting-precision');
    expect(await precision.inputValue()).toBe('fp32'); // the server's runtime.precision
    const help = page.locator(`[id="${await precision.getAttribute('aria-describedby')}"]`);
    expect(await help.textContent()).toMatch(/^Stream models \(MoViNet\) already are int8\. int8 clip models: faster on CPUs with VNNI.*calibrated on the first video analysed/);
    // What int8 means follows the chosen model.
    await page.getByTestId('model-select').selectOption('tsn-r50-1x1x8-k400');
    await expect.poll(() => help.textContent()).toMatch(/^int8 clip models: faster on CPUs with VNNI/);
    await page.getByTestId('model-select').selectOption('movinet-a0-stream-k600');

    await precision.selectOption('int8');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('settings-save-yaml').click()]);
    const file = path.join(ARTIFACTS, 'settings-int8.yaml');
    await dl.saveAs(file);
    const data = parseYaml(readFileSync(file, 'utf8')) as { runtime: { precision: string; execution_providers: string[] } };
    expect(data.runtime.precision).toBe('int8');
    expect(data.runtime.execution_providers).toEqual(['cpu']);
    expect(validateConfig(data, file).runtime.precision).toBe('int8'); // as `actionlens --config` reads it

    await precision.selectOption('fp32');
    await page.getByTestId('settings-load').setInputFiles(file);
    await expect.poll(() => precision.inputValue()).toBe('int8');
    await page.reload();
    await precision.waitFor();
    expect(await precision.inputValue()).toBe('int8');

    // A clip not analysed before, so the result is computed at int8 (not served from the result cache).
    await page.getByTestId('tab-samples').click();
    await page.getByTestId('sample-item').filter({ hasText: 'jumpingjack.gif' }).click();
    await page.getByTestId('run-button').click();
    await page.locator('[data-testid="results"][data-ready="true"]').waitFor({ timeout: 90_000 });
    expect((await page.getByTestId('result-label').first().textContent())?.trim()).toBe('jumping jacks');
    expect((await page.getByTestId('result-precision').textContent())?.trim()).toBe('int8 (already quantized)');
    const model = await page.evaluate(() => (window as unknown as { __actionlensPage: { result: { model: { precision?: string; quantization?: unknown } } } }).__actionlensPage.result.model);
    expect(model.precision).toBe('int8');
    expect(model.quantization).toBeUndefined();
    await screenshot(page, 'int8-results');
  });

  it('logged no errors in the page console', () => {
    // Refused requests show up as failed resources (4xx): those are expected; nothing else is.
    expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
