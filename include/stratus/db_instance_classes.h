/* The RDS DB instance class catalog: vCPUs and memory per class (prices come with the cost
 * model), and the engines' default max_connections. Entries are static; nothing to free. */
#pragma once

#include "stratus/scenario.h"

typedef struct
{
  const char *name; /* "db.r6g.large" */
  int vcpus;
  double memory_gib;
  bool aurora;      /* Aurora offers it (db.t3.micro and db.t3.small: MySQL and PostgreSQL
                     * only) */
} StratusDbInstanceClass;

/* The class named `name`, or NULL. */
const StratusDbInstanceClass *stratus_db_instance_class_find (const char *name);

/* The NULL-terminated list of known class names, for "did you mean" hints. */
const char *const *stratus_db_instance_class_names (void);

/* The default max_connections of `engine` on a class with `memory_gib`, as the default
 * parameter groups compute it from DBInstanceClassMemory (at least 1). */
int stratus_db_default_max_connections (StratusDbEngine engine, double memory_gib);
