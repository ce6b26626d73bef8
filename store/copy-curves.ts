import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { CurveRow } from './results.ts';
import { inTransaction } from './transaction.ts';

const LINES_PER_WRITE = 5_000;

// COPY text format: \N is NULL; backslash, tab and newline in text must be escaped.
function escapeText(s: string): string {
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!)
    : s;
}

function num(x: number | null): string {
  return x === null ? '\\N' : String(x);
}

function json(x: Record<string, number> | null | undefined): string {
  return x === null || x === undefined ? '\\N' : escapeText(JSON.stringify(x));
}

function* lines(points: CurveRow[]): Generator<string> {
  for (let i = 0; i < points.length; i += LINES_PER_WRITE) {
    let text = '';
    for (const p of points.slice(i, i + LINES_PER_WRITE)) {
      text += `${escapeText(p.cell_key)}\t${p.step}\t${num(p.train_loss)}\t${num(p.test_error)}\t${json(p.metrics)}\n`;
    }
    yield text;
  }
}

// COPY straight into curves in one transaction: all points or none. Throws Postgres's unique violation
// (23505) when a point is already stored, so the caller can fall back to the idempotent path.
export async function copyCurves(pool: pg.Pool, points: CurveRow[]): Promise<void> {
  await inTransaction(pool, async (client) => {
    const stream = client.query(
      copyStreams.from('COPY curves (cell_key, step, train_loss, test_error, metrics) FROM STDIN'),
    );
    await pipeline(Readable.from(lines(points)), stream);
  });
}
