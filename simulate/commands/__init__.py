"""One module per `orgsim` command."""
