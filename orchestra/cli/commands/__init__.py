"""The CLI's commands, one module per family: each registers its own (``orchestra.cli.options.command``),
and ``app.load_commands`` imports every module here, so a new command is one new file."""
