-- The end of a sweep estimates its boundary from per-grid-point seed means (grid_point_tallies) and
-- reads the cells of a few points per group for the seed bootstrap (activities/store-boundaries.ts):
-- this index finds a point's cells without scanning every cell of the sweep.
CREATE INDEX sweep_cells_sweep_point_key_idx ON sweep_cells (sweep_id, point_key);
