// Queries behind the template variables. __value / __text are the datasource's names for an option's
// value and label.
export const sweepOptions = `
SELECT id AS __value, name || ' · ' || to_char(created_at, 'YYYY-MM-DD HH24:MI') || ' · ' || status AS __text
FROM sweeps ORDER BY created_at DESC LIMIT 200`.trim();

export const methodOptions = `SELECT DISTINCT method FROM sweep_cells WHERE sweep_id = '\${sweep}' AND method <> 'noop' ORDER BY 1`;

export const nLabelsOptions = `SELECT DISTINCT n_labels FROM sweep_cells WHERE sweep_id = '\${sweep}' AND method = '\${method}' ORDER BY 1`;

export const nUnlabeledOptions = `SELECT DISTINCT coalesce(n_unlabeled, 0) FROM sweep_cells WHERE sweep_id = '\${sweep}' AND method = '\${method}' ORDER BY 1`;

export const simclrUnlabeledOptions = `SELECT DISTINCT n_unlabeled FROM sweep_cells WHERE sweep_id = '\${sweep}' AND method = 'simclr' ORDER BY 1`;

export const scheduleOptions = `SELECT DISTINCT schedule_id FROM sweeps WHERE schedule_id IS NOT NULL ORDER BY 1`;
