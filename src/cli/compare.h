/* `stratus compare A.yaml B.yaml [C.yaml ...]`: the scenarios run side by side on common
 * random numbers, one table (src/cli/compare.c). */
#pragma once

/* The compare command; argv[0] is "compare". Returns the exit status (docs/cli.md): 0 done;
 * 1 a failure while running or writing; 2 bad input or usage; 130 interrupted. Only 0
 * writes anything. */
int cli_compare (int argc, char **argv);
