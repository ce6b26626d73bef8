-- A queued sweep (`run` stored it, no worker has registered its cells) has no cells in the store, so
-- sweep_counts reads 0/0 for it. What is true is that none of its grid's cells is done yet: `run` counts
-- them from the spec (sweep/cells.ts' countCells) and stores the number here, and `ls`, `show` and
-- Grafana's Operations panels all read this column for a queued sweep, so they show the same 0/N.
-- NULL for a sweep stored before this migration, and for a sweep a worker stored (its cells are
-- registered, and sweep_counts counts them).
ALTER TABLE sweeps ADD COLUMN grid_cells integer CHECK (grid_cells >= 0);
