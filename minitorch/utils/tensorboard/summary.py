"""Summary protos: turn values (minitorch Tensors, numpy arrays, numbers) into the
`Summary` messages TensorBoard reads, one function per kind of data.

Each builder returns a `tensorboard.compat.proto.summary_pb2.Summary` holding one value:
a scalar (`simple_value`), a histogram (`HistogramProto`), a PNG image, or a tensor tagged
with the plugin that draws it (text, pr_curves). The writer only wraps them in events.
The encodings follow torch.utils.tensorboard, so TensorBoard shows the same thing for the
same calls.
"""
import io

import numpy as np
from PIL import Image
from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary, SummaryMetadata
from tensorboard.compat.proto.tensor_pb2 import TensorProto
from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto
from tensorboard.plugins.pr_curve.plugin_data_pb2 import PrCurvePluginData
from tensorboard.plugins.text.plugin_data_pb2 import TextPluginData

from ...tensor import Tensor

# PR curves: TensorBoard's proto breaks past 127 thresholds; counts are floored at this.
MAX_PR_THRESHOLDS = 127
_MINIMUM_COUNT = 1e-7


def make_np(x):
    """A numpy array of x: a Tensor's values (detached), an array as is, a number as [x]."""
    if isinstance(x, np.ndarray):
        return x
    if np.isscalar(x):
        return np.array([x])
    if isinstance(x, Tensor):
        return x.detach().numpy()
    raise NotImplementedError(f"Got {type(x)}, but numpy array or minitorch tensor are expected.")


def _plugin_metadata(plugin_name, content=b""):
    return SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name=plugin_name,
                                                                  content=content))


# ---- scalars -------------------------------------------------------------------------------

def scalar(tag, value, new_style=False, double_precision=False):
    """One number. Old style is `simple_value` (float32); new style is a 1-element tensor
    for the scalars plugin (float64 when double_precision)."""
    value = make_np(value).squeeze()
    if value.ndim != 0:
        raise AssertionError("Tensor should contain one element (0 dimensions). "
                             f"Was given size: {value.size} and {value.ndim} dimensions.")
    number = float(value)
    if not new_style:
        return Summary(value=[Summary.Value(tag=tag, simple_value=number)])
    if double_precision:
        tensor = TensorProto(double_val=[number], dtype="DT_DOUBLE")
    else:
        tensor = TensorProto(float_val=[number], dtype="DT_FLOAT")
    return Summary(value=[Summary.Value(tag=tag, tensor=tensor,
                                        metadata=_plugin_metadata("scalars"))])


# ---- histograms ----------------------------------------------------------------------------

def default_bins():
    """TensorFlow's bucket edges: ±1e-12 growing by 10% up to ±1e20, and 0."""
    edges = []
    v = 1e-12
    while v < 1e20:
        edges.append(v)
        v *= 1.1
    return [-v for v in reversed(edges)] + [0] + edges


def histogram(tag, values, bins, max_bins=None):
    """A histogram of all the values, with np.histogram's `bins` (edges, a count or a rule).

    TensorBoard stores only each bucket's right edge, so empty buckets at both ends are
    dropped and one empty bucket is kept left of the first full one to carry its left edge.
    `max_bins` merges neighbouring buckets until at most that many remain."""
    values = make_np(values).astype(float).reshape(-1)
    if values.size == 0:
        raise ValueError("The input has no element.")
    counts, limits = np.histogram(values, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        group = len(counts) // max_bins
        if len(counts) % group:
            counts = np.pad(counts, [0, group - len(counts) % group])
        counts = counts.reshape(-1, group).sum(axis=-1)
        limits = np.append(limits[:-1:group], limits[-1])
    full = np.flatnonzero(counts)
    if full.size == 0:
        raise ValueError("The histogram is empty, please file a bug report.")
    first, last = full[0], full[-1] + 1
    if first > 0:
        counts = counts[first - 1:last]
    else:
        counts = np.concatenate([[0], counts[:last]])
    limits = limits[first:last + 1]
    return Summary(value=[Summary.Value(tag=tag, histo=HistogramProto(
        min=values.min(), max=values.max(), num=len(values), sum=values.sum(),
        sum_squares=values.dot(values), bucket_limit=limits.tolist(), bucket=counts.tolist()))])


# ---- images --------------------------------------------------------------------------------

def make_grid(images, ncols=8):
    """Tile N images (N×C×H×W, C = 1 or 3) into one 3×H'×W' canvas, `ncols` per row, as
    torch's writer does (no padding; grey images become RGB)."""
    if images.shape[1] == 1:
        images = np.concatenate([images] * 3, 1)
    if images.ndim != 4 or images.shape[1] != 3:
        raise AssertionError("Input should be a 4D numpy array with 3 channels")
    n, _, h, w = images.shape
    ncols = min(n, ncols)
    nrows = -(-n // ncols)
    canvas = np.zeros((3, h * nrows, w * ncols), dtype=images.dtype)
    for i, img in enumerate(images):
        row, col = divmod(i, ncols)
        canvas[:, row * h:(row + 1) * h, col * w:(col + 1) * w] = img
    return canvas


def to_hwc(array, dataformats):
    """Reorder an image array given in `dataformats` (letters N, C, H, W in any order) to
    height × width × channels; a batch (N) is tiled into one grid image first."""
    if len(set(dataformats)) != len(dataformats):
        raise AssertionError("You can not use the same dimension shorthand twice. "
                             f"input_format: {dataformats}")
    if array.ndim != len(dataformats):
        raise AssertionError("size of input tensor and input format are different. "
                             f"tensor shape: {array.shape}, input_format: {dataformats}")
    dataformats = dataformats.upper()
    if len(dataformats) == 4:
        return make_grid(array.transpose([dataformats.find(c) for c in "NCHW"])).transpose(1, 2, 0)
    if len(dataformats) == 3:
        hwc = array.transpose([dataformats.find(c) for c in "HWC"])
        return np.concatenate([hwc] * 3, 2) if hwc.shape[2] == 1 else hwc
    hw = array.transpose([dataformats.find(c) for c in "HW"])
    return np.stack([hw] * 3, 2)


def image(tag, img, dataformats="CHW"):
    """One PNG image. uint8 values are taken as 0..255, anything else as 0..1 (scaled by
    255); out-of-range values are clipped."""
    hwc = to_hwc(make_np(img), dataformats)
    scale = 1 if hwc.dtype == np.uint8 else 255
    pixels = (hwc.astype(np.float32) * scale).clip(0, 255).astype(np.uint8)
    height, width, channels = pixels.shape
    with io.BytesIO() as png:
        Image.fromarray(pixels).save(png, format="PNG")
        encoded = png.getvalue()
    return Summary(value=[Summary.Value(tag=tag, image=Summary.Image(
        height=height, width=width, colorspace=channels, encoded_image_string=encoded))])


def figure_to_image(figures, close=True):
    """Render a matplotlib figure (C×H×W uint8) or a list of them (N×C×H×W) with Agg."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def render(figure):
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
        if close:
            plt.close(figure)
        return np.moveaxis(rgba[:, :, :3], 2, 0)

    if isinstance(figures, list):
        return np.stack([render(f) for f in figures])
    return render(figures)


# ---- text and PR curves --------------------------------------------------------------------

def text(tag, text_string):
    """A string for the text plugin (markdown), under `<tag>/text_summary`."""
    tensor = TensorProto(dtype="DT_STRING", string_val=[text_string.encode("utf_8")],
                         tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=1)]))
    metadata = _plugin_metadata("text", TextPluginData(version=0).SerializeToString())
    return Summary(value=[Summary.Value(tag=tag + "/text_summary", metadata=metadata,
                                        tensor=tensor)])


def pr_curve_data(labels, predictions, num_thresholds, weights=None):
    """The 6 × num_thresholds table the pr_curves plugin draws: true/false positive,
    true/false negative counts, precision and recall at thresholds i / (num_thresholds-1).

    Each prediction falls in bucket floor(p·(num_thresholds-1)); counting from the top
    bucket down gives, per threshold, the weighted positives and negatives at or above it."""
    weights = 1.0 if weights is None else make_np(weights)
    buckets = np.int32(np.floor(predictions * (num_thresholds - 1)))
    positive = labels.astype(np.float64)
    span = (0, num_thresholds - 1)
    tp_buckets, _ = np.histogram(buckets, bins=num_thresholds, range=span,
                                 weights=positive * weights)
    fp_buckets, _ = np.histogram(buckets, bins=num_thresholds, range=span,
                                 weights=(1.0 - positive) * weights)
    tp = np.cumsum(tp_buckets[::-1])[::-1]
    fp = np.cumsum(fp_buckets[::-1])[::-1]
    tn = fp[0] - fp
    fn = tp[0] - tp
    precision = tp / np.maximum(_MINIMUM_COUNT, tp + fp)
    recall = tp / np.maximum(_MINIMUM_COUNT, tp + fn)
    return np.stack((tp, fp, tn, fn, precision, recall))


def pr_curve(tag, labels, predictions, num_thresholds=127, weights=None):
    """A precision-recall curve of binary `labels` against `predictions` in [0, 1]."""
    num_thresholds = min(num_thresholds, MAX_PR_THRESHOLDS)
    data = pr_curve_data(make_np(labels), make_np(predictions), num_thresholds, weights)
    tensor = TensorProto(dtype="DT_FLOAT", float_val=data.reshape(-1).tolist(),
                         tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=n)
                                                            for n in data.shape]))
    metadata = _plugin_metadata("pr_curves", PrCurvePluginData(
        version=0, num_thresholds=num_thresholds).SerializeToString())
    return Summary(value=[Summary.Value(tag=tag, metadata=metadata, tensor=tensor)])
