/* A fleet's database work (instances.F.database, launch_templates.T.database): how many
 * queries each request makes, how many are writes, where reads go, the connection pool,
 * timeouts and retries; the database and its member resolved once `databases` is parsed. */
#include "db_work.h"

#include <string.h>

#include "stratus/units.h"

void
db_work_clear (StratusDbWorkConfig *w)
{
  g_free (w->database);
  memset (w, 0, sizeof *w);
}

/* `on_failure` (fail | retry), and with retry `retries` (1-10, 2) and `backoff` (100 ms);
 * either of those with fail is an error. */
static bool
parse_failure (FieldCtx *ctx, const YNode *d, StratusDbWorkConfig *w)
{
  static const char *const modes[] = { "fail", "retry", NULL };
  int mode = 0;
  const YNode *m = ynode_map_get (d, "on_failure");
  if (m != NULL && !field_check_choice (ctx, m, "on_failure", modes, &mode))
    return false;
  w->retry = mode == 1;
  if (!w->retry)
    {
      static const char *const retry_only[] = { "retries", "backoff", NULL };
      for (int i = 0; retry_only[i] != NULL; i++)
        {
          const YNode *k = field_key_node (d, retry_only[i]);
          if (k != NULL)
            return field_fail_at (ctx, k, "%s: only with on_failure: retry (a query that "
                                  "fails with on_failure: fail is not retried)",
                                  retry_only[i]);
        }
      w->retries = 0;
      w->backoff = 100 * STRATUS_MS;
      return true;
    }
  return field_get_int (ctx, d, "retries", 2, 1, 10, &w->retries)
         && field_get_duration (ctx, d, "backoff", 100 * STRATUS_MS, false, &w->backoff);
}

/* `reads_from`: writer (default), reader, or a member's name, kept as
 * STRATUS_DB_READS_INSTANCE with reads_member -1 until db_work_link resolves it. */
static bool
parse_reads_from (FieldCtx *ctx, const YNode *d, StratusDbWorkConfig *w)
{
  const YNode *r = ynode_map_get (d, "reads_from");
  w->reads_from = STRATUS_DB_READS_WRITER;
  w->reads_member = -1;
  if (r == NULL)
    return true;
  if (!field_expect_kind (ctx, r, YNODE_SCALAR, "reads_from"))
    return false;
  if (strcmp (r->value, "writer") == 0)
    return true;
  if (strcmp (r->value, "reader") == 0)
    {
      w->reads_from = STRATUS_DB_READS_READER;
      return true;
    }
  w->reads_from = STRATUS_DB_READS_INSTANCE;
  return field_check_name (ctx, r);
}

bool
db_work_parse (FieldCtx *ctx, const YNode *fleet, StratusDbWorkConfig *w)
{
  static const char *const keys[] = { "name", "queries", "write_fraction", "reads_from",
                                      "pool", "timeout", "on_failure", "retries", "backoff",
                                      "status", "query_bytes", "result_bytes", NULL };
  memset (w, 0, sizeof *w);
  const YNode *d = ynode_map_get (fleet, "database");
  if (d == NULL)
    return true;
  const YNode *key = field_key_node (fleet, "database");
  w->line = key->line;
  w->column = key->column;
  if (!field_expect_kind (ctx, d, YNODE_MAP, "database")
      || !field_check_keys (ctx, d, keys, "a fleet's database"))
    return false;
  const YNode *name = field_require (ctx, d, "name", "database");
  if (name == NULL || !field_expect_kind (ctx, name, YNODE_SCALAR, "name"))
    return false;
  w->database = g_strdup (name->value);
  if (!field_get_number (ctx, d, "queries", 1, 0, &w->queries))
    return false;
  if (w->queries > 1000)
    return field_fail_at (ctx, ynode_map_get (d, "queries"), "queries: at most 1000 queries "
                          "per request (found %g)", w->queries);
  if (!field_get_number (ctx, d, "write_fraction", 0.2, 0, &w->write_fraction))
    return false;
  if (w->write_fraction > 1)
    return field_fail_at (ctx, ynode_map_get (d, "write_fraction"), "write_fraction: must be "
                          "between 0 and 1, found %g", w->write_fraction);
  if (!parse_reads_from (ctx, d, w) || !field_get_int (ctx, d, "pool", 10, 1, 10000, &w->pool)
      || !field_get_duration (ctx, d, "timeout", 5 * STRATUS_SECOND, false, &w->timeout))
    return false;
  if (w->timeout <= 0)
    return field_fail_at (ctx, ynode_map_get (d, "timeout"), "timeout: must be > 0");
  if (!parse_failure (ctx, d, w)
      || !field_get_int (ctx, d, "status", 500, 500, 502, &w->failure_status))
    return false;
  if (w->failure_status != 500 && w->failure_status != 502)
    return field_fail_at (ctx, ynode_map_get (d, "status"), "status: 500 or 502, found %d",
                          w->failure_status);
  if (!field_get_size (ctx, d, "query_bytes", 512, &w->query_bytes)
      || !field_get_size (ctx, d, "result_bytes", 4096, &w->result_bytes))
    return false;
  w->enabled = true;
  return true;
}

/* The index of the database named `name` in s->databases, or -1. */
static int
database_index (const StratusScenario *s, const char *name)
{
  for (guint i = 0; s->databases != NULL && i < s->databases->len; i++)
    if (strcmp (((const StratusDatabaseConfig *) g_ptr_array_index (s->databases, i))->name,
                name) == 0)
      return (int) i;
  return -1;
}

/* "name: unknown database 'x'" with a hint over the databases, or the note that the
 * scenario declares none; always returns false. */
static bool
fail_unknown_database (FieldCtx *ctx, const YNode *name, const StratusScenario *s)
{
  GPtrArray *known = g_ptr_array_new ();
  for (guint i = 0; s->databases != NULL && i < s->databases->len; i++)
    g_ptr_array_add (known, ((StratusDatabaseConfig *) g_ptr_array_index (s->databases, i))->name);
  g_ptr_array_add (known, NULL);
  char *h = field_hint (name->value, (const char *const *) known->pdata);
  if (known->len == 1)
    field_fail_at (ctx, name, "name: unknown database '%s' (the databases section declares "
                   "none)", name->value);
  else if (h[0] != '\0')
    field_fail_at (ctx, name, "name: unknown database '%s'%s", name->value, h);
  else
    {
      char *list = g_strjoinv (", ", (char **) known->pdata);
      field_fail_at (ctx, name, "name: unknown database '%s' (known: %s)", name->value, list);
      g_free (list);
    }
  g_free (h);
  g_ptr_array_unref (known);
  return false;
}

/* Resolves `reads_from: MEMBER` against the members of `db`: the member must exist and
 * serve reads. */
static bool
link_member (FieldCtx *ctx, const YNode *r, const StratusDatabaseConfig *db,
             StratusDbWorkConfig *w)
{
  GPtrArray *known = g_ptr_array_new ();
  for (guint i = 0; i < db->members->len; i++)
    {
      const StratusDbMemberConfig *m = &g_array_index (db->members, StratusDbMemberConfig, i);
      g_ptr_array_add (known, m->name);
      if (strcmp (m->name, r->value) == 0)
        w->reads_member = (int) i;
    }
  g_ptr_array_add (known, NULL);
  bool ok = true;
  if (w->reads_member < 0)
    {
      char *h = field_hint (r->value, (const char *const *) known->pdata);
      char *list = g_strjoinv (", ", (char **) known->pdata);
      ok = field_fail_at (ctx, r, "reads_from: '%s' is neither writer, reader nor a member of "
                          "database %s%s%s%s%s", r->value, db->name, h, h[0] ? "" : " (members: ",
                          h[0] ? "" : list, h[0] ? "" : ")");
      g_free (list);
      g_free (h);
    }
  else
    {
      const StratusDbMemberConfig *m
        = &g_array_index (db->members, StratusDbMemberConfig, w->reads_member);
      if (!stratus_db_role_readable (m->role))
        ok = field_fail_at (ctx, r, "reads_from: %s is the %s of database %s (%s), which "
                            "serves no reads", m->name, stratus_db_role_name (m->role),
                            db->name, stratus_db_deployment_name (db->deployment));
    }
  g_ptr_array_unref (known);
  return ok;
}

bool
db_work_link (FieldCtx *ctx, const StratusScenario *s, const YNode *fleet,
              StratusDbWorkConfig *w)
{
  if (!w->enabled)
    return true;
  const YNode *d = ynode_map_get (fleet, "database");
  int index = database_index (s, w->database);
  if (index < 0)
    return fail_unknown_database (ctx, ynode_map_get (d, "name"), s);
  w->index = (unsigned) index;
  if (w->reads_from != STRATUS_DB_READS_INSTANCE)
    return true;
  return link_member (ctx, ynode_map_get (d, "reads_from"),
                      g_ptr_array_index (s->databases, (guint) index), w);
}
