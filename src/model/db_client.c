/* An instance's queries to its database:
 *
 *   job done computing --> query: a connection from the instance's pool (or wait for one)
 *     --> the endpoint's member (cached DNS answer, TTL) --> path instance -> member
 *     (security groups, same- or cross-AZ latency, bytes) --> the member's vCPUs (FIFO)
 *     --> a write's commit waits for its synchronous standby --> answer back
 *     --> next query, or the job's outbound calls.
 *
 * A failed attempt (timeout, reset, refused, read-only, too many connections) is retried
 * after a backoff with full jitter when the fleet says so; otherwise, or when the retries
 * are spent, the request fails with 500 (or 502) database_error. Every event about a query
 * carries the generation it was sent with, so that a late answer after a timeout or a
 * retry is recognised and dropped. */
#include <math.h>

#include "database.h"
#include "stratus/rng.h"

static void connect_and_send (World *w, DbQuery *q);
static void query_failed (World *w, DbQuery *q, StratusQueryFailure why);

/* Calls `stage` on `object` after `delay`, inline when there is none (a constant-delay
 * hop: a FIFO lane of the engine). */
static inline void
hop (World *w, void *object, StratusTime delay, StratusHandler stage)
{
  if (delay == 0)
    stage (w->sim, object, 0);
  else
    stratus_sim_schedule_hop (w->sim, delay, stage, object, 0);
}

/* ---- connections ----------------------------------------------------------------------- */

/* Adds `delta` to member `m`'s open connections at `now` (its figures follow). */
static void
member_connections_add (Database *db, DbMember *m, int delta, StratusTime now)
{
  m->connections += delta;
  if (m->connections < 0)
    m->connections = 0;
  if (m->connections > m->peak_connections)
    m->peak_connections = m->connections;
  stratus_time_average_set (&m->connections_avg, now, m->connections);
  int total = 0;
  for (unsigned k = 0; k < db->n_members; k++)
    total += db->members[k].connections;
  if (total > db->result.peak_connections)
    db->result.peak_connections = total;
}

/* Closes one idle connection of `c` to a member other than `keep`. */
static void
close_idle_connection (World *w, DbClient *c, unsigned keep)
{
  Database *db = c->db;
  for (unsigned k = 0; k < db->n_members; k++)
    if (k != keep && c->open[k] > c->busy[k])
      {
        c->open[k]--;
        c->open_total--;
        member_connections_add (db, &db->members[k], -1, stratus_sim_now (w->sim));
        return;
      }
}

/* A client whose instance is gone and whose last query is over keeps no deadline ring
 * (its timer then finds nothing, and memory does not grow with every launch). */
static void
forget_ring_if_idle (DbClient *c)
{
  if (c->owner == NULL && c->in_use == 0)
    deadline_ring_clear (&c->timeouts);
}

/* Gives the connection of `q`'s attempt back to the pool; one that belonged to an earlier
 * epoch of its member (a failure since), or to a member that is down, is closed. An
 * attempt whose path was blocked (member -1) held a slot of the pool only. */
static void
release_connection (World *w, DbQuery *q)
{
  DbClient *c = q->client;
  if (q->member < 0)
    {
      c->in_use--;
      forget_ring_if_idle (c);
      return;
    }
  DbMember *m = &c->db->members[q->member];
  c->busy[q->member]--;
  c->in_use--;
  bool mine = c->owner != NULL && q->client_epoch == c->epoch;
  if (m->epoch != q->member_epoch || !m->up || !mine)
    {
      c->open[q->member]--;
      c->open_total--;
      if (!mine && m->epoch == q->member_epoch && m->up)
        member_connections_add (c->db, m, -1, stratus_sim_now (w->sim));
    }
  forget_ring_if_idle (c);
}

/* Lends connections to waiting queries while the pool has room. */
static void
serve_waiting (World *w, DbClient *c)
{
  while (c->wait_head != NULL && c->in_use < c->work->pool && c->owner != NULL)
    {
      DbQuery *q = c->wait_head;
      c->wait_head = q->next;
      if (c->wait_head == NULL)
        c->wait_tail = NULL;
      q->next = NULL;
      if (q->measured)
        {
          c->db->result.pool_waits++;
          c->db->result.pool_wait_sum_ns += (double) (stratus_sim_now (w->sim) - q->waited_from);
        }
      connect_and_send (w, q);
    }
}

/* Removes `q` from its client's wait list. */
static void
unlink_waiting (DbClient *c, DbQuery *q)
{
  DbQuery *prev = NULL;
  for (DbQuery *it = c->wait_head; it != NULL; prev = it, it = it->next)
    if (it == q)
      {
        if (prev != NULL)
          prev->next = q->next;
        else
          c->wait_head = q->next;
        if (c->wait_tail == q)
          c->wait_tail = prev;
        q->next = NULL;
        return;
      }
}

/* ---- queries ------------------------------------------------------------------------------- */

/* Returns `q` to the world's pool. */
static void
query_give (World *w, DbQuery *q)
{
  q->generation++;
  q->state = QUERY_FREE;
  object_pool_give (&w->db_queries, q);
}

/* `q`'s job is gone (its instance or application died): the job is freed with it. */
static void
drop_orphan (World *w, DbQuery *q)
{
  object_pool_give (&w->jobs, q->job);
  query_give (w, q);
}

static void on_client_timeouts (StratusSim *sim, void *target, uint64_t arg);

/* Arms `c`'s timeout timer for its oldest live deadline. */
static void
arm_timeouts (World *w, DbClient *c)
{
  deadline_ring_arm (&c->timeouts, w->sim, w->scenario->duration, on_client_timeouts, c);
}

/* Puts `q`'s deadline (now + the query timeout) in its client's ring. */
static void
push_deadline (World *w, DbQuery *q)
{
  DbClient *c = q->client;
  deadline_ring_push (&c->timeouts, q, q->generation,
                      stratus_time_add (stratus_sim_now (w->sim), c->work->timeout));
  if (!c->timeouts.timer_armed)
    arm_timeouts (w, c);
}

/* A deadline entry stands for a query still waiting for a connection or an answer. */
static bool
query_live (const DeadlineEntry *e)
{
  const DbQuery *q = e->item;
  return q->generation == e->generation
         && (q->state == QUERY_WAITING_CONNECTION || q->state == QUERY_IN_FLIGHT);
}

/* Queries whose timeout has come fail (timeout). */
static void
on_client_timeouts (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  DbClient *c = target;
  DbQuery *q;
  while ((q = deadline_ring_pop_expired (&c->timeouts, stratus_sim_now (sim))) != NULL)
    {
      if (q->state == QUERY_WAITING_CONNECTION)
        unlink_waiting (c, q);
      else
        release_connection (w, q);
      query_failed (w, q, STRATUS_QUERY_FAIL_TIMEOUT);
      serve_waiting (w, c);
    }
  arm_timeouts (w, c);
}

/* Draws the next query of `q`'s job: a write or a read, and its endpoint. */
static void
draw_query (DbQuery *q)
{
  const StratusDbWorkConfig *work = q->client->work;
  q->attempt = 0;
  q->write = work->write_fraction > 0 && gsl_rng_uniform (q->client->rng) < work->write_fraction;
  if (q->write || work->reads_from == STRATUS_DB_READS_WRITER)
    q->endpoint = STRATUS_DB_ENDPOINT_WRITER;
  else if (work->reads_from == STRATUS_DB_READS_READER)
    q->endpoint = STRATUS_DB_ENDPOINT_READER;
  else
    q->endpoint = STRATUS_DB_ENDPOINT_INSTANCE;
}

/* Takes a connection for `q` or puts it in the wait list. */
static void
acquire (World *w, DbQuery *q)
{
  DbClient *c = q->client;
  if (c->owner == NULL || q->job->orphan)
    {
      drop_orphan (w, q);
      return;
    }
  if (c->in_use >= c->work->pool)
    {
      q->state = QUERY_WAITING_CONNECTION;
      q->generation++;
      q->waited_from = stratus_sim_now (w->sim);
      q->next = NULL;
      if (c->wait_tail != NULL)
        c->wait_tail->next = q;
      else
        c->wait_head = q;
      c->wait_tail = q;
      push_deadline (w, q);
      return;
    }
  connect_and_send (w, q);
}

/* The answer (or error) of attempt `e` reaches its instance. */
static void
on_answer (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  DbExec *e = target;
  DbQuery *q = e->query;
  int failure = e->failure;
  bool current = q->generation == e->generation && q->state == QUERY_IN_FLIGHT;
  object_pool_give (&w->db_execs, e);
  if (!current)
    return; /* its timeout came first, or its instance is gone */
  DbClient *c = q->client;
  release_connection (w, q);
  serve_waiting (w, c); /* the queries waiting for a connection first, in order */
  if (failure >= 0)
    query_failed (w, q, (StratusQueryFailure) failure);
  else
    {
      Database *db = c->db;
      if (q->measured)
        {
          StratusTime latency = stratus_sim_now (sim) - q->sent;
          db->result.queries[q->endpoint]++;
          stratus_histogram_record (db->result.latency[q->endpoint], (uint64_t) latency);
          stratus_histogram_record (db->row_latency, (uint64_t) latency);
          db->row_queries++;
          if (q->write)
            db->result.writes++;
          else
            db->result.reads++;
        }
      Job *job = q->job;
      if (job->orphan)
        drop_orphan (w, q);
      else if (--q->queries_left > 0)
        {
          draw_query (q);
          acquire (w, q);
        }
      else
        {
          query_give (w, q);
          request_path_queries_done (w, job);
        }
    }
  serve_waiting (w, c);
}

/* Sends attempt `e` back from its member to the instance, `failure` (-1: answered)
 * after `extra` (a commit's wait for its standby). */
static void
send_back (World *w, DbExec *e, int failure, StratusTime extra)
{
  e->failure = (int8_t) failure;
  DbQuery *q = e->query;
  DbClient *c = q->client;
  if (q->generation != e->generation)
    {
      object_pool_give (&w->db_execs, e); /* nobody waits for it */
      return;
    }
  const StratusPath *path = stratus_path_ref_get (&c->paths[e->member->index], w->topology,
                                                  w->version, c->endpoint,
                                                  e->member->endpoint, STRATUS_PROTOCOL_TCP,
                                                  c->db->config->port);
  if (path->drop != STRATUS_DROP_NONE)
    {
      stratus_network_count_drop (w->net, path->drop);
      object_pool_give (&w->db_execs, e); /* the query's timeout ends it */
      return;
    }
  stratus_network_count_bytes (w->net, path, 0, failure < 0 ? c->work->result_bytes : 64);
  hop (w, e, stratus_time_add (world_transit (w, path), extra), on_answer);
}

void
db_client_attempt_failed (World *w, DbExec *e, StratusQueryFailure failure)
{
  send_back (w, e, (int) failure, 0);
}

/* How long a write's commit waits for its standbys (the round trip to the nearest one
 * that must acknowledge): a synchronous standby, one of two cluster standbys, or the
 * Aurora volume's copies in other AZs; 0 when none is up. */
static StratusTime
commit_wait (World *w, Database *db, const DbMember *writer)
{
  const StratusScenario *s = w->scenario;
  StratusDbDeployment d = db->config->deployment;
  if (d == STRATUS_DB_AURORA)
    return 2 * s->latency.cross_az;
  StratusTime best = STRATUS_TIME_NEVER;
  for (unsigned k = 0; k < db->n_members; k++)
    {
      const DbMember *m = &db->members[k];
      if (!m->up || m->detached
          || (m->role != STRATUS_DB_ROLE_STANDBY && m->role != STRATUS_DB_ROLE_CLUSTER_STANDBY))
        continue;
      StratusTime one_way = m->config->az == writer->config->az ? s->latency.same_az
                                                                : s->latency.cross_az;
      best = MIN (best, 2 * one_way);
    }
  return best == STRATUS_TIME_NEVER ? 0 : best;
}

static void on_exec_done (StratusSim *sim, void *target, uint64_t arg);

/* A vCPU of `m` starts attempt `e` now. */
static void
start_exec (World *w, DbMember *m, DbExec *e)
{
  StratusTime now = stratus_sim_now (w->sim);
  const StratusDist *dist = e->write ? &m->db->config->write_time : &m->db->config->read_time;
  StratusTime work = stratus_dist_sample_time (dist, m->rng);
  if (e->measured)
    {
      StratusDatabaseResult *r = &m->db->result;
      r->cpu_started++;
      r->cpu_service_sum_ns += (double) work;
      if (now > e->arrived)
        {
          r->cpu_waited++;
          r->cpu_wait_sum_ns += (double) (now - e->arrived);
        }
    }
  e->slot = (int) m->n_serving;
  m->serving[m->n_serving] = e;
  m->serving_timers[m->n_serving] = stratus_sim_schedule (w->sim, work, on_exec_done, e, 0);
  m->n_serving++;
}

/* Takes `e` off its member's vCPUs. */
static void
unserve (DbMember *m, DbExec *e)
{
  unsigned last = m->n_serving - 1;
  if ((unsigned) e->slot != last)
    {
      m->serving[e->slot] = m->serving[last];
      m->serving_timers[e->slot] = m->serving_timers[last];
      m->serving[e->slot]->slot = e->slot;
    }
  m->n_serving--;
  e->slot = -1;
}

/* Attempt `e` is done at its member: the next queued one starts; a write commits (and
 * waits for its standby); a read from a lagging member is counted stale; the answer goes
 * back. */
static void
on_exec_done (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  DbExec *e = target;
  DbMember *m = e->member;
  Database *db = m->db;
  StratusTime now = stratus_sim_now (sim);
  unserve (m, e);
  StationItem *next = station_finish (&m->station, now);
  if (next != NULL)
    start_exec (w, m, (DbExec *) next);
  if (w->collector.window_open)
    m->served++;
  StratusTime extra = 0;
  if (e->write)
    {
      replication_write (w, db, now);
      extra = commit_wait (w, db, m);
    }
  else if (replication_stale (w, db, m, now) && e->measured)
    {
      db->result.stale_reads++;
      db->row_stale++;
    }
  send_back (w, e, -1, extra);
}

/* Attempt `e` reaches its member: refused if the member is down or cannot take it (a
 * write to a member that is not the writer, a read to a standby that is not readable);
 * otherwise it takes a vCPU or queues. */
static void
on_member_arrive (StratusSim *sim, void *target, uint64_t arg)
{
  World *w = world_of (sim);
  DbExec *e = target;
  DbMember *m = e->member;
  Database *db = m->db;
  if (!m->up || m->detached)
    {
      send_back (w, e, STRATUS_QUERY_FAIL_REFUSED, 0);
      return;
    }
  if (e->write && db->writer != (int) m->index)
    {
      send_back (w, e, STRATUS_QUERY_FAIL_READ_ONLY, 0);
      return;
    }
  if (!e->write && !stratus_db_role_readable (m->role))
    {
      send_back (w, e, STRATUS_QUERY_FAIL_REFUSED, 0);
      return;
    }
  StratusTime now = stratus_sim_now (sim);
  e->arrived = now;
  if (station_admit (&m->station, &e->link, now) == ADMIT_START)
    start_exec (w, m, e);
}

/* `q` has a connection slot: resolves its endpoint, takes or opens a connection to the
 * member, and sends the attempt. */
static void
connect_and_send (World *w, DbQuery *q)
{
  DbClient *c = q->client;
  Database *db = c->db;
  StratusTime now = stratus_sim_now (w->sim);
  if (q->job->orphan)
    {
      drop_orphan (w, q);
      return;
    }
  int mi = database_resolve (w, c, (StratusDbEndpoint) q->endpoint, c->work->reads_member);
  if (mi < 0)
    {
      query_failed (w, q, STRATUS_QUERY_FAIL_NO_WRITER);
      return;
    }
  DbMember *m = &db->members[mi];
  const StratusPath *path = stratus_path_ref_get (&c->paths[mi], w->topology, w->version,
                                                  c->endpoint, m->endpoint,
                                                  STRATUS_PROTOCOL_TCP, db->config->port);
  if (path->drop != STRATUS_DROP_NONE)
    {
      /* The connection never opens: the attempt holds a slot of the pool until its
       * timeout. */
      stratus_network_count_drop (w->net, path->drop);
      c->in_use++;
      q->member = -1;
      q->state = QUERY_IN_FLIGHT;
      q->generation++;
      q->sent = now;
      push_deadline (w, q);
      return;
    }
  if (c->open[mi] <= c->busy[mi])
    {
      if (m->up && m->connections >= db->config->max_connections)
        {
          query_failed (w, q, STRATUS_QUERY_FAIL_TOO_MANY_CONNECTIONS);
          return;
        }
      if (c->open_total >= c->work->pool)
        close_idle_connection (w, c, (unsigned) mi);
      c->open[mi]++;
      c->open_total++;
      if (m->up)
        member_connections_add (db, m, 1, now);
    }
  c->busy[mi]++;
  c->in_use++;
  q->member = (int16_t) mi;
  q->member_epoch = m->epoch;
  q->client_epoch = c->epoch;
  q->state = QUERY_IN_FLIGHT;
  q->generation++;
  q->sent = now;
  push_deadline (w, q);
  stratus_network_count_bytes (w->net, path, c->work->query_bytes, 0);
  DbExec *e = object_pool_take (&w->db_execs);
  *e = (DbExec){ .query = q, .generation = q->generation, .member = m, .write = q->write,
                 .measured = q->measured, .slot = -1, .failure = -1 };
  hop (w, e, world_transit (w, path), on_member_arrive);
}

/* A retry's backoff is over. */
static void
on_retry (StratusSim *sim, void *target, uint64_t arg)
{
  DbQuery *q = target;
  if (q->generation == (uint32_t) arg && q->state == QUERY_BACKOFF)
    acquire (world_of (sim), q);
}

/* The attempt of `q` failed (`why`): retried after a backoff, or its request fails. */
static void
query_failed (World *w, DbQuery *q, StratusQueryFailure why)
{
  DbClient *c = q->client;
  Database *db = c->db;
  const StratusDbWorkConfig *work = c->work;
  if (q->measured)
    {
      db->result.failed[why]++;
      db->row_failed++;
    }
  Job *job = q->job;
  if (job->orphan || c->owner == NULL)
    {
      drop_orphan (w, q);
      return;
    }
  if (work->retry && q->attempt < work->retries)
    {
      q->attempt++;
      if (q->measured)
        db->result.retries++;
      double cap = (double) work->backoff * ldexp (1.0, q->attempt - 1);
      StratusTime delay = (StratusTime) (cap * gsl_rng_uniform (c->rng));
      q->state = QUERY_BACKOFF;
      q->generation++;
      stratus_sim_schedule (w->sim, delay, on_retry, q, q->generation);
      return;
    }
  if (q->measured)
    db->result.requests_failed++;
  query_give (w, q);
  request_path_job_failed (w, job, work->failure_status == 502
                                       ? STRATUS_OUTCOME_502_DATABASE_ERROR
                                       : STRATUS_OUTCOME_500_DATABASE_ERROR);
}

bool
db_client_begin (World *w, Job *job)
{
  DbClient *c = job->instance->db_client;
  double per_request = c->work->queries;
  unsigned n = (unsigned) per_request;
  double fraction = per_request - n;
  if (fraction > 0 && gsl_rng_uniform (c->rng) < fraction)
    n++;
  if (n == 0)
    return false;
  DbQuery *q = object_pool_take (&w->db_queries);
  uint32_t generation = q->generation;
  *q = (DbQuery){ .job = job, .client = c, .generation = generation,
                  .queries_left = (uint16_t) MIN (n, UINT16_MAX), .measured = job->measured,
                  .member = -1 };
  draw_query (q);
  acquire (w, q);
  return true;
}

/* ---- clients ------------------------------------------------------------------------------- */

DbClient *
db_client_new (World *w, Instance *inst, bool streams)
{
  if (!inst->fleet->database.enabled || w->databases == NULL || !streams)
    return NULL;
  Database *db = g_ptr_array_index (w->databases, inst->fleet->database.index);
  DbClient *c = g_new0 (DbClient, 1);
  c->owner = inst;
  c->endpoint = inst->endpoint;
  c->db = db;
  c->work = &inst->fleet->database;
  char *source = g_strdup_printf ("instance.%s.database", inst->name);
  c->rng = stratus_rng_stream_new (w->seed, w->replication, source);
  g_free (source);
  c->open = g_new0 (uint16_t, db->n_members);
  c->busy = g_new0 (uint16_t, db->n_members);
  c->paths = g_new0 (StratusPathRef, db->n_members);
  for (int e = 0; e < STRATUS_N_DB_ENDPOINTS; e++)
    {
      c->cached[e] = -1;
      c->cached_until[e] = 0;
    }
  deadline_ring_init (&c->timeouts, query_live);
  g_ptr_array_add (db->clients, c);
  return c;
}

/* Closes `c`'s idle connections and drops its waiting queries (their jobs are orphans);
 * the connections lent now close when their queries end (`epoch` moves on). */
static void
close_connections (World *w, DbClient *c)
{
  StratusTime now = stratus_sim_now (w->sim);
  for (unsigned k = 0; k < c->db->n_members; k++)
    {
      DbMember *m = &c->db->members[k];
      unsigned idle = (unsigned) (c->open[k] - c->busy[k]);
      if (m->up && idle > 0)
        member_connections_add (c->db, m, -(int) idle, now);
      c->open_total -= (int) idle;
      c->open[k] = c->busy[k];
    }
  c->epoch++;
  while (c->wait_head != NULL)
    {
      DbQuery *q = c->wait_head;
      c->wait_head = q->next;
      drop_orphan (w, q);
    }
  c->wait_tail = NULL;
}

void
db_client_app_killed (World *w, DbClient *c)
{
  if (c != NULL && c->owner != NULL)
    close_connections (w, c);
}

void
db_client_close (World *w, DbClient *c)
{
  if (c == NULL || c->owner == NULL)
    return;
  close_connections (w, c);
  c->owner = NULL;
  g_clear_pointer (&c->rng, gsl_rng_free); /* nothing draws for a client without instance */
  forget_ring_if_idle (c);
}

void
db_clients_member_reset (World *w, Database *db, DbMember *m)
{
  for (guint i = 0; i < db->clients->len; i++)
    {
      DbClient *c = g_ptr_array_index (db->clients, i);
      unsigned idle = (unsigned) (c->open[m->index] - c->busy[m->index]);
      c->open[m->index] = c->busy[m->index];
      c->open_total -= (int) idle;
    }
}

void
db_client_free (DbClient *c)
{
  if (c == NULL)
    return;
  g_clear_pointer (&c->rng, gsl_rng_free);
  g_free (c->open);
  g_free (c->busy);
  g_free (c->paths);
  deadline_ring_clear (&c->timeouts);
  g_free (c);
}
