#!/usr/bin/env python3
"""The supervised two-layer CNN of paper-spec 1.1, 2.1 and 3.1, in numpy, as a phasesweep trainer.

Data: two patches per example, the signal y*mu and Gaussian noise orthogonal to mu, with
SNR = ||mu|| / (sigma_p sqrt(d)). Network: f = F_{+1} - F_{-1}, F_j = (1/m) sum_r sum_p relu(<w_jr, x_p>)^q,
second layer fixed. Training: full-batch gradient descent on the logistic loss.

The protocol (README, "Your own trainer"): one JSON line on stdin, events appended to the file
$PHASESWEEP_EVENTS, exit 0 after one result. With PHASESWEEP_PERSISTENT=1 it serves one cell per line.
"""
import json
import os
import sys

import numpy as np

DEFAULTS = dict(n_labels=16, snr=0.2, d=200, m=10, q=3.0, sigma0=0.01, sigma_p=1.0, lr=1.0, steps=1000, n_test=1000)
EX_DATAERR = 65  # bad params: retrying cannot help


def emit(event, cell_key):
    with open(os.environ["PHASESWEEP_EVENTS"], "a") as events:
        events.write(json.dumps({**event, "cell_key": cell_key}) + "\n")


def sample(rng, n, d, snr, sigma_p):
    """Patches (n, 2, d) and labels: mu = ||mu|| e_1, noise with its first coordinate 0 (paper-spec 1.1)."""
    y = rng.choice([-1.0, 1.0], size=n)
    patches = np.zeros((n, 2, d))
    patches[:, 0, 0] = y * snr * sigma_p * np.sqrt(d)
    patches[:, 1, 1:] = rng.normal(0.0, sigma_p, size=(n, d - 1))
    return patches, y


def forward(W, patches, q):
    """f(W, x) for every example, and the pre-activations <w_jr, x_p> (n, 2, m, 2)."""
    z = np.einsum("jrd,npd->njrp", W, patches)
    F = (np.maximum(z, 0.0) ** q).sum(axis=(2, 3)) / W.shape[1]
    return F[:, 0] - F[:, 1], z


def logistic(margins):
    return float(np.mean(np.logaddexp(0.0, -margins)))


def train(p, seed, out_dir, resume_from, cell_key):
    n, d, m, q = int(p["n_labels"]), int(p["d"]), int(p["m"]), float(p["q"])
    data_rng = np.random.default_rng([seed, 0])
    patches, y = sample(data_rng, n, d, p["snr"], p["sigma_p"])
    test_patches, test_y = sample(np.random.default_rng([seed, 1]), int(p["n_test"]), d, p["snr"], p["sigma_p"])
    W = data_rng.normal(0.0, p["sigma0"], size=(2, m, d))  # rows: j = +1, then j = -1
    start = 0
    if resume_from:
        saved = np.load(resume_from)
        W, start = saved["W"], int(saved["step"])
    sign = np.array([1.0, -1.0])[None, :, None, None]
    steps, every = int(p["steps"]), max(1, int(p["steps"]) // 10)
    for t in range(start, steps):
        f, z = forward(W, patches, q)
        dloss = -0.5 * (1.0 - np.tanh(0.5 * y * f))  # l'(y f) = -1 / (1 + e^{y f}), without overflow
        weight = (dloss * y)[:, None, None, None] * sign * q * np.maximum(z, 0.0) ** (q - 1)
        W = W - p["lr"] * np.einsum("njrp,npd->jrd", weight, patches) / (n * m)
        if (t + 1) % every == 0 or t + 1 == steps:
            test_f, _ = forward(W, test_patches, q)
            metrics = {"train_loss": logistic(y * forward(W, patches, q)[0]), "test_error": float(np.mean(test_y * test_f <= 0))}
            emit({"type": "progress", "step": t + 1, "metrics": metrics}, cell_key)
        if (t + 1) % (4 * every) == 0 and t + 1 < steps:
            path = os.path.join(out_dir, "checkpoint.npz")
            np.savez(path + ".tmp.npz", W=W, step=t + 1)
            os.replace(path + ".tmp.npz", path)
            emit({"type": "checkpoint", "path": path}, cell_key)
    test_f, _ = forward(W, test_patches, q)
    return {
        "test_error": float(np.mean(test_y * test_f <= 0)),
        "test_loss": logistic(test_y * test_f),
        "train_loss": logistic(y * forward(W, patches, q)[0]),
    }


def serve(line):
    cell = json.loads(line)
    params = {**DEFAULTS, **cell["params"]}
    unknown = sorted(set(params) - set(DEFAULTS))
    if unknown:
        print(f"unknown params: {', '.join(unknown)} (this trainer takes {', '.join(DEFAULTS)})", file=sys.stderr)
        sys.exit(EX_DATAERR)
    os.makedirs(cell["out_dir"], exist_ok=True)
    metrics = train(params, cell["seed"], cell["out_dir"], cell["resume_from"], cell["cell_key"])
    emit({"type": "result", "metrics": metrics}, cell["cell_key"])


if __name__ == "__main__":
    if os.environ.get("PHASESWEEP_PERSISTENT") == "1":
        for line in sys.stdin:
            serve(line)
    else:
        serve(sys.stdin.readline())
