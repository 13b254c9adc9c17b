"""`python -m simulate` is the same program as `orgsim`."""

from simulate.cli import main

if __name__ == "__main__":
    main()
