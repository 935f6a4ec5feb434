// Live webcam analysis in real Chromium: the fake capture device plays a .y4m made from a shared clip,
// and the live top-1 must name its action within a few seconds, with the model running in the page
// (onnxruntime-web, no frame leaves the browser) and, as the alternative, on the server over a WebSocket.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { media } from '../e2e/cli.js';
import { startTestServer, type TestServer } from '../server/harness.js';
import { launchChromium, newPage, screenshot } from './harness.js';

interface LiveStats {
  engine: string;
  frames: number;
  inferFps: number;
  inferMsP50: number;
  latencyMsP50: number;
  top1: string;
}

describe('webcam, live, in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-webcam-'));
    const y4m = path.join(dir, 'carving_ice.y4m');
    // Chromium loops the file; 15 fps keeps the raw file small (the page samples at the model's 5 fps).
    execFileSync('ffmpeg', ['-v', 'error', '-i', media('carving_ice.mp4'), '-vf', 'scale=320:240,fps=15', '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', y4m]);
    s = await startTestServer();
    browser = await launchChromium({ fakeCamera: y4m });
    ({ page, consoleErrors } = await newPage(browser));
    await page.goto(`${s.base}/`);
    await page.getByTestId('tab-webcam').click();
    await page.getByTestId('live-panel').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stats = () => page.evaluate(() => (window as unknown as { __actionlensLive?: LiveStats }).__actionlensLive);

  for (const engine of ['page', 'server'] as const) {
    it(`names the action within seconds with the model running ${engine === 'page' ? 'in the page' : 'on the server'}`, async () => {
      await page.getByTestId('live-model').selectOption('movinet-a0-stream-k600');
      await page.getByTestId('live-engine').selectOption(engine);
      await page.getByTestId('live-start').click();
      try {
        await expect.poll(async () => (await page.getByTestId('live-top1').textContent())?.trim(), { timeout: 30_000, intervals: [250] }).toBe('carving ice');
        // A few more frames, so the rates and latency percentiles have samples.
        await expect.poll(async () => (await stats())?.frames ?? 0, { timeout: 10_000 }).toBeGreaterThan(10);
        const live = (await stats())!;
        expect(live.engine).toBe(engine);
        expect(live.inferFps).toBeGreaterThan(0);
        expect(live.inferMsP50).toBeGreaterThan(0);
        expect(live.latencyMsP50).toBeGreaterThan(0);
        expect(await page.getByTestId('live-fps').textContent()).toMatch(/\d/);
        expect(await page.getByTestId('live-latency').textContent()).toMatch(/\d/);
        await screenshot(page, `webcam-${engine}`);
      } finally {
        await page.getByTestId('live-stop').click();
        await expect.poll(async () => page.getByTestId('live-start').isEnabled()).toBe(true);
      }
    });
  }

  it('logged no errors in the page console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
