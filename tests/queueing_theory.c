/* Closed forms, computed with the stable recurrence for Erlang B. */
#include "queueing_theory.h"

#include <math.h>

double
erlang_c (int c, double a)
{
  double b = 1.0; /* Erlang B with 0 servers */
  for (int k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  double rho = a / c;
  return b / (1 - rho * (1 - b));
}

double
mmc_wait (int c, double lambda, double mu)
{
  return erlang_c (c, lambda / mu) / (c * mu - lambda);
}

double
md1_wait (double lambda, double mu)
{
  double rho = lambda / mu;
  return rho / (2 * mu * (1 - rho));
}

double
mm1_sojourn_quantile (double lambda, double mu, double q)
{
  return -log (1 - q) / (mu - lambda);
}
