import { parseEvent } from '../../trainer/index.ts';

export interface Progress {
  step: number;
  metrics: Record<string, number>;
}

// The events of one cell, as they arrive from either channel: progress is handed on at once (heartbeat
// and curve point), the last checkpoint and the one result are kept, anything against the protocol is
// noted for the outcome.
export class CellEvents {
  result?: Record<string, number>;
  checkpoint?: string;
  readonly problems: string[] = [];
  private results = 0;

  constructor(
    private readonly cellKey: string,
    private readonly onProgress: (progress: Progress) => void,
    /** called on every event, valid or not: the program is alive */
    private readonly onAny: () => void,
    /** persistent mode: events must name their cell */
    private readonly tagged = false,
    /** each checkpoint as it comes: kept where a retried attempt finds it (the heartbeat's details) */
    private readonly onCheckpoint: (path: string) => void = () => {},
  ) {}

  /** Returns true when this line was the cell's result. */
  take(line: string): boolean {
    this.onAny();
    const parsed = parseEvent(line);
    if (!parsed.ok) {
      this.problems.push(parsed.problem);
      return false;
    }
    const event = parsed.event;
    if (event.cell_key !== undefined && event.cell_key !== this.cellKey) {
      this.problems.push(`an event for cell ${event.cell_key} during cell ${this.cellKey}`);
      return false;
    }
    if (this.tagged && event.cell_key === undefined) {
      this.problems.push(`persistent mode: a ${event.type} event without cell_key`);
      return false;
    }
    if (event.type === 'progress') this.onProgress({ step: event.step, metrics: event.metrics });
    else if (event.type === 'checkpoint') {
      this.checkpoint = event.path;
      this.onCheckpoint(event.path);
    } else if (++this.results === 1) this.result = event.metrics;
    else this.problems.push('more than one result event');
    return event.type === 'result';
  }
}
