/* `stratus sweep` and `stratus merge` (src/cli/sweep.c): a scenario over a grid of
 * overrides, whole, in shards or across MPI ranks, and the merge of shards' partial
 * results into the report one machine would have written. */
#pragma once

/* The sweep command; argv[0] is "sweep". Returns the exit status (docs/cli.md). */
int cli_sweep (int argc, char **argv);

/* The merge command; argv[0] is "merge". Returns the exit status (docs/cli.md). */
int cli_merge (int argc, char **argv);
