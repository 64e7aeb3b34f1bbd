/* Databases (RDS) in the world: each database is a set of members (writer, standbys,
 * readers, replicas), each a station whose workers are its vCPUs, with a count of open
 * connections; endpoints answered through DNS records that clients cache for the TTL;
 * replication (synchronous standbys, asynchronous replicas with a finite apply rate,
 * Aurora readers with a constant lag); failures, failovers, promotions, restores and
 * snapshots. Instances reach it through their DbClient (db_client.c): a connection pool,
 * cached DNS answers and the queries of their jobs.
 *
 *   database.c          members, roles, endpoints, failures and failovers, actions
 *   db_replication.c    replica lag, stale reads, writes, snapshots and storage
 *   db_client.c         an instance's queries: pool, DNS, network, retries
 *   database_figures.c  per-interval rows and the results */
#pragma once

#include <gsl/gsl_rng.h>

#include "deadline_ring.h"
#include "world.h"

typedef struct Database Database;
typedef struct DbMember DbMember;
typedef struct DbClient DbClient;
typedef struct DbQuery DbQuery;
typedef struct DbExec DbExec;

/* The client side of one query of a job: from its need of a connection to its answer
 * (across retries). From the world's pool; `generation` moves on at each attempt and at
 * release, and every event about it carries the generation it was sent with. */
typedef enum
{
  QUERY_FREE,
  QUERY_WAITING_CONNECTION, /* in its client's wait list */
  QUERY_IN_FLIGHT,          /* sent: waiting for the answer or the timeout */
  QUERY_BACKOFF,            /* waiting to retry */
} QueryState;

struct DbQuery
{
  DbQuery *next;          /* free list, or the client's wait list */
  Job *job;
  DbClient *client;
  uint32_t generation;
  uint8_t state;          /* QueryState */
  uint8_t endpoint;       /* StratusDbEndpoint */
  uint8_t attempt;        /* 0 for the first */
  uint16_t queries_left;  /* of its job, this one included */
  bool write;
  bool measured;
  int16_t member;         /* where the current attempt goes */
  uint32_t member_epoch;  /* that member's epoch when the connection was taken */
  uint32_t client_epoch;  /* its client's, likewise */
  StratusTime waited_from; /* entered the wait list */
  StratusTime sent;       /* the current attempt left the instance */
};

/* The database side of one attempt: queued or served at a member. */
struct DbExec
{
  StationItem link;       /* first: station queue, free list */
  DbQuery *query;
  uint32_t generation;    /* the query's, when sent */
  uint32_t epoch;         /* the member's when it arrived */
  DbMember *member;
  bool write;
  bool measured;
  int8_t failure;         /* on the way back: a StratusQueryFailure, or -1 (answered) */
  StratusTime arrived;
  int slot;               /* in member->serving while served; -1 otherwise */
};

/* A retained snapshot. */
typedef struct
{
  StratusTime at;
  uint64_t bytes;          /* the first: the data; later ones: the bytes written since */
  uint64_t writes_at;      /* the database's committed writes when it was taken */
  uint64_t data_bytes;     /* the data when it was taken (a restore starts from it) */
  bool automated;
} Snapshot;

/* Why a member is down (bits): it is up when none is left. */
enum
{
  DOWN_INSTANCE = 1, /* its instance failed (fail_writer): its recovery timer clears it */
  DOWN_AZ = 2,       /* its AZ is down */
  DOWN_REBOOT = 4,   /* rebooting for a manual failover, until the failover completes */
  DOWN_RESTORE = 8,  /* being replaced by a restore */
  DOWN_DETACHED = 16, /* left the database (a promoted replica's old writer): for good */
};

struct DbMember
{
  Database *db;
  unsigned index;
  const StratusDbMemberConfig *config;
  int endpoint;
  StratusDbRole role;
  bool up;                 /* down == 0 */
  uint8_t down;            /* DOWN_* causes */
  uint32_t epoch;          /* moves on at each failure: connections and work before it are gone */
  bool detached;           /* a promoted replica's old writer: no longer part of it */
  Station station;         /* workers: vCPUs; unlimited FIFO run queue */
  DbExec **serving;        /* the attempts on a vCPU (capacity: vCPUs) */
  StratusTimer *serving_timers;
  unsigned n_serving;
  gsl_rng *rng;            /* read and write times */
  int connections;
  int peak_connections;
  StratusTimeAverage connections_avg;
  uint64_t served;         /* in the window */
  StratusTimer recover_timer;
  /* replication, when it lags (replica: backlog of writes applied at apply_rate) */
  double backlog;          /* writes committed, not applied (replicas) */
  StratusTime backlog_at;  /* when backlog was brought up to date */
  double lag_area;         /* lag seconds x ns, since the window opened */
  double lag_max_s;        /* since the window opened */
  double row_lag_max_s;    /* since the row opened */
  double row_cpu_mark, row_lag_mark, row_conn_mark;
};

struct Database
{
  const StratusDatabaseConfig *config;
  unsigned index;
  DbMember *members;
  unsigned n_members;
  int writer;              /* member accepting writes; -1 while there is none */
  int writer_record;       /* the member the writer endpoint's DNS record names */
  unsigned reader_next;    /* the reader endpoint's rotation */
  gsl_rng *rng;            /* detection and promotion times */
  GPtrArray *clients;      /* DbClient*, owned: every instance's, gone ones included */
  /* a failover under way */
  bool failing_over;
  StratusFailoverRecord pending;
  StratusTimer failover_timer;
  bool restoring;
  /* writes, storage and snapshots */
  uint64_t writes_total;   /* committed, whole run */
  uint64_t writes_at_snapshot; /* writes_total when the latest snapshot was taken */
  uint64_t data_bytes;     /* storage in use */
  GArray *snapshots;       /* Snapshot, oldest first */
  double snapshot_area;    /* retained bytes x ns, whole run */
  StratusTime snapshot_area_at;
  StratusTime last_write_at; /* the latest commit (Aurora readers' lag) */
  StratusTime aurora_covered_until;
  double aurora_lag_area;  /* lagging time x lag seconds (all Aurora readers alike) */
  double row_aurora_mark;  /* aurora_lag_area when the row opened */
  bool row_aurora_lagged;  /* a write in the row (Aurora readers lagged) */
  StratusTime no_writer_since; /* NEVER while there is a writer */
  /* figures (the window) */
  StratusDatabaseResult result;  /* counters, histograms, logs; members filled at the end */
  StratusHistogram *row_latency;
  uint64_t row_queries, row_failed, row_stale;
};

/* An instance's side of a database: its connection pool, its cached DNS answers, and
 * the queries of its jobs. Owned by its database (outlives the instance, so that late
 * events find it); `owner` is NULL once the instance is gone. */
struct DbClient
{
  Instance *owner;
  int endpoint;            /* the instance's, in the topology */
  Database *db;
  const StratusDbWorkConfig *work;
  gsl_rng *rng;            /* query counts, writes, the reader rotation's jitter, backoff */
  uint32_t epoch;          /* moves on when its application is killed: its connections go */
  int in_use;              /* connections lent to queries */
  int open_total;
  uint16_t *open, *busy;   /* per member: connections open to it, and of those lent */
  DbQuery *wait_head, *wait_tail;
  DeadlineRing timeouts;
  int cached[STRATUS_N_DB_ENDPOINTS];        /* member the cached DNS answer names */
  StratusTime cached_until[STRATUS_N_DB_ENDPOINTS];
  StratusPathRef *paths;   /* per member: instance -> member */
};

/* ---- database.c ---- */

/* Builds the world's databases (every member up in its starting role) and schedules
 * their actions and automated snapshots. */
void databases_start (World *w);

/* Frees the world's databases. */
void databases_free (World *w);

/* The member the endpoint `endpoint` of `client`'s database names for `client` now (its
 * cached DNS answer, resolved again when the TTL has run out); -1 when there is none. */
int database_resolve (World *w, DbClient *client, StratusDbEndpoint endpoint, int member);

/* Member `m` is down now for `cause` (a DOWN_* bit; DOWN_INSTANCE recovers after
 * `recover_after`, NEVER: not by itself). If it was up, its work and connections are gone
 * and a writer's failure starts a failover where there is a candidate. */
void database_member_fail (World *w, Database *db, DbMember *m, unsigned cause,
                           StratusTime recover_after, const char *why);

/* `cause` no longer holds member `m` down; with no cause left it is back now (as its
 * role says). */
void database_member_clear (World *w, Database *db, DbMember *m, unsigned cause);

/* A manual failover now (reboot with failover): the writer reboots, a standby or reader
 * takes over; skipped (in the timeline) when there is no writer or no candidate. */
void database_manual_failover (World *w, Database *db);

/* The writer reboots without failover now, down for `duration`. */
void database_reboot (World *w, Database *db, StratusTime duration);

/* An AZ went down or came back: members in it fail or recover. */
void databases_az_changed (World *w, int az, bool down);

/* Opens the measurement window at `now`. */
void databases_open_window (World *w, StratusTime now);

/* ---- db_replication.c ---- */

/* A write committed on the writer at `now`. */
void replication_write (World *w, Database *db, StratusTime now);

/* True if a read served by `m` now is stale (m has not applied every committed write). */
bool replication_stale (World *w, Database *db, DbMember *m, StratusTime now);

/* Brings replica `m`'s backlog and lag area up to `now`. */
void replication_advance (Database *db, DbMember *m, StratusTime now);

/* Writes lost if `m` became the writer now (its backlog, rounded up). */
uint64_t replication_lost_if_promoted (Database *db, DbMember *m, StratusTime now);

/* Takes a snapshot now (`automated` or manual). */
void snapshot_take (World *w, Database *db, bool automated);

/* Schedules the automated snapshots (daily in the backup window). */
void snapshots_start (World *w, Database *db);

/* Brings the snapshot storage integral up to `now`. */
void snapshot_account (Database *db, StratusTime now);

/* ---- db_client.c ---- */

/* The database client of `inst` (whose fleet has database work), or NULL with no
 * streams (a check). */
DbClient *db_client_new (World *w, Instance *inst, bool streams);

/* `job` has done its service: runs its queries one after the other, then hands it back
 * to the request path (request_path_queries_done, or request_path_job_failed). False if
 * it has no query to make (nothing was started). */
bool db_client_begin (World *w, Job *job);

/* The instance is gone: its connections close, its waiting queries go with their jobs. */
void db_client_close (World *w, DbClient *client);

/* The attempt `exec` at member `m` was cut off (failure): the client hears `failure`. */
void db_client_attempt_failed (World *w, DbExec *exec, StratusQueryFailure failure);

/* The instance's application was killed (its jobs are cut off already): its idle
 * connections close, its waiting queries go, those in flight close theirs when they end. */
void db_client_app_killed (World *w, DbClient *client);

/* Every connection to member `m` is gone (it failed): pools forget them. */
void db_clients_member_reset (World *w, Database *db, DbMember *m);

/* Frees a client (the database's clients array does). */
void db_client_free (DbClient *client);

/* ---- database_figures.c ---- */

/* Closes the database rows of [from, now). */
void databases_close_row (World *w, StratusTime from, StratusTime now);

/* Moves each database's figures into `result`. */
void databases_fill_results (World *w, StratusRunResult *result, StratusTime end);

/* ---- timeline.c ---- */

/* Appends a database event about member `member` (NULL: the database itself). */
void timeline_database (World *w, StratusEventKind kind, const Database *db,
                        const DbMember *member, double value, const char *detail_format, ...)
  G_GNUC_PRINTF (6, 7);
