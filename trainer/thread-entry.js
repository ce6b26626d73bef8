// Worker threads do not inherit the parent's tsx loader, so the thread entry is plain JavaScript that
// registers tsx before loading the TypeScript body (the same pattern as bin/phasesweep.js).
import { register } from 'tsx/esm/api';

register();
await import('./thread-worker.ts');
