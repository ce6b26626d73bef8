// Defaults the CLI shows in its help; kept apart from push.ts and write.ts so help does not load the
// Grafana SDK.
export const DEFAULT_FOLDER = { uid: 'phasesweep', title: 'phasesweep' };
export const DEFAULT_BUILD_DIR = 'dashboards/build';
