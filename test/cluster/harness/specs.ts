// Specs the cluster scenarios run, written with writeSpec into the cluster's directory.

// Paper-spec 6.1 (examples/default.yaml) with seeds [from, to): 70 cells per seed. Small batches, so
// that the work spreads over every host.
export function defaultGrid(seeds: readonly [number, number]): Record<string, unknown> {
  return {
    method: 'supervised',
    grid: {
      n_labels: [4, 8, 16, 32, 64, 128, 256],
      snr: { geomspace: [0.1, 1.0, 10] },
      seed: { range: [...seeds] },
    },
    fixed: { d: 200, m: 10, q: 3, sigma0: 0.01, lr: 1.0, steps: 1000, n_test: 1000 },
    resources: { queue: 'train-cpu', batch_size: 7, max_in_flight: 6 },
  };
}
