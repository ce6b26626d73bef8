"""The JAX program a researcher would write instead of phasesweep's trainer, for the trainer benchmark.

Same model, grids and step counts as paper-spec 6.1 (supervised) and 6.3 (SimCLR then fine-tuning),
float32, full-batch GD, and like the TypeScript trainer it records 20 curve points (training loss, test
error) per cell. Written for speed, as a JAX user who cared would write it:
- the GD step is the closed form of paper-spec's step, by hand, not jax.grad, in the Gram form: every
  update of a filter is a combination of the training noise patches, so the noise pre-activations
  Z = W Xi^T are updated through G = Xi Xi^T (Z -= C G) and the signal patch through u = ||mu|| w[0];
  the test pre-activations are Z_test0 + Gamma (Xi Xi_test^T) with Gamma the accumulated coefficients;
- for one training set the data do not depend on SNR, so the SNRs (and SimCLR's encoders) of one set
  are vmapped over shared noise: one (cells * 2m, n) x (n, n) product per set and step;
- training sets of small n are zero-padded into a few buckets (a y = 0, xi = 0 row adds nothing to
  any sum; 1/n and the training loss use the real n), so only a few shapes exist;
- one jit-compiled program steps every bucket inside one lax.fori_loop (one compilation per grid).
Its data come from numpy's generator, not ours, so single cells differ draw for draw; the phase table is
printed for a like-for-like sanity check. Timed from after `import jax`, compilation included.

Usage: python3 jax_grid.py supervised|simclr   (prints one JSON object on stdout)
"""

import json
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

D, M, Q, SIGMA0, SIGMA_P, LR, STEPS, N_TEST, CURVE_POINTS = 200, 10, 3, 0.01, 1.0, 1.0, 1000, 1000, 20
SNRS_61 = [0.1 * 10 ** (i / 9) for i in range(10)]
NS_61 = [4, 8, 16, 32, 64, 128, 256]
SEEDS = [0, 1]
BRANCH = jnp.concatenate([jnp.ones(M), -jnp.ones(M)]) / M


def padded(n):
    """The bucket of a training-set size: n <= 32 share one shape, larger n keep their own."""
    return max(32, n)


class Clock:
    """Wall seconds per phase; a lap charges the time since the previous one."""

    def __init__(self):
        self.phases = {"data": 0.0, "compile": 0.0, "pretraining": 0.0, "training": 0.0, "evaluation": 0.0}
        self.last = time.perf_counter()

    def lap(self, phase):
        now = time.perf_counter()
        self.phases[phase] += now - self.last
        self.last = now


def noise(rng, n):
    """n noise patches N(0, sigma_p^2) orthogonal to mu = ||mu|| e_1."""
    xi = SIGMA_P * rng.standard_normal((n, D), dtype=np.float32)
    xi[:, 0] = 0
    return xi


def labeled(seed, purpose, n):
    rng = np.random.default_rng([seed, 0 if purpose == "train" else 1])
    y = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), n)
    return y, noise(rng, n)


def init_filters(seed):
    return SIGMA0 * np.random.default_rng([seed, 2]).standard_normal((2 * M, D), dtype=np.float32)


def output(z, u, y):
    """f on a set: z (2m, n) noise pre-activations, u (2m,) signal coordinate, y (n,) labels."""
    return BRANCH @ (jax.nn.relu(z) ** Q + jax.nn.relu(u[:, None] * y[None, :]) ** Q)


def gd_step(z, u, gamma, gram, y, n_real, mu):
    """paper-spec's GD step in closed form for one cell: W -= lr dL/dW with L = mean softplus(-y f)."""
    rz = jax.nn.relu(z)
    g = -y * jax.nn.sigmoid(-y * output(z, u, y)) / n_real  # dL/df; 0 on padding rows (y = 0)
    c = (LR * Q) * BRANCH[:, None] * g[None, :] * rz ** (Q - 1)
    ru = jax.nn.relu(u[:, None] * y[None, :]) ** (Q - 1)
    u = u - (LR * Q) * BRANCH * mu**2 * (ru @ (g * y))
    return z - c @ gram, u, gamma - c


def train_loss(z, u, y, n_real):
    return jnp.sum(jnp.where(y != 0, jax.nn.softplus(-y * output(z, u, y)), 0.0)) / n_real


def test_error(zt0, u, gamma, cross, y_test):
    return jnp.mean(y_test * output(zt0 + gamma @ cross, u, y_test) <= 0)


# One training set with its cells: vmapped over the cells (w0, mu) with the set shared, then over sets.
def _cells(fn, shared):
    return jax.vmap(jax.vmap(fn, in_axes=tuple(None if s else 0 for s in shared)))


step_cells = _cells(gd_step, (False, False, False, True, True, True, False))
loss_cells = _cells(train_loss, (False, False, True, True))
error_cells = _cells(test_error, (False, False, False, True, True))


@jax.jit
def train_buckets(buckets):
    """Every bucket (w0, mu, xi, y, n_real, xi_test, y_test; leading axes set, cell) trained together."""
    state, consts = [], []
    for w0, mu, xi, y, n_real, xi_t, y_t in buckets:
        gram = jnp.einsum("bnd,bmd->bnm", xi, xi)
        cross = jnp.einsum("bnd,bmd->bnm", xi, xi_t)
        z = jnp.einsum("bskd,bnd->bskn", w0, xi)
        zt0 = jnp.einsum("bskd,bnd->bskn", w0, xi_t)
        u = mu[:, :, None] * w0[..., 0]
        state.append((z, u, jnp.zeros_like(z)))
        consts.append((gram, y, n_real, mu, zt0, cross, y_t))

    def steps(_, state):
        return [step_cells(z, u, gm, gram, y, nr, mu) for (z, u, gm), (gram, y, nr, mu, *_r) in zip(state, consts)]

    def evaluate(state):
        return [
            (loss_cells(z, u, y, nr), error_cells(zt0, u, gm, cross, yt))
            for (z, u, gm), (_g, y, nr, _mu, zt0, cross, yt) in zip(state, consts)
        ]

    def chunk(state, _):
        state = jax.lax.fori_loop(0, STEPS // CURVE_POINTS, steps, state)
        return state, evaluate(state)

    # The last curve point is taken after the last step: it is the final (loss, error).
    return jax.lax.scan(chunk, state, None, length=CURVE_POINTS)[1]


def run_buckets(clock, buckets):
    """Compiles (timed as such) and runs the one program; returns per bucket the final (loss, error)
    with axes (set, cell) and the curve with axes (point, set, cell), as numpy arrays."""
    args = [tuple(jnp.asarray(a) for a in b) for b in buckets]
    clock.lap("data")
    compiled = train_buckets.lower(args).compile()
    clock.lap("compile")
    curve = [tuple(np.asarray(a) for a in c) for c in compiled(args)]
    clock.lap("training")
    return [(loss[-1], err[-1]) for loss, err in curve], curve


def bucket(sets, w0, mus, n_pad):
    """Stacks training sets (y, xi, y_test, xi_test) zero-padded to n_pad rows, with w0 (set, cell, 2m, d)
    and mus (cells,) into the program's arguments."""
    y = np.zeros((len(sets), n_pad), np.float32)
    xi = np.zeros((len(sets), n_pad, D), np.float32)
    for i, (yi, xii, _yt, _xt) in enumerate(sets):
        y[i, : len(yi)], xi[i, : len(yi)] = yi, xii
    n_real = np.array([len(s[0]) for s in sets], np.float32)
    mu = np.broadcast_to(np.asarray(mus, np.float32), (len(sets), len(mus))).copy()
    y_t = np.stack([s[2] for s in sets])
    xi_t = np.stack([s[3] for s in sets])
    return (np.asarray(w0, np.float32), mu, xi, y, n_real, xi_t, y_t)


def supervised_set(seed, n):
    return (*labeled(seed, "train", n), *labeled(seed, "test", N_TEST))


def supervised_grid():
    clock = Clock()
    mus = [snr * SIGMA_P * np.sqrt(D) for snr in SNRS_61]
    pads = sorted({padded(n) for n in NS_61})
    members = {p: [(n, s) for n in NS_61 for s in SEEDS if padded(n) == p] for p in pads}
    buckets = [
        bucket(
            [supervised_set(s, n) for n, s in members[p]],
            [[init_filters(s)] * len(mus) for _n, s in members[p]],
            mus,
            p,
        )
        for p in pads
    ]
    final, curve = run_buckets(clock, buckets)
    cells = []
    for p, (loss, err), (curve_loss, curve_err) in zip(pads, final, curve):
        for i, (n, s) in enumerate(members[p]):
            for j, snr in enumerate(SNRS_61):
                cells.append(
                    {
                        "n": n,
                        "snr": round(snr, 4),
                        "seed": s,
                        "test_error": float(err[i, j]),
                        "train_loss": float(loss[i, j]),
                        "curve_points": len(curve_err),
                    }
                )
    table = [
        {
            "n": n,
            "snr": round(snr, 4),
            "mean_test_error": float(np.mean([c["test_error"] for c in cells if c["n"] == n and c["snr"] == round(snr, 4)])),
        }
        for n in NS_61
        for snr in SNRS_61
    ]
    clock.lap("evaluation")
    return clock, len(cells), table, cells


# SimCLR pre-training (paper-spec 2.2, 6.3): linear encoder h = W z with z = y mu + xi, identity head,
# inner-product similarity (tau = 1), one-sided full-batch InfoNCE, GD at 0.05 for 100 steps, every
# row renormalised to 1e-3 after each step.
N0S, SNRS_63, LABELS, PRE_STEPS, PRE_LR, ROW_NORM = [25, 100, 400, 1600], [0.05, 0.1, 0.2, 0.4], [4, 16], 100, 0.05, 1e-3


def info_nce(w, z, z_view):
    s = (z @ w.T) @ (z_view @ w.T).T
    return -jnp.mean(jnp.diag(s) - jax.nn.logsumexp(s, axis=1))


def pretrain(w, z, z_view):
    def step(_, w):
        w = w - PRE_LR * jax.grad(info_nce)(w, z, z_view)
        return ROW_NORM * w / jnp.linalg.norm(w, axis=1, keepdims=True)

    w = jax.lax.fori_loop(0, PRE_STEPS, step, w)
    return w, jnp.mean(jnp.abs(w[:, 0]) / jnp.linalg.norm(w, axis=1))


pretrain_cells = jax.jit(jax.vmap(jax.vmap(pretrain)))


def simclr_grid():
    clock = Clock()
    mus = [snr * SIGMA_P * np.sqrt(D) for snr in SNRS_63]
    pretrained = {}
    for n0 in N0S:
        z, zv, w0 = [], [], []
        for s in SEEDS:
            rng = np.random.default_rng([s, 3])
            y = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), n0)
            xi, xiv = noise(rng, n0), noise(rng, n0)
            z.append([xi + np.outer(y * mu, np.eye(D, dtype=np.float32)[0]) for mu in mus])
            zv.append([xiv + np.outer(y * mu, np.eye(D, dtype=np.float32)[0]) for mu in mus])
            w = rng.standard_normal((2 * M, D), dtype=np.float32)
            w0.append([ROW_NORM * w / np.linalg.norm(w, axis=1, keepdims=True)] * len(mus))
        args = [jnp.asarray(np.array(a, dtype=np.float32)) for a in (w0, z, zv)]
        clock.lap("data")
        compiled = pretrain_cells.lower(*args).compile()
        clock.lap("compile")
        w, alignment = compiled(*args)
        w.block_until_ready()
        clock.lap("pretraining")
        pretrained[n0] = (np.asarray(w), np.asarray(alignment))
    table = {(n0, snr): {"n_unlabeled": n0, "snr": snr, "alignment": float(pretrained[n0][1][:, j].mean())} for n0 in N0S for j, snr in enumerate(SNRS_63)}
    # Fine-tuning init: a random split of the pre-trained rows, each rescaled to sigma0 sqrt(d). The
    # fine-tuning of every encoder (n_labels 4 and 16, padded to 16 rows) and the supervised baseline
    # at n = 16 train in one program.
    sets, w0 = [], []
    for nl in LABELS:
        for si, s in enumerate(SEEDS):
            order = np.random.default_rng([s, 4]).permutation(2 * M)
            rows = [pretrained[n0][0][si, j][order] for n0 in N0S for j in range(len(mus))]
            w0.append([SIGMA0 * np.sqrt(D) * r / np.linalg.norm(r, axis=1, keepdims=True) for r in rows])
            sets.append(supervised_set(s, nl))
    baseline = [supervised_set(s, 16) for s in SEEDS]
    final, _curve = run_buckets(
        clock,
        [
            bucket(sets, w0, mus * len(N0S), max(LABELS)),
            bucket(baseline, [[init_filters(s)] * len(mus) for s in SEEDS], mus, 16),
        ],
    )
    fine_tuned, supervised = final[0][1], final[1][1]
    for li, nl in enumerate(LABELS):
        err = fine_tuned[li * len(SEEDS) : (li + 1) * len(SEEDS)]
        for k, n0 in enumerate(N0S):
            for j, snr in enumerate(SNRS_63):
                table[(n0, snr)][f"error_n{nl}"] = float(err[:, k * len(mus) + j].mean())
    for n0 in N0S:
        for j, snr in enumerate(SNRS_63):
            table[(n0, snr)]["supervised_n16"] = float(supervised[:, j].mean())
    clock.lap("evaluation")
    cells = len(N0S) * len(SNRS_63) * len(LABELS) * len(SEEDS) + len(SNRS_63) * len(SEEDS)
    return clock, cells, list(table.values()), []


def main():
    grid = sys.argv[1] if len(sys.argv) > 1 else "supervised"
    wall0, cpu0 = time.perf_counter(), time.process_time()
    clock, cells, table, results = supervised_grid() if grid == "supervised" else simclr_grid()
    print(
        json.dumps(
            {
                "grid": grid,
                "jax": jax.__version__,
                "cells": cells,
                "seconds": time.perf_counter() - wall0,
                "cpu_seconds": time.process_time() - cpu0,
                "phases": clock.phases,
                "table": table,
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
