"""SummaryWriter: log scalars, histograms, images, text, PR curves, embeddings and a
model's graph to TensorBoard event files, with torch.utils.tensorboard's API.

Writing goes through tensorboard's own `EventFileWriter` (a queue and a background
thread that appends length-prefixed, CRC-checked records to
`<log_dir>/events.out.tfevents.<time>.<host>...`). Each `add_*` method builds one
`Summary` proto (see summary.py) and adds it as an event with its step and wall time.
"""
import os
import socket
import time
from datetime import datetime

from google.protobuf import text_format
from tensorboard.compat.proto.event_pb2 import Event, SessionLog, TaggedRunMetadata
from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig
from tensorboard.summary.writer.event_file_writer import EventFileWriter

from . import summary
from .embedding import write_embedding, write_file
from .graph import graph


class FileWriter:
    """One event file in one directory: adds events (stamped with wall time and step)."""

    def __init__(self, log_dir, max_queue=10, flush_secs=120, filename_suffix=""):
        self.event_writer = EventFileWriter(str(log_dir), max_queue, flush_secs, filename_suffix)

    def get_logdir(self):
        return self.event_writer.get_logdir()

    def add_event(self, event, step=None, walltime=None):
        event.wall_time = time.time() if walltime is None else walltime
        if step is not None:
            event.step = int(step)
        self.event_writer.add_event(event)

    def add_summary(self, summary_proto, global_step=None, walltime=None):
        self.add_event(Event(summary=summary_proto), global_step, walltime)

    def add_graph(self, graph_def, run_metadata, walltime=None):
        """The GraphDef, then the run metadata the Graphs tab reads device stats from."""
        self.add_event(Event(graph_def=graph_def.SerializeToString()), None, walltime)
        tagged = TaggedRunMetadata(tag="step1", run_metadata=run_metadata.SerializeToString())
        self.add_event(Event(tagged_run_metadata=tagged), None, walltime)

    def flush(self):
        self.event_writer.flush()

    def close(self):
        self.event_writer.close()


class SummaryWriter:
    """Writes entries to event files in `log_dir` for TensorBoard to show.

    log_dir defaults to runs/<Mon01_12-00-00>_<hostname><comment>. purge_step=T (after a
    crash at step T+X, resuming at T) tells TensorBoard to hide the events of steps >= T
    already in log_dir. The writer can be used as a context manager, which closes it.
    """

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=10,
                 flush_secs=120, filename_suffix=""):
        if not log_dir:
            now = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = os.path.join("runs", now + "_" + socket.gethostname() + comment)
        self.log_dir = log_dir
        self.purge_step = purge_step
        self.max_queue = max_queue
        self.flush_secs = flush_secs
        self.filename_suffix = filename_suffix
        self.default_bins = summary.default_bins()
        self._projector_config = ProjectorConfig()  # every embedding this writer has saved
        self.file_writer = self.all_writers = None
        self._get_file_writer()

    def _get_file_writer(self):
        """The writer of log_dir's event file, opened anew (a new file) after close()."""
        if self.file_writer is None:
            self.file_writer = FileWriter(self.log_dir, self.max_queue, self.flush_secs,
                                          self.filename_suffix)
            self.all_writers = {self.file_writer.get_logdir(): self.file_writer}
            if self.purge_step is not None:
                self.file_writer.add_event(Event(step=self.purge_step, file_version="brain.Event:2"))
                self.file_writer.add_event(Event(step=self.purge_step,
                                                 session_log=SessionLog(status=SessionLog.START)))
                self.purge_step = None
        return self.file_writer

    def _add(self, summary_proto, global_step=None, walltime=None):
        self._get_file_writer().add_summary(summary_proto, global_step, walltime)

    def get_logdir(self):
        """The directory event files are written to."""
        return self.log_dir

    # ---- numbers ---------------------------------------------------------------------------
    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False,
                   double_precision=False):
        """Log one number (a float, a 1-element Tensor or array) under `tag` at global_step."""
        self._add(summary.scalar(tag, scalar_value, new_style, double_precision),
                  global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Log several numbers as curves of one chart: each goes, tagged `main_tag`, to its
        own run directory `<log_dir>/<main_tag>_<key>` ('/' in main_tag becomes '_')."""
        walltime = time.time() if walltime is None else walltime
        log_dir = self._get_file_writer().get_logdir()
        for tag, scalar_value in tag_scalar_dict.items():
            run_dir = log_dir + "/" + main_tag.replace("/", "_") + "_" + tag
            if run_dir not in self.all_writers:
                self.all_writers[run_dir] = FileWriter(run_dir, self.max_queue, self.flush_secs,
                                                       self.filename_suffix)
            self.all_writers[run_dir].add_summary(summary.scalar(main_tag, scalar_value),
                                                  global_step, walltime)

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None,
                      max_bins=None):
        """Log the distribution of `values`. bins: 'tensorflow' (TensorBoard's default
        exponential buckets), or anything np.histogram takes ('auto', a count, edges)."""
        if isinstance(bins, str) and bins == "tensorflow":
            bins = self.default_bins
        self._add(summary.histogram(tag, values, bins, max_bins), global_step, walltime)

    # ---- pictures --------------------------------------------------------------------------
    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        """Log one image: float values in [0, 1] or uint8 in [0, 255], laid out as
        dataformats says ('CHW', 'HWC', 'HW', ...; 1, 3 or 4 channels)."""
        self._add(summary.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        """Log a batch of images, tiled 8 per row into one image."""
        self._add(summary.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None):
        """Log a matplotlib figure (or a list of them, tiled) as an image; close it after."""
        dataformats = "NCHW" if isinstance(figure, list) else "CHW"
        self.add_image(tag, summary.figure_to_image(figure, close), global_step, walltime,
                       dataformats=dataformats)

    # ---- text, curves, embeddings, graphs --------------------------------------------------
    def add_text(self, tag, text_string, global_step=None, walltime=None):
        """Log a string (markdown) for the Text tab, under `<tag>/text_summary`."""
        self._add(summary.text(tag, text_string), global_step, walltime)

    def add_pr_curve(self, tag, labels, predictions, global_step=None, num_thresholds=127,
                     weights=None, walltime=None):
        """Log a precision-recall curve: binary labels against predicted probabilities."""
        self._add(summary.pr_curve(tag, labels, predictions, num_thresholds, weights),
                  global_step, walltime)

    def add_embedding(self, mat, metadata=None, label_img=None, global_step=None,
                      tag="default", metadata_header=None):
        """Save an N×D matrix for the Projector tab, with optional per-point labels
        (metadata) and N×C×H×W thumbnails (label_img), and list it in the projector config."""
        global_step = 0 if global_step is None else global_step
        log_dir = self._get_file_writer().get_logdir()
        info = write_embedding(log_dir, mat, metadata, label_img, global_step, tag,
                               metadata_header)
        self._projector_config.embeddings.append(info)
        write_file(os.path.join(log_dir, "projector_config.pbtxt"),
                   text_format.MessageToString(self._projector_config).encode())

    def add_graph(self, model, input_to_model=None, verbose=False, use_strict_trace=True):
        """Log the model's graph: run model(input_to_model) once (in eval mode) and record
        the autograd graph it builds. verbose prints the GraphDef. use_strict_trace is
        accepted for torch's signature; there is no tracer here for it to set."""
        graph_def, run_metadata = graph(model, input_to_model)
        if verbose:
            print(graph_def)
        self._get_file_writer().add_graph(graph_def, run_metadata)

    # ---- lifetime --------------------------------------------------------------------------
    def flush(self):
        """Write everything pending to disk."""
        if self.all_writers is None:
            return
        for writer in self.all_writers.values():
            writer.flush()

    def close(self):
        """Flush and close every event file; a later add_* opens a new one."""
        if self.all_writers is None:
            return
        for writer in self.all_writers.values():
            writer.flush()
            writer.close()
        self.file_writer = self.all_writers = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()
