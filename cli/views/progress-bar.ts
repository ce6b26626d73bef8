import cliProgress from 'cli-progress';

/** What the sweep workflow's `progress` query answers (workflows/ owns the query; these are its fields). */
export interface SweepProgress {
  sweep_id: string;
  status: string;
  total: number;
  done: number;
  cached: number;
  failed: number;
  running: number;
  rate: number;
  eta_s: number | null;
}

export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The line a non-interactive terminal (CI logs, pipes) gets instead of a redrawn bar. */
export function progressLine(p: SweepProgress): string {
  return (
    `${p.sweep_id} ${p.status}: ${p.done}/${p.total} done, ${p.cached} cached, ${p.failed} failed, ` +
    `${p.running} running, ${p.rate.toFixed(1)} cells/s, ETA ${fmtDuration(p.eta_s)}`
  );
}

export interface ProgressView {
  update(p: SweepProgress): void;
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
        '{bar} {value}/{total} cells | cached {cached} | failed {failed} | running {running} | {rate} cells/s | ETA {eta_text}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 1,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = {
        cached: p.cached,
        failed: p.failed,
        running: p.running,
        rate: p.rate.toFixed(1),
        eta_text: fmtDuration(p.eta_s),
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
