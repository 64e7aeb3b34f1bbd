/* RDS DB instance classes: vCPUs, memory and whether Aurora offers them (AWS DB instance
 * class documentation), and the engines' default max_connections. */
#include "stratus/db_instance_classes.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define DB_CLASSES(X)                                                                        \
  X ("db.t3.micro", 2, 1, false) X ("db.t3.small", 2, 2, false)                              \
  X ("db.t3.medium", 2, 4, true) X ("db.t3.large", 2, 8, true)                               \
  X ("db.t4g.micro", 2, 1, false) X ("db.t4g.small", 2, 2, false)                            \
  X ("db.t4g.medium", 2, 4, true) X ("db.t4g.large", 2, 8, true)                             \
  X ("db.m5.large", 2, 8, true) X ("db.m5.xlarge", 4, 16, true)                              \
  X ("db.m5.2xlarge", 8, 32, true) X ("db.m6g.large", 2, 8, true)                            \
  X ("db.m6g.xlarge", 4, 16, true) X ("db.m6g.2xlarge", 8, 32, true)                         \
  X ("db.r5.large", 2, 16, true) X ("db.r5.xlarge", 4, 32, true)                             \
  X ("db.r5.2xlarge", 8, 64, true) X ("db.r6g.large", 2, 16, true)                           \
  X ("db.r6g.xlarge", 4, 32, true) X ("db.r6g.2xlarge", 8, 64, true)

#define AS_CLASS(name, vcpus, memory, aurora) { name, vcpus, memory, aurora },
#define AS_NAME(name, vcpus, memory, aurora) name,

static const StratusDbInstanceClass classes[] = { DB_CLASSES (AS_CLASS) };
static const char *const class_names[] = { DB_CLASSES (AS_NAME) NULL };

const StratusDbInstanceClass *
stratus_db_instance_class_find (const char *name)
{
  for (size_t i = 0; name != NULL && i < sizeof classes / sizeof classes[0]; i++)
    if (strcmp (classes[i].name, name) == 0)
      return &classes[i];
  return NULL;
}

const char *const *
stratus_db_instance_class_names (void)
{
  return class_names;
}

int
stratus_db_default_max_connections (StratusDbEngine engine, double memory_gib)
{
  double mem = memory_gib * 1073741824.0; /* DBInstanceClassMemory, bytes */
  double n;
  switch (engine)
    {
    case STRATUS_DB_ENGINE_MYSQL: /* {DBInstanceClassMemory/12582880} */
      n = floor (mem / 12582880.0);
      break;
    case STRATUS_DB_ENGINE_AURORA_MYSQL: /* GREATEST({log(DBInstanceClassMemory/805306368)*45},
                                          * {log(DBInstanceClassMemory/8187281408)*1000}) */
      n = floor (fmax (log2 (mem / 805306368.0) * 45.0, log2 (mem / 8187281408.0) * 1000.0));
      break;
    case STRATUS_DB_ENGINE_POSTGRES: /* LEAST({DBInstanceClassMemory/9531392},5000) */
    case STRATUS_DB_ENGINE_AURORA_POSTGRESQL:
    default:
      n = fmin (floor (mem / 9531392.0), 5000.0);
      break;
    }
  if (!(n >= 1)) /* also NaN */
    return 1;
  return n > 100000 ? 100000 : (int) n;
}
