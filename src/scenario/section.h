/* The table of a scenario file's top-level sections. Each row is one top-level key with
 * the steps that turn it into its part of a StratusScenario; scenario.c walks the table:
 *
 *   1. parse: every row whose pass is SECTION_PASS_CONTEXT, in table order, then every row
 *      of SECTION_PASS_RESOURCES, in table order (a row may use what the rows parsed
 *      before it: the report interval needs the duration, the vpc the AZs);
 *   2. link: every row in table order, once everything is parsed (names that refer to
 *      other sections: target groups, entry load balancers, call destinations);
 *   3. check: every row in table order (static checks that need the links: a resource's
 *      network keys against the VPC, cycles of calls);
 *   4. free: every row, when the scenario is freed, whether or not it loaded.
 *
 * The first step that fails stops the load; its error is the one reported. The table's
 * keys, in table order, are the known top-level keys ("did you mean" and the "known keys"
 * list of an unknown key). Internal to the scenario parser; errors as in fields.h. */
#pragma once

#include <stdbool.h>

#include "fields.h"
#include "stratus/scenario.h"
#include "yaml_tree.h"

typedef enum
{
  SECTION_PASS_CONTEXT,   /* settings, and the sections resources refer to (report, vpc) */
  SECTION_PASS_RESOURCES, /* load balancers, fleets, workloads */
} SectionPass;

/* One step of a row: `root` is the document's mapping, `value` the row's key's value in it
 * (NULL when the file does not set the key; parse then fills in the defaults). Fails with
 * one error line in ctx, positioned in the tree. */
typedef bool (*SectionStepFn) (FieldCtx *ctx, const YNode *root, const YNode *value,
                               StratusScenario *s);

typedef struct
{
  const char *key;      /* the top-level key */
  SectionPass pass;     /* when it is parsed (above) */
  SectionStepFn parse;  /* fills its members of the scenario, creating what it owns */
  SectionStepFn link;   /* NULL: nothing to resolve */
  SectionStepFn check;  /* NULL: nothing to check */
  void (*free) (StratusScenario *s); /* releases what parse created, which may be partial
                                      * or absent (NULL members); NULL: nothing owned */
} ScenarioSection;

/* Each module defines its row (`const ScenarioSection section_KEY`); scenario.c declares
 * the rows and gathers them into the table. */
