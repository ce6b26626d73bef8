"""The JAX program a researcher would write instead of phasesweep's trainer, for the trainer benchmark.

Same model, grids and step counts as paper-spec 6.1 (supervised) and 6.3 (SimCLR then fine-tuning),
float32, full-batch GD written with jax.grad, jit-compiled once per shape and vmapped over SNRs and
seeds. Like the TypeScript trainer it also records 20 curve points (training loss, test error) per
cell. Its data come from numpy's generator, not ours, so single cells differ draw for draw; the phase
table is printed for a like-for-like sanity check.

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


def patches(y, xi, mu):
    """n x 2 x d: the signal patch y mu and the noise patch."""
    signal = np.zeros_like(xi)
    signal[:, 0] = y * mu
    return np.stack([signal, xi], axis=1)


def output(w, x):
    return jnp.einsum("npk,k->n", jax.nn.relu(jnp.einsum("npd,kd->npk", x, w)) ** Q, BRANCH)


def loss(w, x, y):
    return jnp.mean(jax.nn.softplus(-y * output(w, x)))


def error(w, x, y):
    return jnp.mean(y * output(w, x) <= 0)


def fit(w, x, y, x_test, y_test):
    """STEPS of GD; returns the final filters and the curve (training loss, test error) per point."""

    def chunk(w, _):
        w = jax.lax.fori_loop(0, STEPS // CURVE_POINTS, lambda _, w: w - LR * jax.grad(loss)(w, x, y), w)
        return w, (loss(w, x, y), error(w, x_test, y_test))

    return jax.lax.scan(chunk, w, None, length=CURVE_POINTS)


# Cells of one shape: vmapped over seeds (outer axis) and SNRs (inner axis).
fit_cells = jax.jit(jax.vmap(jax.vmap(fit)))
final_error = jax.jit(jax.vmap(jax.vmap(error)))
final_loss = jax.jit(jax.vmap(jax.vmap(loss)))


def run_compiled(clock, fn, *args):
    compiled = fn.lower(*args).compile()
    clock.lap("compile")
    return compiled(*args)


def fine_tune(clock, w0, y, xi, y_test, xi_test, mus):
    """w0: seeds x cells x 2m x d; the labelled sets per seed; mus: cells (one ||mu|| per cell)."""
    x = np.stack([np.stack([patches(y[s], xi[s], mu) for mu in mus]) for s in range(len(SEEDS))])
    xt = np.stack([np.stack([patches(y_test[s], xi_test[s], mu) for mu in mus]) for s in range(len(SEEDS))])
    ys = np.broadcast_to(y[:, None, :], x.shape[:3])
    yts = np.broadcast_to(y_test[:, None, :], xt.shape[:3])
    args = [jnp.asarray(a) for a in (w0, x, ys, xt, yts)]
    clock.lap("data")
    w, _curve = run_compiled(clock, fit_cells, *args)
    w.block_until_ready()
    clock.lap("training")
    err = run_compiled(clock, final_error, w, args[3], args[4])
    run_compiled(clock, final_loss, w, args[1], args[2]).block_until_ready()
    err = np.asarray(err)
    clock.lap("evaluation")
    return err


def supervised_sets(n):
    train = [labeled(s, "train", n) for s in SEEDS]
    test = [labeled(s, "test", N_TEST) for s in SEEDS]
    unzip = lambda sets: (np.stack([a for a, _ in sets]), np.stack([b for _, b in sets]))
    return (*unzip(train), *unzip(test))


def init_filters(cells):
    w = np.stack([SIGMA0 * np.random.default_rng([s, 2]).standard_normal((2 * M, D), dtype=np.float32) for s in SEEDS])
    return np.broadcast_to(w[:, None], (len(SEEDS), cells, 2 * M, D)).copy()


def supervised_grid():
    clock = Clock()
    table = []
    mus = [snr * SIGMA_P * np.sqrt(D) for snr in SNRS_61]
    for n in NS_61:
        err = fine_tune(clock, init_filters(len(mus)), *supervised_sets(n), mus)
        table += [{"n": n, "snr": round(snr, 4), "mean_test_error": float(err[:, j].mean())} for j, snr in enumerate(SNRS_61)]
    return clock, len(NS_61) * len(SEEDS) * len(SNRS_61), table


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
        w, alignment = run_compiled(clock, pretrain_cells, *args)
        w.block_until_ready()
        clock.lap("pretraining")
        pretrained[n0] = (np.asarray(w), np.asarray(alignment))
    table = {(n0, snr): {"n_unlabeled": n0, "snr": snr, "alignment": float(pretrained[n0][1][:, j].mean())} for n0 in N0S for j, snr in enumerate(SNRS_63)}
    for nl in LABELS:
        # Fine-tuning init: a random split of the pre-trained rows, each rescaled to sigma0 sqrt(d).
        w0 = []
        for si, s in enumerate(SEEDS):
            order = np.random.default_rng([s, 4]).permutation(2 * M)
            rows = [pretrained[n0][0][si, j][order] for n0 in N0S for j in range(len(mus))]
            w0.append([SIGMA0 * np.sqrt(D) * r / np.linalg.norm(r, axis=1, keepdims=True) for r in rows])
        err = fine_tune(clock, np.array(w0, dtype=np.float32), *supervised_sets(nl), mus * len(N0S))
        for k, n0 in enumerate(N0S):
            for j, snr in enumerate(SNRS_63):
                table[(n0, snr)][f"error_n{nl}"] = float(err[:, k * len(mus) + j].mean())
    err = fine_tune(clock, init_filters(len(mus)), *supervised_sets(16), mus)
    for n0 in N0S:
        for j, snr in enumerate(SNRS_63):
            table[(n0, snr)]["supervised_n16"] = float(err[:, j].mean())
    cells = len(N0S) * len(SNRS_63) * len(LABELS) * len(SEEDS) + len(SNRS_63) * len(SEEDS)
    return clock, cells, list(table.values())


def main():
    grid = sys.argv[1] if len(sys.argv) > 1 else "supervised"
    wall0, cpu0 = time.perf_counter(), time.process_time()
    clock, cells, table = supervised_grid() if grid == "supervised" else simclr_grid()
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
            }
        )
    )


if __name__ == "__main__":
    main()
