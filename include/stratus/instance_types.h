/* The EC2 instance-type catalog: vCPUs and memory per type (prices come with the cost
 * model). Entries are static; nothing to free. */
#pragma once

typedef struct
{
  const char *name;
  int vcpus;
  double memory_gib;
} StratusInstanceType;

/* The type named `name`, or NULL. */
const StratusInstanceType *stratus_instance_type_find (const char *name);

/* The NULL-terminated list of known type names, for "did you mean" hints. */
const char *const *stratus_instance_type_names (void);
