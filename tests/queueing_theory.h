/* Closed forms of queueing theory that the model is validated against. Rates in 1/s,
 * times in seconds. */
#pragma once

/* Erlang C: probability that an arrival waits in an M/M/c queue with offered load
 * a = lambda/mu < c. */
double erlang_c (int c, double a);

/* M/M/c mean waiting time in queue, Wq = C(c, a) / (c mu - lambda). */
double mmc_wait (int c, double lambda, double mu);

/* M/D/1 mean waiting time (Pollaczek-Khinchine with zero service variance):
 * Wq = rho / (2 mu (1 - rho)). */
double md1_wait (double lambda, double mu);

/* q-quantile (0 < q < 1) of the M/M/1 sojourn time, which is exponential with rate mu - lambda. */
double mm1_sojourn_quantile (double lambda, double mu, double q);
