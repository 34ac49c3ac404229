"""Editor helpers: what a host changes in a workspace (config lists, ignore entries);
`replylint.workspace` is their public front."""
