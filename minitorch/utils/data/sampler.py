"""Samplers decide which indices the DataLoader reads, and in what order: one index at a
time (Sequential, Random, SubsetRandom, WeightedRandom) or a list of them per batch
(BatchSampler).

Every random choice is drawn from minitorch's random streams (the global one that
`minitorch.manual_seed` restarts, or the `generator=` given), so a seed repeats an epoch.
"""
import itertools

import numpy as np

from ... import errors
from ...creation import Generator, as_tensor, rand, randint, randperm
from ...dtypes import float64


class Sampler:
    """The base of samplers: subclasses give `__iter__` over indices (and usually `__len__`)."""

    def __init__(self, data_source=None):
        """Takes (and ignores) data_source, so subclasses may call super().__init__ as in torch."""

    def __iter__(self):
        raise NotImplementedError


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1, every time."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """A random order of the indices: a permutation (repeated when num_samples exceeds the
    data), or num_samples independent draws with replacement=True.

    Without a generator, each pass seeds a fresh Generator from the global stream, so every
    epoch is a new order and `minitorch.manual_seed` makes the sequence of orders repeatable.
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise errors.sampler_replacement_not_bool(self.replacement, TypeError)
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise errors.sampler_num_samples_not_positive(self.num_samples)

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        n = len(self.data_source)
        generator = self.generator
        if generator is None:
            generator = Generator().manual_seed(draw_seed())
        if self.replacement:
            yield from randint(0, n, (self.num_samples,), generator=generator).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from randperm(n, generator=generator).tolist()
            yield from randperm(n, generator=generator).tolist()[:self.num_samples % n]

    def __len__(self):
        return self.num_samples


def draw_seed(generator=None):
    """A fresh 63-bit seed from `generator` (the global stream when None), as torch draws
    with `torch.empty((), dtype=torch.int64).random_()`."""
    return randint(0, 2**63 - 1, (), generator=generator).item()


class SubsetRandomSampler(Sampler):
    """The given indices in a random order (a fresh permutation each pass, without
    replacement): `indices[i]` for i in randperm(len(indices)), as torch."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        for i in randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """num_samples indices of [0, len(weights)), index i drawn with probability
    weights[i] / sum(weights) (the weights need not sum to 1), as torch.multinomial draws.

    With replacement, each draw is independent: a uniform number looked up in the
    cumulative weights. Without, the order is that of weights[i] / q[i] (q exponential),
    largest first: the "exponential race" that torch uses, which draws index i first with
    probability weights[i] / sum(weights), then the next among those left, and so on; the
    indices of weight 0 come last.
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise errors.sampler_num_samples_not_positive(num_samples)
        if not isinstance(replacement, bool):
            raise errors.sampler_replacement_not_bool(replacement, ValueError)
        weights_tensor = as_tensor(weights, dtype=float64)
        if weights_tensor.ndim != 1:
            raise errors.sampler_weights_not_1d(tuple(weights_tensor.shape))
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        yield from multinomial_indices(self.weights.numpy(), self.num_samples, self.replacement,
                                       self.generator)

    def __len__(self):
        return self.num_samples


def multinomial_indices(weights, num_samples, replacement, generator):
    """num_samples category indices drawn with probabilities proportional to the float64
    array weights, with torch.multinomial's checks (in its order) and errors. The uniform
    numbers come from `rand` on generator (the global stream when None)."""
    categories = len(weights)
    if not replacement and num_samples > categories:
        raise errors.multinomial_too_many_without_replacement()
    if categories > 2**24:
        raise errors.multinomial_too_many_categories()
    if not replacement or num_samples == 1:         # torch's fast path and its checks
        if not (weights.max(initial=-np.inf) < np.inf and weights.min(initial=0) >= 0):
            raise errors.multinomial_invalid_entries()
        if weights.sum() == 0:
            raise errors.multinomial_sum_not_positive()
    else:
        bad = ~(weights >= 0) | ~np.isfinite(weights)
        if bad.any():                                # the first bad entry names the error
            if not weights[bad.argmax()] >= 0:
                raise errors.multinomial_negative_entry()
            raise errors.multinomial_infinite_entry()
        if not weights.sum() > 0:
            raise errors.multinomial_sum_not_positive()
    uniform = rand(num_samples if replacement else categories, generator=generator,
                   dtype=float64).numpy()
    if replacement:
        # index i covers [cumulative[i-1], cumulative[i]): a weight of 0 covers nothing
        cumulative = np.cumsum(weights) / weights.sum()
        chosen = np.searchsorted(cumulative, uniform, side="right")
        return np.minimum(chosen, np.flatnonzero(weights).max()).tolist()
    race = weights / -np.log1p(-uniform)             # weight / Exp(1): larger wins
    return np.argsort(-race, kind="stable")[:num_samples].tolist()


class BatchSampler(Sampler):
    """Groups another sampler's indices into lists of batch_size (the last one shorter, or
    dropped with drop_last=True)."""

    def __init__(self, sampler, batch_size, drop_last):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise errors.sampler_batch_size_not_positive(batch_size)
        if not isinstance(drop_last, bool):
            raise errors.sampler_drop_last_not_bool(drop_last)
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        indices = iter(self.sampler)
        batch = list(itertools.islice(indices, self.batch_size))
        while batch and (len(batch) == self.batch_size or not self.drop_last):
            yield batch
            batch = list(itertools.islice(indices, self.batch_size))

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
