/* MPI for `stratus sweep` under mpirun (src/cli/cli_mpi.c; built with -Dmpi, docs/scale-
 * out.md). Without MPI in the build, or when the process was not started by an MPI launcher
 * (no OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK in its environment), MPI is never
 * initialised and these report a single process of rank 0. */
#pragma once

#include <stdbool.h>

/* Initialises MPI when built with it and started by a launcher; otherwise nothing. */
void cli_mpi_init (int *argc, char ***argv);

/* Whether MPI was initialised (then there may be one or more ranks). */
bool cli_mpi_active (void);

/* This process's rank and the number of ranks (0 and 1 without MPI). */
unsigned cli_mpi_rank (void);
unsigned cli_mpi_size (void);

/* The worst (largest) of every rank's `status`, on every rank (collective). */
int cli_mpi_worst_status (int status);

/* Gathers every rank's `mine` on rank 0 (collective): there, the texts by rank,
 * NULL-terminated (caller frees with g_strfreev); NULL on the other ranks. */
char **cli_mpi_gather_texts (const char *mine);

/* Finalises MPI if it was initialised; returns `status`. */
int cli_mpi_finalize (int status);

/* Whether this build has MPI. */
bool cli_mpi_built (void);
