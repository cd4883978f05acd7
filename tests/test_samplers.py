"""SubsetRandomSampler and WeightedRandomSampler against torch.utils.data's.

Their draws come from minitorch's random streams, not torch's, so the random part is
checked for what it must be: the same for the same seed (minitorch.manual_seed or a
Generator), covering exactly what it should, and following the distribution (Pearson's
chi-square with a fixed seed, tests/distribution.py). Everything else (attributes,
lengths, what is yielded, errors at construction and at iteration) is compared with torch.
"""
import numpy as np
import pytest
import torch
import torch.utils.data as torch_data
from hypothesis import given, settings, strategies as st

import minitorch
import minitorch.utils.data as data
from distribution import assert_follows, chi_square, chi_square_critical, follows
from parity import assert_close, same_error

DATA = {minitorch: data, torch: torch_data}


def draws(sampler, passes):
    """The indices of `passes` iterations over sampler, one row per pass."""
    return np.array([list(sampler) for _ in range(passes)])


# ---- the distribution check itself ----------------------------------------------------------

def test_chi_square_accepts_a_fair_draw_and_rejects_a_biased_one():
    rng = np.random.default_rng(0)
    fair = np.bincount(rng.integers(0, 6, 6000), minlength=6)
    assert follows(fair, np.ones(6))
    biased = np.bincount(rng.choice(6, 6000, p=[0.2, 0.16, 0.16, 0.16, 0.16, 0.16]), minlength=6)
    assert not follows(biased, np.ones(6))
    assert chi_square([10, 0], [1, 0]) == (0.0, 0)
    with pytest.raises(AssertionError, match="probability is 0"):
        chi_square([5, 1], [1, 0])
    # the critical value grows with the degrees of freedom and falls with the significance
    assert chi_square_critical(10) > chi_square_critical(5) > chi_square_critical(5, 0.05)


# ---- SubsetRandomSampler ------------------------------------------------------------------

@given(indices=st.lists(st.integers(-50, 50), max_size=12), seed=st.integers(0, 2**32))
@settings(max_examples=15)
def test_subset_random_sampler_is_a_permutation_of_the_indices(indices, seed):
    sampler = data.SubsetRandomSampler(indices, generator=minitorch.Generator().manual_seed(seed))
    assert len(sampler) == len(torch_data.SubsetRandomSampler(indices)) == len(indices)
    for _ in range(2):
        order = list(sampler)
        assert sorted(order) == sorted(indices)


def test_subset_random_sampler_keeps_what_it_is_given():
    for lib in (minitorch, torch):
        sampler = DATA[lib].SubsetRandomSampler(range(3, 9))
        assert sampler.indices == range(3, 9) and sampler.generator is None
    ours = list(data.SubsetRandomSampler(minitorch.tensor([5, 6, 7])))
    theirs = list(torch_data.SubsetRandomSampler(torch.tensor([5, 6, 7])))
    assert [type(x) for x in ours] == [minitorch.Tensor] * 3 and len(theirs) == 3
    assert_close(minitorch.stack(sorted(ours, key=int)), torch.stack(sorted(theirs, key=int)))
    assert list(data.SubsetRandomSampler([])) == list(torch_data.SubsetRandomSampler([])) == []


def test_subset_random_sampler_repeats_with_the_seed():
    sampler = data.SubsetRandomSampler(list(range(10, 30)))
    minitorch.manual_seed(3)
    first = draws(sampler, 3)
    minitorch.manual_seed(3)
    assert np.array_equal(draws(sampler, 3), first)
    assert not np.array_equal(first[0], first[1])            # a new order each pass
    with_generator = [draws(data.SubsetRandomSampler(list(range(20)),
                                                     minitorch.Generator().manual_seed(7)), 2)
                      for _ in range(2)]
    assert np.array_equal(*with_generator)


def test_subset_random_sampler_is_uniform():
    """Every index lands in the first place equally often, and so in every place."""
    minitorch.manual_seed(0)
    orders = draws(data.SubsetRandomSampler([0, 1, 2, 3, 4]), 3000)
    for position in (0, 2, 4):
        assert_follows(np.bincount(orders[:, position], minlength=5), np.ones(5))


def test_subset_random_sampler_in_a_dataloader():
    dataset = data.TensorDataset(minitorch.arange(100) * 10)
    loader = data.DataLoader(dataset, batch_size=4, sampler=data.SubsetRandomSampler(range(20, 30)))
    batches = [batch.tolist() for (batch,) in loader]
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(sum(batches, [])) == list(range(200, 300, 10))


# ---- WeightedRandomSampler ----------------------------------------------------------------

@pytest.mark.parametrize("weights", [[0.1, 0.9, 0.4], (1, 2), minitorch.tensor([1.0, 3.0])])
def test_weighted_random_sampler_attributes(weights):
    theirs = torch_data.WeightedRandomSampler(
        torch.tensor(weights.tolist()) if isinstance(weights, minitorch.Tensor) else weights, 5)
    ours = data.WeightedRandomSampler(weights, 5)
    assert_close(ours.weights, theirs.weights)
    assert (ours.num_samples, ours.replacement, ours.generator) == (5, True, None)
    assert len(ours) == len(theirs) == 5
    assert len(list(ours)) == 5 and all(type(i) is int for i in ours)


@pytest.mark.parametrize("replacement", [True, False])
def test_weighted_random_sampler_repeats_with_the_seed(replacement):
    sampler = data.WeightedRandomSampler([1.0, 2.0, 3.0, 4.0, 0.5], 4, replacement)
    minitorch.manual_seed(11)
    first = draws(sampler, 4)
    minitorch.manual_seed(11)
    assert np.array_equal(draws(sampler, 4), first)
    assert len({tuple(row) for row in first}) > 1              # new draws each pass
    generated = [draws(data.WeightedRandomSampler([1.0, 2.0, 3.0], 6, True,
                                                  minitorch.Generator().manual_seed(5)), 2)
                 for _ in range(2)]
    assert np.array_equal(*generated)


def test_weighted_random_sampler_with_replacement_follows_the_weights():
    weights = [0.5, 0.0, 2.0, 1.0, 3.5, 1.0]
    minitorch.manual_seed(1)
    drawn = np.array(list(data.WeightedRandomSampler(weights, 20000)))
    assert_follows(np.bincount(drawn, minlength=len(weights)), weights)   # never index 1
    minitorch.manual_seed(2)
    one_at_a_time = [next(iter(data.WeightedRandomSampler(weights, 1))) for _ in range(3000)]
    assert_follows(np.bincount(one_at_a_time, minlength=len(weights)), weights)


def test_weighted_random_sampler_without_replacement():
    """Each pass draws distinct indices; the first follows the weights, the second the
    weights of those left (averaged over the first), and weight-0 indices come last."""
    weights = np.array([1.0, 2.0, 3.0, 4.0, 0.0])
    minitorch.manual_seed(4)
    rows = draws(data.WeightedRandomSampler(weights, 5, replacement=False), 4000)
    assert all(len(set(row)) == 5 for row in rows)
    assert (rows[:, 4] == 4).all()
    assert_follows(np.bincount(rows[:, 0], minlength=5), weights)
    # P(second = j) = sum over first f != j of P(f) * w_j / (W - w_f)
    second = np.array([sum(weights[f] / weights.sum() * weights[j] / (weights.sum() - weights[f])
                           for f in range(4) if f != j) for j in range(5)])
    assert_follows(np.bincount(rows[:, 1], minlength=5), second)


def test_weighted_random_sampler_in_a_dataloader():
    minitorch.manual_seed(0)
    dataset = data.TensorDataset(minitorch.arange(3))
    loader = data.DataLoader(dataset, batch_size=50,
                             sampler=data.WeightedRandomSampler([0.0, 1.0, 3.0], 4000))
    labels = minitorch.cat([batch for (batch,) in loader]).numpy()
    assert len(labels) == 4000
    assert_follows(np.bincount(labels, minlength=3), [0.0, 1.0, 3.0])


@pytest.mark.parametrize("args", [
    ([1.0, 2.0], 0), ([1.0, 2.0], -3), ([1.0, 2.0], 2.0), ([1.0, 2.0], True), ([1.0, 2.0], "2"),
    ([1.0, 2.0], 2, 1), ([1.0, 2.0], 2, None), ([[1.0, 2.0]], 2), (5.0, 2), ([[]], 1)])
def test_weighted_random_sampler_construction_errors(args):
    same_error(lambda lib: DATA[lib].WeightedRandomSampler(*args))


INF, NAN = float("inf"), float("nan")


@pytest.mark.parametrize("weights, num_samples, replacement", [
    ([1.0, -1.0, 2.0], 2, True), ([0.0, 0.0], 2, True), ([NAN, 1.0], 2, True),
    ([INF, 1.0], 2, True), ([INF, -1.0], 2, True), ([-1.0, INF], 2, True), ([], 2, True),
    ([1.0, 1.0], 3, False), ([], 1, False), ([-1.0, 1.0], 3, False), ([INF, 1.0], 1, False),
    ([-1.0, 2.0], 1, False), ([0.0, 0.0], 1, False), ([-1.0, INF], 1, True), ([NAN], 1, True)])
def test_weighted_random_sampler_errors_when_drawing(weights, num_samples, replacement):
    """torch.multinomial's checks, in its order: the one-draw and no-replacement path checks
    all entries at once, the other names the first bad entry."""
    same_error(lambda lib: list(DATA[lib].WeightedRandomSampler(weights, num_samples, replacement)))


def test_weighted_random_sampler_too_many_categories():
    same_error(lambda lib: list(DATA[lib].WeightedRandomSampler(lib.ones(2**24 + 1), 1)))


def test_random_sampler_and_batch_sampler_errors_unchanged():
    """Their texts moved to minitorch/errors.py; the messages are still torch's."""
    same_error(lambda lib: DATA[lib].RandomSampler(range(3), replacement=1))
    same_error(lambda lib: DATA[lib].RandomSampler(range(3), num_samples=0))
    same_error(lambda lib: DATA[lib].BatchSampler(range(3), 0, False))
    same_error(lambda lib: DATA[lib].BatchSampler(range(3), 2, 1))
