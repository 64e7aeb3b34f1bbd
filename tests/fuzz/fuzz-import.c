/* Deterministic fuzzer of `stratus import`, part of the test suite: N seeded mutations of
 * CloudFormation templates (YAML and JSON) and Terraform plans, each read the way the CLI
 * reads it (stratus_tf_text_is_plan decides) with random options (region, stack name,
 * parameters, some of them hostile), then mapped to a scenario. Every stage must give its
 * result or exactly one error line "file:LINE:COLUMN: message"; never a crash, a sanitizer
 * report, a GLib critical or a hang. A scenario the import writes must be well-formed YAML
 * (whatever a template's strings hold: line breaks, quotes, '#', control characters), and
 * every 10th import is done twice and must give the same bytes.
 *
 *   fuzz-import [--seed S] [--runs N] [--cwd DIR] CORPUS_DIR...
 *
 * The corpus is every *.yaml, *.json and *.template of the folders. With
 * STRATUS_FUZZ_VERBOSE set, every refusal's line is printed on stderr. Ends with
 * "fuzz-import: E executions (I imported, R refused), F findings, seed S"; exit status 1 if
 * F > 0. See tests/fuzz/README.md. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "fuzz-import-check.h"

typedef struct
{
  guint64 executions, imported, refused, scenarios_loaded;
  unsigned findings;
} Counts;

/* The options of one execution (strings borrowed from static tables or the text). */
typedef struct
{
  const char *region, *stack_name;
  char *params[3]; /* "Name=Value", NULL-terminated; owned */
} Options;

/* Strings that break naive writers of YAML (and the header's comments): line breaks of
 * every kind, quotes, comment and flow indicators, control characters, long text. */
static const char *const HOSTILE[] = {
  "a\nb: c", "x\r\ny", "line\xc2\x85" "break", "para\xe2\x80\xa9" "graph", "tab\there", "# comment",
  "key: value", "'single'", "\"double\"", "back\\slash", "{flow: map}", "[1, 2]", "*alias",
  "&anchor", "!Ref Other", "- item", "? q", "%TAG", "@at", "`tick`", "|", ">", "",
  " leading", "trailing ", "bell\007", "esc\033[1m", "del\177", "nul-free\001\002",
  "${AWS::Region}", "${Missing}", "${!Literal}", "10.0.0.0/16", "t3.micro", "-1", "1e308",
  "9999999999999999999999", "NaN", "true", "null", "~", "yes", "0x1F",
  "very long long long long long long long long long long long long long long long long "
  "long long long long long long long long long long long long long long long long long",
  NULL,
};

static const char *const REGIONS[] = {
  "us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "mars-north-1", "", "us-east-1\n",
  "EU-WEST-1", "us-east-1 ", "a\xc2\x85" "b", NULL,
};

static size_t
count_strings (const char *const *list)
{
  size_t n = 0;
  while (list[n] != NULL)
    n++;
  return n;
}

static const char *
pick_string (GRand *rand, const char *const *list)
{
  return list[g_rand_int_range (rand, 0, (gint32) count_strings (list))];
}

/* A JSON string literal's body for `text` (quotes and backslashes escaped, control
 * characters as \uXXXX). Caller frees. */
static char *
json_body (const char *text)
{
  GString *s = g_string_new (NULL);
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    if (*p == '"' || *p == '\\')
      g_string_append_printf (s, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7f)
      g_string_append_printf (s, "\\u%04x", *p);
    else
      g_string_append_c (s, (char) *p);
  return g_string_free (s, FALSE);
}

/* A YAML double-quoted scalar for `text`. Caller frees. */
static char *
yaml_quoted (const char *text)
{
  char *body = json_body (text); /* JSON's escapes are YAML's too */
  char *quoted = g_strdup_printf ("\"%s\"", body);
  g_free (body);
  return quoted;
}

/* The dictionary: property names (CloudFormation's and a plan's) whose values the importer
 * writes into the scenario, so that hostile strings reach the writer often (a random line
 * rarely holds one of them). */
static const char *const WRITTEN_KEYS[] = {
  "HealthCheckPath", "Recurrence", "InstanceType", "CidrBlock", "CidrIp", "AvailabilityZone",
  "Port", "DBInstanceClass", "ImageId", "Threshold", "Description", "HealthCheckType",
  "Scheme", "DestinationCidrBlock", "AllocatedStorage", "RuleAction", "MinSize", "MaxSize",
  "DesiredCapacity", "Value", "ScalingAdjustment", "Engine", "TargetValue", "Cooldown",
  "Period", "\"path\"", "\"instance_type\"", "\"cidr_block\"", "\"availability_zone\"",
  "\"recurrence\"", "\"instance_class\"", "\"ami\"", "\"threshold\"", "\"port\"",
  "\"health_check_type\"", "\"min_size\"", "\"description\"", NULL,
};

/* A position in `text` (n bytes): half of the time where a WRITTEN_KEYS name occurs (when
 * one does), else anywhere. */
static size_t
injection_point (GRand *rand, const char *text, size_t n)
{
  if (g_rand_boolean (rand))
    {
      GArray *found = g_array_new (FALSE, FALSE, sizeof (size_t));
      for (int k = 0; WRITTEN_KEYS[k] != NULL; k++)
        for (const char *p = strstr (text, WRITTEN_KEYS[k]); p; p = strstr (p + 1, WRITTEN_KEYS[k]))
          {
            size_t at = (size_t) (p - text);
            g_array_append_val (found, at);
          }
      size_t at = found->len > 0
                    ? g_array_index (found, size_t, g_rand_int_range (rand, 0, (gint32) found->len))
                    : (size_t) g_rand_int_range (rand, 0, (gint32) MAX (n, 1));
      g_array_free (found, TRUE);
      return at;
    }
  return (size_t) g_rand_int_range (rand, 0, (gint32) MAX (n, 1));
}

/* Replaces one string value of `text` with a hostile one: in JSON the body of the first
 * string literal after the injection point that follows a ':' or sits in a list; in YAML
 * the rest of the point's line when it reads "key: value". Keeps the text well-formed, so
 * that the hostile value reaches the importer. Caller frees. */
static char *
inject_string (GRand *rand, const char *text)
{
  const char *hostile = pick_string (rand, HOSTILE);
  size_t n = strlen (text);
  GString *s = g_string_new (text);
  bool json = text[strspn (text, " \t\r\n")] == '{';
  for (int attempt = 0; attempt < 8; attempt++)
    {
      size_t at = injection_point (rand, text, n);
      if (json)
        {
          /* the next string literal after `at` that is a value: '"' preceded by ':' or ',' or '[' */
          const char *q = strchr (text + at, '"');
          while (q != NULL)
            {
              const char *b = q;
              while (b > text && (b[-1] == ' ' || b[-1] == '\n' || b[-1] == '\t'))
                b--;
              if (b > text && (b[-1] == ':' || b[-1] == '['))
                break;
              q = strchr (q + 1, '"');
            }
          if (q == NULL)
            continue;
          const char *end = q + 1;
          while (*end && *end != '"')
            end += end[0] == '\\' && end[1] ? 2 : 1;
          if (*end != '"')
            continue;
          char *body = json_body (hostile);
          g_string_erase (s, (gssize) (q + 1 - text), end - q - 1);
          g_string_insert (s, (gssize) (q + 1 - text), body);
          g_free (body);
          return g_string_free (s, FALSE);
        }
      /* YAML: the line holding `at`, if it reads "key: value" */
      size_t start = at;
      while (start > 0 && text[start - 1] != '\n')
        start--;
      const char *eol = strchr (text + start, '\n');
      size_t end = eol != NULL ? (size_t) (eol - text) : n;
      const char *colon = g_strstr_len (text + start, (gssize) (end - start), ": ");
      if (colon == NULL || strchr ("|>", colon[2]) != NULL)
        continue;
      size_t from = (size_t) (colon + 2 - text);
      char *quoted = yaml_quoted (hostile);
      bool tagged = g_rand_boolean (rand) && text[from] == '!';
      if (tagged) /* keep a short-form tag, so that the value reaches an intrinsic */
        while (from < end && text[from] != ' ')
          from++;
      g_string_erase (s, (gssize) from, (gssize) (end - from));
      g_string_insert (s, (gssize) from, tagged ? " " : "");
      g_string_insert (s, (gssize) from + (tagged ? 1 : 0), quoted);
      g_free (quoted);
      return g_string_free (s, FALSE);
    }
  return g_string_free (s, FALSE);
}

/* Random options for `text`: a region, a stack name, and up to two parameters named after
 * words of the text (so that real parameter names come up) with random values. The
 * corpus' one parameter without a default (DbPassword) is given when the text has it, most
 * of the time, so that its mutants go past the parameters. */
static void
random_options (GRand *rand, const char *text, Options *o)
{
  memset (o, 0, sizeof *o);
  int r = g_rand_int_range (rand, 0, 16);
  o->region = r == 0 ? pick_string (rand, REGIONS) : r == 1 ? "eu-west-1" : NULL;
  o->stack_name = g_rand_int_range (rand, 0, 6) == 0 ? pick_string (rand, HOSTILE) : NULL;
  int nparams = g_rand_int_range (rand, 0, 6) == 0 ? g_rand_int_range (rand, 1, 3) : 0;
  int i = 0;
  if (strstr (text, "DbPassword:") != NULL && g_rand_int_range (rand, 0, 8) != 0)
    o->params[i++] = g_strdup ("DbPassword=fuzz");
  size_t n = strlen (text);
  for (; i < nparams && n > 0; i++)
    {
      /* the word at a random point: a run of letters and digits */
      size_t at = (size_t) g_rand_int_range (rand, 0, (gint32) n);
      while (at > 0 && g_ascii_isalnum (text[at - 1]))
        at--;
      size_t len = 0;
      while (g_ascii_isalnum (text[at + len]))
        len++;
      const char *value = g_rand_boolean (rand) ? pick_string (rand, HOSTILE) : "1";
      o->params[i] = len > 0 ? g_strdup_printf ("%.*s=%s", (int) len, text + at, value)
                             : g_strdup_printf ("=%s", value);
    }
}

static void
options_clear (Options *o)
{
  for (int i = 0; o->params[i] != NULL; i++)
    g_free (o->params[i]);
}

/* The options as one line, for a finding's .override file. Caller frees. */
static char *
options_line (const Options *o)
{
  return g_strdup_printf ("region=%s stack=%s params=%s,%s", o->region ? o->region : "-",
                          o->stack_name ? o->stack_name : "-", o->params[0] ? o->params[0] : "-",
                          o->params[1] ? o->params[1] : "-");
}

/* Imports `text` with `o` and checks every stage (fuzz-import-check.c); `twice`: imports
 * again and compares. */
static void
try_input (const char *text, const Options *o, bool twice, unsigned seconds, Counts *counts)
{
  char *opts = options_line (o);
  FuzzImportOptions options = { .region = o->region, .stack_name = o->stack_name,
                                .params = (const char *const *) o->params };
  FuzzImportOutcome outcome;
  fuzz_watch_begin (text, opts, seconds);
  char *why = fuzz_import_check (text, &options, twice, &outcome);
  fuzz_watch_end ();
  counts->executions++;
  counts->refused += outcome == FUZZ_IMPORT_REFUSED;
  counts->imported += outcome != FUZZ_IMPORT_REFUSED;
  counts->scenarios_loaded += outcome == FUZZ_IMPORT_LOADED;
  if (why != NULL)
    fuzz_save_finding ("fuzz-import", ++counts->findings, text, opts, why);
  g_free (why);
  g_free (opts);
}

int
main (int argc, char **argv)
{
  FuzzArgs args = { 0 };
  fuzz_args_parse (&args, "fuzz-import", 6000, argc, argv);
  static const char *const suffixes[] = { ".yaml", ".json", ".template", NULL };
  GError *error = NULL;
  FuzzCorpus *corpus = fuzz_corpus_load_files ((const char *const *) args.corpus, suffixes,
                                               &error);
  if (corpus == NULL)
    {
      fprintf (stderr, "fuzz-import: %s\n", error->message);
      g_error_free (error);
      return 2;
    }
  fuzz_watch_install ("fuzz-import");
  GRand *rand = g_rand_new_with_seed_array ((const guint32[]) { (guint32) args.seed,
                                                                (guint32) (args.seed >> 32) },
                                            2);
  Counts counts = { 0 };
  gint64 start = g_get_monotonic_time ();
  Options none = { 0 };
  /* Each corpus text is first tried as it is, then mutants: byte-level (fuzz-mutate.c) or
   * a hostile string put into a value, each with random options. */
  for (guint i = 0; i < corpus->texts->len && counts.executions < args.runs; i++)
    try_input (g_ptr_array_index (corpus->texts, i), &none, true, args.seconds, &counts);
  while (counts.executions < args.runs)
    {
      const char *base
        = g_ptr_array_index (corpus->texts, g_rand_int_range (rand, 0, (gint32) corpus->texts->len));
      char *mutant = g_rand_int_range (rand, 0, 3) == 0 ? fuzz_mutate_bytes (rand, base, corpus)
                                                        : inject_string (rand, base);
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          char *more = inject_string (rand, mutant);
          g_free (mutant);
          mutant = more;
        }
      Options o;
      random_options (rand, mutant, &o);
      try_input (mutant, &o, counts.executions % 10 == 0, args.seconds, &counts);
      options_clear (&o);
      g_free (mutant);
    }
  double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  printf ("fuzz-import: corpus of %u texts, %.1f s, %" G_GUINT64_FORMAT
          " written scenarios loaded\n",
          corpus->texts->len, seconds, counts.scenarios_loaded);
  printf ("fuzz-import: %" G_GUINT64_FORMAT " executions (%" G_GUINT64_FORMAT " imported, "
          "%" G_GUINT64_FORMAT " refused), %u findings, seed %" G_GUINT64_FORMAT "\n",
          counts.executions, counts.imported, counts.refused, counts.findings, args.seed);
  g_rand_free (rand);
  fuzz_corpus_free (corpus);
  fuzz_args_clear (&args);
  return counts.findings > 0 ? 1 : 0;
}
