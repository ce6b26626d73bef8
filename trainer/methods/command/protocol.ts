import { z } from 'zod';

// The contract between phasesweep and a user's program (README, "Your own trainer"). Its version goes
// into every cell key: a change of what the program receives or may send is a new version.
export const PROTOCOL_VERSION = 1;

// Events also arrive on stdout, on lines that start with this; every other line is only logged.
export const STDOUT_EVENT_PREFIX = '@@phasesweep ';

export interface CommandInput {
  protocol: typeof PROTOCOL_VERSION;
  cell_key: string;
  params: Record<string, unknown>;
  seed: number;
  attempt: number;
  out_dir: string;
  /** the path of the last checkpoint event of an earlier attempt, or null */
  resume_from: string | null;
}

export function inputLine(input: CommandInput): string {
  return `${JSON.stringify(input)}\n`;
}

export interface ProtocolFiles {
  input: string;
  events: string;
}

// The environment the protocol adds to the program's; `gpus` only on GPU slots.
export function protocolEnv(input: CommandInput, files: ProtocolFiles, gpus?: readonly string[]) {
  return {
    PHASESWEEP_CELL_KEY: input.cell_key,
    PHASESWEEP_SEED: String(input.seed),
    PHASESWEEP_OUT_DIR: input.out_dir,
    PHASESWEEP_ATTEMPT: String(input.attempt),
    PHASESWEEP_INPUT: files.input,
    ...processEnv(files.events, gpus),
  };
}

// A persistent program serves many cells, so it gets only what holds for all of them; each cell's
// input line says the rest, and PHASESWEEP_PERSISTENT tells it to read line after line.
export function persistentEnv(events: string, gpus?: readonly string[]) {
  return { PHASESWEEP_PERSISTENT: '1', ...processEnv(events, gpus) };
}

function processEnv(events: string, gpus?: readonly string[]) {
  const env: Record<string, string> = {
    PHASESWEEP_EVENTS: events,
    // Python buffers stdout in a pipe: events and the log tail would arrive only at exit.
    PYTHONUNBUFFERED: '1',
  };
  if (gpus !== undefined) {
    env.CUDA_DEVICE_ORDER = 'PCI_BUS_ID';
    env.CUDA_VISIBLE_DEVICES = gpus.join(',');
  }
  return env;
}

const metricsSchema = z.record(
  z.string(),
  z.number({ error: 'metric values must be finite numbers' }).finite('metric values must be finite numbers'),
  { error: 'expected metrics as an object of numbers' },
);
const cellKey = z.string().optional();

export const eventSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('progress'),
      cell_key: cellKey,
      step: z.number({ error: 'expected a step number' }).int('expected a whole step number').min(0),
      metrics: metricsSchema.default({}),
    }),
    z.object({
      type: z.literal('checkpoint'),
      cell_key: cellKey,
      path: z.string({ error: 'expected a path' }).min(1, 'expected a path'),
    }),
    z.object({ type: z.literal('result'), cell_key: cellKey, metrics: metricsSchema }),
  ],
  { error: 'expected "type" to be progress, checkpoint or result' },
);
export type ProtocolEvent = z.output<typeof eventSchema>;

export type ParsedEvent = { ok: true; event: ProtocolEvent } | { ok: false; problem: string };

// One event line (without its stdout prefix). A malformed event is reported, never skipped in
// silence: peers that scrape metrics with regexes lose results without a word.
export function parseEvent(line: string): ParsedEvent {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, problem: `not JSON: ${clip(line)}` };
  }
  const parsed = eventSchema.safeParse(json);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, problem: `${at}${issue.message} in ${clip(line)}` };
}

const clip = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}...` : text);
