"""Reading one batch from a map-style dataset: the same code in the main process and in
DataLoader workers."""


def fetch(dataset, index, auto_collation, collate_fn):
    """collate_fn of the samples at `index`: a list of indices when the DataLoader batches
    (auto_collation; read through the dataset's `__getitems__` when it has one), or a single
    index when batch_size=None."""
    if not auto_collation:
        return collate_fn(dataset[index])
    if getattr(dataset, "__getitems__", None):
        return collate_fn(dataset.__getitems__(index))
    return collate_fn([dataset[i] for i in index])
