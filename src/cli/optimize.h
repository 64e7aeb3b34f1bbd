/* `stratus optimize FILE --vary ... --objective FIGURE [--constraint EXPR ...]`
 * (src/cli/optimize.c, docs/optimize.md): the best point of a sweep's space under
 * constraints, found exhaustively or by racing. */
#pragma once

/* The exit status when the search completed and no point meets the constraints (the
 * outputs are written: they say which point came closest). */
#define EXIT_INFEASIBLE 3

/* The optimize command; argv[0] is "optimize". Returns the exit status: 0 a feasible
 * winner; 3 nothing feasible; 1 a failure while running or writing; 2 bad input or usage;
 * 130 interrupted. Only 0 and 3 write anything. */
int cli_optimize (int argc, char **argv);
