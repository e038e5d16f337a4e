"""The composition above core and handlers: the PTB application, the CLI, the sandbox start."""
