import cliProgress from 'cli-progress';
import { formatCounts } from '../../store/sweep-counts.ts';
import type { LiveProgress } from '../live-progress.ts';
import { refineStatus } from './refine-progress.ts';
import { NOT_PICKED_UP } from './sweep-standing.ts';

export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const fmtRate = (rate: number | null): string => (rate === null ? '--' : rate.toFixed(1));

/** The line a non-interactive terminal (CI logs, pipes) gets instead of a redrawn bar. */
export function progressLine(p: LiveProgress): string {
  // No cells registered yet: the store's 0/0 would say nothing true.
  if (p.status === 'queued') return `${p.sweep_id} queued: ${NOT_PICKED_UP}`;
  const refine = refineStatus(p);
  return (
    `${p.sweep_id} ${p.status}: ${formatCounts(p)}, ` +
    `${p.running} running, ${fmtRate(p.rate)} cells/s, ETA ${fmtDuration(p.eta_s)}` +
    (refine ? ` | ${refine}` : '')
  );
}

export interface ProgressView {
  update(p: LiveProgress): void;
  stop(): void;
}

export function createProgressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (!stream.isTTY) {
    let last = '';
    return {
      update(p) {
        const line = progressLine(p);
        if (line !== last) stream.write(`${line}\n`);
        last = line;
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        '{bar} {value}/{total} cells | cached {cached} | failed {failed} | running {running} | {rate} cells/s | ETA {eta_text}{refine}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 1,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let queued = false;
  return {
    update(p) {
      // The bar starts once a worker has registered the cells; until then, one line says why not.
      if (p.status === 'queued') {
        if (!queued) stream.write(`${progressLine(p)}\n`);
        queued = true;
        return;
      }
      const payload = {
        cached: p.cached,
        failed: p.failed,
        running: p.running,
        rate: fmtRate(p.rate),
        eta_text: fmtDuration(p.eta_s),
        refine: p.refine ? ` | ${refineStatus(p)}` : '',
      };
      if (!started) bar.start(p.total, p.done, payload);
      else {
        bar.setTotal(p.total);
        bar.update(p.done, payload);
      }
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
