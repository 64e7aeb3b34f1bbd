/* Terraform's attachment resources, which CloudFormation writes as a property of what they
 * attach to: aws_lb_target_group_attachment adds an item to the target group's Targets,
 * aws_autoscaling_attachment a target group to the group's TargetGroupARNs. They are
 * translated after every other resource, so that what they attach to exists. */
#include <string.h>

#include "tf_internal.h"

/* The translated resource `id` of CloudFormation type `type`, or NULL (owned by the
 * template being built). */
static StratusCfnResource *
translated (TfCtx *c, const StratusCfnValue *ref, const char *type)
{
  if (ref == NULL || ref->kind != STRATUS_CFN_REF)
    return NULL;
  for (guint i = 0; i < c->tmpl->resources->len; i++)
    {
      StratusCfnResource *res = c->tmpl->resources->pdata[i];
      if (strcmp (res->logical_id, ref->text) == 0 && strcmp (res->type, type) == 0)
        return res;
    }
  return NULL;
}

/* The list under `key` of `props`, added empty when absent; NULL when `key` holds
 * something else. */
static StratusCfnValue *
list_property (StratusCfnValue *props, const char *key, const TfRes *r)
{
  StratusCfnValue *list = (StratusCfnValue *) stratus_cfn_value_get (props, key);
  if (list == NULL)
    {
      list = tf_list (r->at);
      tf_put (props, key, list);
    }
  return list->kind == STRATUS_CFN_LIST ? list : NULL;
}

/* aws_lb_target_group_attachment of an instance of the plan: {Id, Port} in Targets. */
static bool
target_group_attachment (TfCtx *c, const TfRes *r)
{
  StratusCfnValue *tg_ref = tf_get (c, r, r->view, "target_group_arn", true);
  StratusCfnValue *target = tf_get (c, r, r->view, "target_id", true);
  StratusCfnResource *tg = translated (c, tg_ref, "AWS::ElasticLoadBalancingV2::TargetGroup");
  StratusCfnValue *targets = NULL;
  if (tg != NULL && target != NULL && target->kind == STRATUS_CFN_REF)
    targets = list_property (tg->properties, "Targets", r);
  if (targets != NULL)
    {
      StratusCfnValue *item = tf_map (r->at);
      tf_put (item, "Id", target);
      target = NULL;
      tf_copy (c, r, r->view, item, "Port", "port", false);
      g_ptr_array_add (targets->items, item);
    }
  stratus_cfn_value_free (tg_ref);
  stratus_cfn_value_free (target);
  return targets != NULL;
}

/* aws_autoscaling_attachment of a target group: a Ref in the group's TargetGroupARNs. */
static bool
autoscaling_attachment (TfCtx *c, const TfRes *r)
{
  StratusCfnValue *asg_ref = tf_get (c, r, r->view, "autoscaling_group_name", true);
  StratusCfnValue *tg = tf_get (c, r, r->view, "lb_target_group_arn", true);
  if (tg == NULL)
    tg = tf_get (c, r, r->view, "alb_target_group_arn", true);
  StratusCfnResource *asg = translated (c, asg_ref, "AWS::AutoScaling::AutoScalingGroup");
  StratusCfnValue *arns = NULL;
  if (asg != NULL && tg != NULL && tg->kind == STRATUS_CFN_REF)
    arns = list_property (asg->properties, "TargetGroupARNs", r);
  if (arns != NULL)
    {
      g_ptr_array_add (arns->items, tg);
      tg = NULL;
    }
  stratus_cfn_value_free (asg_ref);
  stratus_cfn_value_free (tg);
  return arns != NULL;
}

bool
tf_is_attachment (const char *type)
{
  return strcmp (type, "aws_lb_target_group_attachment") == 0
         || strcmp (type, "aws_alb_target_group_attachment") == 0
         || strcmp (type, "aws_autoscaling_attachment") == 0;
}

bool
tf_attach (TfCtx *ctx, const TfRes *r)
{
  if (strcmp (r->type, "aws_autoscaling_attachment") == 0)
    return autoscaling_attachment (ctx, r);
  return target_group_attachment (ctx, r);
}
