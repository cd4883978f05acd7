"""SummaryWriter: TensorBoard event files, as torch.utils.tensorboard writes them."""
