/* MPI for `stratus sweep` (cli_mpi.h): a handful of collectives over MPI_COMM_WORLD when the
 * build has MPI (STRATUS_WITH_MPI) and mpirun started the process; a single rank otherwise. */
#include "cli/cli_mpi.h"

#include <glib.h>
#include <string.h>

#ifdef STRATUS_WITH_MPI
#include <mpi.h>
#endif

static bool active = false;
static unsigned rank = 0, size = 1;

bool
cli_mpi_built (void)
{
#ifdef STRATUS_WITH_MPI
  return true;
#else
  return false;
#endif
}

/* Whether an MPI launcher started this process (Open MPI, MPICH / Hydra, PMIx, Slurm). */
static bool
launched_by_mpi (void)
{
  return g_getenv ("OMPI_COMM_WORLD_SIZE") != NULL || g_getenv ("PMI_SIZE") != NULL
         || g_getenv ("PMIX_RANK") != NULL;
}

void
cli_mpi_init (int *argc, char ***argv)
{
#ifdef STRATUS_WITH_MPI
  if (active || !launched_by_mpi ())
    return;
  int provided = 0;
  /* Only the main thread calls MPI; the worker threads never do. */
  MPI_Init_thread (argc, argv, MPI_THREAD_FUNNELED, &provided);
  int r = 0, s = 1;
  MPI_Comm_rank (MPI_COMM_WORLD, &r);
  MPI_Comm_size (MPI_COMM_WORLD, &s);
  rank = (unsigned) r;
  size = (unsigned) s;
  active = true;
#else
  (void) argc;
  (void) argv;
#endif
}

bool
cli_mpi_active (void)
{
  return active;
}

unsigned
cli_mpi_rank (void)
{
  return rank;
}

unsigned
cli_mpi_size (void)
{
  return size;
}

int
cli_mpi_worst_status (int status)
{
#ifdef STRATUS_WITH_MPI
  if (active)
    {
      int worst = status;
      MPI_Allreduce (&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
      return worst;
    }
#endif
  return status;
}

char **
cli_mpi_gather_texts (const char *mine)
{
#ifdef STRATUS_WITH_MPI
  if (active)
    {
      /* Lengths first, then the bytes (each text sent with its final NUL). */
      int length = (int) strlen (mine) + 1;
      int *lengths = rank == 0 ? g_new0 (int, size) : NULL;
      MPI_Gather (&length, 1, MPI_INT, lengths, 1, MPI_INT, 0, MPI_COMM_WORLD);
      int *offsets = NULL;
      char *all = NULL;
      if (rank == 0)
        {
          offsets = g_new0 (int, size);
          gint64 total = 0;
          for (unsigned r = 0; r < size; r++)
            {
              offsets[r] = (int) total;
              total += lengths[r];
            }
          g_assert (total <= G_MAXINT);
          all = g_malloc ((gsize) total);
        }
      MPI_Gatherv (mine, length, MPI_CHAR, all, lengths, offsets, MPI_CHAR, 0, MPI_COMM_WORLD);
      char **texts = NULL;
      if (rank == 0)
        {
          texts = g_new0 (char *, size + 1);
          for (unsigned r = 0; r < size; r++)
            texts[r] = g_strdup (all + offsets[r]);
        }
      g_free (all);
      g_free (offsets);
      g_free (lengths);
      return texts;
    }
#endif
  char **texts = g_new0 (char *, 2);
  texts[0] = g_strdup (mine);
  return texts;
}

int
cli_mpi_finalize (int status)
{
#ifdef STRATUS_WITH_MPI
  if (active)
    {
      MPI_Finalize ();
      active = false;
    }
#endif
  return status;
}
