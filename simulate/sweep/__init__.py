"""Sweeps and sensitivity studies (issue 15): which design wins where, and how sure.

A sweep varies scenario parameters (dotted paths into the scenario) over a grid or a Latin
hypercube; every point is a scenario compared across its designs on the same replication seeds
(common random numbers, at every point). Points × designs × replications run as one task graph
on the local process pool or on Dask; each finished task is kept in the sweep's folder under a
content key, so an interrupted sweep rerun with the same command resumes, and the result files
are byte-identical whatever the executor, the number of workers or the interruptions.

Modules: points (--vary/--sample → points), apply (a point → a validated scenario), store (the
resumable task results), graph (the task graph on a pool or Dask), aggregate (a point's summary
and verdict), files (sweep.csv, points.csv, atomically), sensitivity (one-at-a-time and global
studies of the assumption-graded parameters, the tornado).
"""
