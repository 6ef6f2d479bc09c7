"""Sequential Monte Carlo ABC (population Monte Carlo; Beaumont et al. 2009, Toni et al.
2009) with an adaptive tolerance: each generation proposes `design.samples` particles
from the previous population (weighted resampling and a Gaussian kernel with twice the
population's weighted covariance), runs them as one sweep, and keeps the `accept` share
closest to the observations. Weights: w_i = prior(theta_i) / sum_j w_j K(theta_i |
theta_j). Proposals outside a uniform prior's range are drawn again."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import multivariate_normal, norm

from polarsim.errors import PolarsimInputError
from polarsim.experiment.spec import Experiment

#: Proposals drawn again at most this many times when they leave the prior's support.
MAX_REDRAWS = 1000

#: Kernel variance floor, relative to the largest population variance: a parameter the
#: population has collapsed on can still move, and the covariance stays invertible.
VARIANCE_FLOOR = 1e-6
#: ... and an absolute floor for a population on a single point.
ABSOLUTE_FLOOR = 1e-12


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float | np.ndarray) -> np.ndarray:
    """Quantiles of a weighted sample (CDF at the midpoints of each weight, linear
    between them); equal weights of two points 1 and 2 give the median 1.5."""
    order = np.argsort(x, kind="stable")
    x, w = np.asarray(x, float)[order], np.asarray(w, float)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cdf, x)


def prior_density(exp: Experiment, theta: np.ndarray) -> np.ndarray:
    """Prior density (up to a constant) of each row of theta (one column per parameter,
    in the experiment's order): uniform on a range, normal for a distribution."""
    dens = np.ones(len(theta))
    for k, p in enumerate(exp.parameters.values()):
        x = theta[:, k]
        if p.range is not None:
            dens *= (x >= p.range[0]) & (x <= p.range[1])
        else:
            n = p.distribution.normal
            dens *= norm.pdf(x, loc=n.mean, scale=n.sd)
    return dens


def kernel_cov(theta: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Twice the weighted covariance of the population (Beaumont et al. 2009), with a
    small floor so a collapsed parameter can still move."""
    cov = np.atleast_2d(np.cov(theta, rowvar=False, aweights=weights))
    floor = ABSOLUTE_FLOOR + VARIANCE_FLOOR * np.abs(np.diag(cov)).max()
    return 2.0 * cov + floor * np.eye(cov.shape[0])


def propose(
    exp: Experiment, theta: np.ndarray, weights: np.ndarray, n: int, rng: np.random.Generator
) -> np.ndarray:
    """n particles from the weighted population, perturbed, inside the prior support."""
    cov = kernel_cov(theta, weights)
    chol = np.linalg.cholesky(cov)
    out = np.empty((n, theta.shape[1]))
    todo = np.arange(n)
    p = weights / weights.sum()
    for _ in range(MAX_REDRAWS):
        idx = rng.choice(len(theta), size=len(todo), p=p)
        draw = theta[idx] + rng.standard_normal((len(todo), theta.shape[1])) @ chol.T
        ok = prior_density(exp, draw) > 0
        out[todo[ok]] = draw[ok]
        todo = todo[~ok]
        if not len(todo):
            break
    else:
        raise PolarsimInputError(
            "SMC proposals keep leaving the prior ranges; widen them", field="parameters"
        )
    for k, par in enumerate(exp.parameters.values()):
        if par.integer:
            out[:, k] = np.round(out[:, k])
    return out


def new_weights(
    exp: Experiment, theta: np.ndarray, prev: np.ndarray, prev_w: np.ndarray
) -> np.ndarray:
    """Importance weights of accepted particles theta given the previous population."""
    cov = kernel_cov(prev, prev_w)
    k = multivariate_normal(mean=np.zeros(theta.shape[1]), cov=cov, allow_singular=True)
    diffs = theta[:, None, :] - prev[None, :, :]
    mix = (k.pdf(diffs.reshape(-1, theta.shape[1])).reshape(len(theta), len(prev)) * prev_w).sum(
        axis=1
    )
    w = prior_density(exp, theta) / np.maximum(mix, 1e-300)
    return w / w.sum()


def design_frame(exp: Experiment, theta: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(theta, columns=list(exp.parameters))
