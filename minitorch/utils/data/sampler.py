"""Samplers decide which indices the DataLoader reads, and in what order: one index at a
time (Sequential, Random) or a list of them per batch (BatchSampler)."""
import itertools

from ...creation import Generator, randint, randperm


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
            raise TypeError(f"replacement should be a boolean value, but got "
                            f"replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

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


class BatchSampler(Sampler):
    """Groups another sampler's indices into lists of batch_size (the last one shorter, or
    dropped with drop_last=True)."""

    def __init__(self, sampler, batch_size, drop_last):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
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
