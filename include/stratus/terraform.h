/* Terraform plans (issue 14, second part): the JSON `terraform show -json plan.out` prints
 * (the JSON infracost reads) read into the same StratusCfnTemplate a CloudFormation template
 * gives, each supported Terraform resource translated into its CloudFormation equivalent
 * (type and property names as CloudFormation spells them), so that one mapping to a
 * scenario serves both. References between resources (ids and ARNs unknown until apply)
 * become REF values naming the referenced resource's logical id. A resource of a type not
 * translated is kept with the type "Terraform::<type>" (e.g. "Terraform::aws_s3_bucket").
 * Every error is one line "file:line:column: ..." in a STRATUS_CFN_ERROR. docs/import.md,
 * "Terraform plans: what is read", has the table and the rules. */
#pragma once

#include "stratus/cfn.h"

/* Whether `text` reads as a Terraform plan (what `stratus import` reads it as): a JSON
 * object with a "format_version" and "planned_values" or "resource_changes". Anything else
 * is for the CloudFormation reader, which says what it is when it is not a template. */
bool stratus_tf_text_is_plan (const char *text);

/* Reads the plan at `path`. The region is the plan's AWS provider `region` when it is a
 * constant, else `region`, else "us-east-1". A file that is not a plan (no format_version
 * with planned_values or resource_changes) is refused with STRATUS_CFN_ERROR_NOT_TEMPLATE
 * and "file:line:column: not a Terraform plan (...)", saying what it looks like (a
 * CloudFormation template, a stratus scenario). Free with stratus_cfn_template_free. */
StratusCfnTemplate *stratus_tf_plan_load (const char *path, const char *region, GError **error);
/* The same from text; `file_label` names it in messages. */
StratusCfnTemplate *stratus_tf_plan_load_string (const char *text, const char *file_label,
                                                 const char *region, GError **error);

/* An address's letters and digits, each run starting with a capital
 * ("module.net.aws_subnet.public[0]" -> "ModuleNetAwsSubnetPublic0", `az["a"]` -> "AzA").
 * A plan's resource gets this of its module path, name and index, or of its whole address
 * when a resource of another type in its module has the same name (docs/import.md). Free
 * with g_free. Resources a translation adds take the id plus a suffix. */
char *stratus_tf_logical_id (const char *address);
