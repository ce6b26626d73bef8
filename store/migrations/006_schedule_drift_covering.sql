-- schedule_drift (store/queries.ts) reads every cell of a schedule's last runs and looks each one's
-- result up. Covering indexes let both steps read the index alone (index-only scans, no heap visit per
-- cell): the cells of a sweep with the grid coordinates drift groups by, and a result's test error
-- with its diverged flag by cell key.
CREATE INDEX sweep_cells_sweep_point_idx ON sweep_cells (sweep_id)
  INCLUDE (cell_key, method, n_labels, n_unlabeled, snr);

CREATE INDEX results_key_test_error_idx ON results (cell_key) INCLUDE (diverged, test_error);
