-- refine.trace (README "Tracing the boundary in two dimensions"): a group whose row refinement added
-- (its value on the traced axis is not one of the grid's) is marked, so that show, export and plots
-- tell the rows a user chose from those the trace found.
ALTER TABLE boundaries ADD COLUMN traced boolean NOT NULL DEFAULT false;
