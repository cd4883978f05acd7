"""SummaryWriter: TensorBoard event files, as torch.utils.tensorboard writes them.

    from minitorch.utils.tensorboard import SummaryWriter
    writer = SummaryWriter("runs/experiment_1")
    writer.add_scalar("training loss", loss.item(), step)
    writer.close()

writer.py holds the writer, summary.py turns values into TensorBoard's protos,
embedding.py writes the Projector's files and graph.py draws a model's autograd graph.
"""
from .writer import FileWriter, SummaryWriter

__all__ = ["FileWriter", "SummaryWriter"]
