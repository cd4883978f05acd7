"""The handle every `register_*_hook` returns (a tensor's, a module's): `.remove()`, or
leaving a `with` block, takes the hook out of the dict it was put in. Hooks are kept as
torch keeps them, in OrderedDicts keyed by the handle's id."""
import weakref


class RemovableHandle:
    """A handle to a hook in `hooks_dict` (under `id`); remove() deletes it there and from
    `extra_dict` (a dict or a list of dicts of per-hook flags)."""

    next_id = 0

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        if extra_dict is None:
            extra_dict = []
        elif not isinstance(extra_dict, list):
            extra_dict = [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extra_dict)

    def remove(self):
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None and self.id in hooks:
                del hooks[self.id]

    def __enter__(self):
        return self

    def __exit__(self, type, value, tb):
        self.remove()
