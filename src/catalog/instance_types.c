/* EC2 instance types: vCPUs and memory (AWS instance-type documentation). */
#include "stratus/instance_types.h"

#include <stddef.h>
#include <string.h>

#define INSTANCE_TYPES(X)                                                                     \
  X ("t3.nano", 2, 0.5) X ("t3.micro", 2, 1) X ("t3.small", 2, 2) X ("t3.medium", 2, 4)        \
  X ("t3.large", 2, 8) X ("t3.xlarge", 4, 16) X ("t3.2xlarge", 8, 32) X ("m5.large", 2, 8)     \
  X ("m5.xlarge", 4, 16) X ("m5.2xlarge", 8, 32) X ("m5.4xlarge", 16, 64)                      \
  X ("c5.large", 2, 4) X ("c5.xlarge", 4, 8) X ("c5.2xlarge", 8, 16) X ("c5.4xlarge", 16, 32)  \
  X ("r5.large", 2, 16) X ("r5.xlarge", 4, 32) X ("r5.2xlarge", 8, 64)

#define AS_TYPE(name, vcpus, memory) { name, vcpus, memory },
#define AS_NAME(name, vcpus, memory) name,

static const StratusInstanceType types[] = { INSTANCE_TYPES (AS_TYPE) };
static const char *const type_names[] = { INSTANCE_TYPES (AS_NAME) NULL };

const StratusInstanceType *
stratus_instance_type_find (const char *name)
{
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp (types[i].name, name) == 0)
      return &types[i];
  return NULL;
}

const char *const *
stratus_instance_type_names (void)
{
  return type_names;
}
