"""The server's handlers, one module per request family; `dispatch.py` maps every LSP method
and command id to one of them and registers it with pygls.

Each handler is a plain function: `(ls, params)` for a request or notification, `(ls, *arguments)`
for a command. It is a thin step from the message to the server's state (`server.py`) and
the pure builders beside it (`actions.py`, `diagnostics.py`, …); none registers itself.

- `lifecycle`: initialize, initialized, shutdown.
- `documents`: document sync (open, change, save, close) and pulled diagnostics.
- `configuration`: settings and config files changing (didChangeConfiguration, watched files).
- `code_actions`: textDocument/codeAction.
- `explain`: hover and the `replylint.explainRule` command (what a finding's rule means).
- `scores`: each reply's score, as code lenses and the `replylint.replyScores` command.
- `commands`: the commands that change something: edit the document, write the workspace's
  config or ignore file, or check a document outside the scope.
"""
