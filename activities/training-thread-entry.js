// Entry of a training thread. Worker threads do not inherit tsx's programmatic registration from the
// main thread, so the thread registers it before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./training-thread-main.ts');
