/*
 * wfsim.h - the public interface of the wfsim engine.
 *
 * wfsim simulates the workforce event model of docs/model.md: it reads a census,
 * a configuration and parameter tables, simulates every year in one pass and
 * writes the events as Hive-partitioned Parquet. A host program (the `wfsim`
 * command-line tool is one) needs only this header:
 *
 *     wf_error err = {0};
 *     wf_config *cfg = NULL; wf_tables *tab = NULL; wf_census *cen = NULL;
 *     if (wf_config_load("sim.yaml", &cfg, &err) == WF_OK &&
 *         wf_tables_load(NULL, &tab, &err) == WF_OK &&
 *         wf_census_load("census.csv", cfg, tab, &cen, &err) == WF_OK)
 *         wf_events_run(cfg, tab, cen, &opts, &err);
 *
 * Conventions: every fallible call returns a wf_status and fills the
 * caller's wf_error (file, line, column or configuration key, and a message
 * a user can act on). Whoever creates an object frees it. Loaded objects are
 * immutable and may be shared between threads.
 */
#ifndef WFSIM_H
#define WFSIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WF_VERSION "0.1.0"
#define WF_MODEL_VERSION 1

/* Status codes double as the command-line tool's exit codes. */
typedef enum wf_status {
    WF_OK = 0,
    WF_EINPUT = 2,   /* bad census, configuration or parameter table */
    WF_EIO = 3,      /* reading or writing a file failed */
    WF_ENOMEM = 4,   /* out of memory */
    WF_ERUNTIME = 5, /* the model met a state it refuses (e.g. salary above
                        the top income segment), or a child step failed */
    WF_EUSAGE = 64   /* bad command line */
} wf_status;

typedef struct wf_error {
    wf_status status;
    char file[512];     /* the input file concerned, or "" */
    long line, column;  /* 1-based position in `file`; 0 when unknown */
    char key[128];      /* configuration key ("workforce.termination_rate"), or "" */
    char message[1024]; /* what is wrong and what was expected */
} wf_error;

/* "file:line:column: message" (parts that are unknown are left out) into
 * buf, always NUL-terminated. */
void wf_error_format(const wf_error *err, char *buf, size_t size);

/* ---- configuration (docs/model.md 2.2) --------------------------------------- */

typedef struct wf_config wf_config;

/* Loads a YAML configuration; path NULL gives every default of docs/model.md.
 * On success *out is owned by the caller (wf_config_free). */
wf_status wf_config_load(const char *path, wf_config **out, wf_error *err);
/* A command-line override: the dotted key, the text given, and how the
 * user gave it (an option name such as "--start", for messages; NULL:
 * "an override"). */
typedef struct wf_config_override {
    const char *key, *value, *origin;
} wf_config_override;

/* wf_config_load, then the overrides in order, then the cross-key rules
 * once on the final values (1900 <= start_year <= end_year <= 2200, ...).
 * An override's value is the text given, not YAML: an id is the text
 * itself, checked by the id rule; integers and seeds are plain digits;
 * other keys are typed as a plain YAML scalar. Errors name the override's
 * origin, or the file's line and key. */
wf_status wf_config_load_with(const char *path, const wf_config_override *ov, size_t n_ov,
                              wf_config **out, wf_error *err);
/* Sets one key from text, as if written in the YAML file ("simulation.
 * start_year", "2026"), then re-checks the cross-key rules. */
wf_status wf_config_set(wf_config *cfg, const char *key, const char *value,
                        wf_error *err);
void wf_config_free(wf_config *cfg);
/* A copy of cfg, owned by the caller (wf_config_free); NULL when out of
 * memory. */
wf_config *wf_config_copy(const wf_config *cfg);
/* The effective configuration in the canonical JSON of docs/config.md,
 * malloc'ed, caller frees. Its SHA-256 is the configuration digest. */
char *wf_config_to_json(const wf_config *cfg);
/* The `plan_design` section as one JSON object {"match_formula":"tiers",
 * ...} (docs/config.md), malloc'ed, caller frees; not part of the
 * canonical JSON nor the digest (the events do not depend on it). */
char *wf_config_plan_design_json(const wf_config *cfg);
/* Lower-hex SHA-256 of wf_config_to_json into hex (65 bytes). */
void wf_config_digest(const wf_config *cfg, char hex[65]);
int wf_config_start_year(const wf_config *cfg);
int64_t wf_config_random_seed(const wf_config *cfg);
/* simulation.scenario_id, valid while cfg lives. */
const char *wf_config_scenario_id(const wf_config *cfg);
int wf_config_end_year(const wf_config *cfg);
/* The runner's `performance` section: 0 = fast, 1 = sql; threads 0 = all. */
int wf_config_mode(const wf_config *cfg);
int wf_config_threads(const wf_config *cfg);
/* The `thresholds` section (docs/config.md), not part of the canonical
 * form: the metrics given a threshold, in the section's fixed order, into
 * metric[] / value[] (at most max); returns how many are set. The names
 * are static. */
int wf_config_thresholds(const wf_config *cfg, const char **metric,
                         double *value, int max);

/* ---- parameter tables (docs/model.md 2.3) ------------------------------------ */

typedef struct wf_tables wf_tables;

/* Loads the tables from dir (files named as in dbt/seeds/), or the built-in
 * copies of the shipped defaults when dir is NULL. */
wf_status wf_tables_load(const char *dir, wf_tables **out, wf_error *err);
/* The same; every row of a table is read, and a table with bad rows is
 * refused listing them to report when it is not NULL (as
 * wf_census_load_report does): the first 100 rows' errors, then the total
 * when above one. Rules over a whole table (tiling, missing rows) are
 * checked once its rows are clean. */
wf_status wf_tables_load_report(const char *dir, FILE *report, wf_tables **out,
                                wf_error *err);
void wf_tables_free(wf_tables *tab);

/* ---- census (docs/model.md 2.1) ---------------------------------------------- */

typedef struct wf_census wf_census;

/* Loads the census under the configuration's `census` section (column
 * mapping, date format, invalid_rows; cfg NULL: the defaults). Every row
 * is read: a row breaking a rule of its own cells (or sharing a
 * duplicated employee_id: every such row) is refused, and reading goes
 * on. Strict (the default): a file with any refused row is refused,
 * err naming the first. Skip: those rows are left out and kept for
 * wf_census_write; a census with no active employee left is refused.
 * Problems of the file as a whole (header, CSV syntax, encoding, a field
 * count) stop at once. docs/inputs.md has the rules and the messages. */
wf_status wf_census_load(const char *path, const wf_config *cfg,
                         const wf_tables *tab, wf_census **out, wf_error *err);
/* The same; when a strict load is refused for row errors and report is
 * not NULL, the errors of the first 100 refused rows are printed there,
 * one a line in file order ("file:line:column: message"), then the total
 * ("... and 164 more; 264 rows with errors in all") when above one. */
wf_status wf_census_load_report(const char *path, const wf_config *cfg,
                                const wf_tables *tab, FILE *report,
                                wf_census **out, wf_error *err);
size_t wf_census_count(const wf_census *cen);
void wf_census_free(wf_census *cen);

/* What a load did. */
typedef struct wf_census_info {
    size_t rows;       /* data rows of the file */
    size_t employees;  /* active employees loaded (wf_census_count) */
    size_t skipped;    /* rows without error that are not active employees */
    size_t rejected;   /* rows rejected (skip mode; 0 in strict mode) */
    int skip_mode;     /* census.invalid_rows was skip */
} wf_census_info;
void wf_census_get_info(const wf_census *cen, wf_census_info *info);
/* Lower-hex SHA-256 of the accepted census into hex (65 bytes): of the
 * normalised rows of the loaded employees in file order, each written as
 * "employee_id,birth_date,hire_date,salary,level_id,deferral_rate,
 * auto_escalation_opt_out\n" (dates YYYY-MM-DD, salary with 2 decimals,
 * deferral rate with 4, the level in effect, true/false) - the text of
 * OUT/census.parquet's rows (docs/inputs.md). */
void wf_census_digest(const wf_census *cen, char hex[65]);
/* Writes DIR/census.parquet (the loaded employees, normalised: what both
 * modes and the dbt models read) and, when the census was read in skip
 * mode, DIR/rejected_rows.csv, each to a temporary name and renamed.
 * DIR must exist. */
wf_status wf_census_write(const wf_census *cen, const char *dir, wf_error *err);

/* Writes a deterministic synthetic census of n employees as of December 31
 * of start_year - 1 to path (written to a temporary file, then renamed). */
wf_status wf_census_generate(const char *path, long n, uint64_t seed,
                             int start_year, const wf_tables *tab,
                             wf_error *err);

/* ---- running the model -------------------------------------------------- */

typedef void (*wf_progress_fn)(void *ctx, const char *stage, int year,
                               double fraction);

typedef struct wf_run_options {
    const char *out_dir;   /* OUT: replaced as a whole when the run succeeds */
    int threads;           /* 0: all cores */
    int snapshots;         /* write OUT/workforce_snapshot/ (docs/model.md 5.2) */
    int debug_csv;         /* also write OUT/debug/events.csv, snapshot.csv */
    wf_progress_fn progress; /* optional, called from the calling thread */
    void *progress_ctx;
    FILE *report;          /* optional: the per-year table (headcounts and
                              the year's events, 75 columns) is printed here */
    int report_by_type;    /* with report: also the events of each year by
                              type (78 columns) */
    /* created_at of every event row: created_at_us (microseconds since
     * 1970-01-01 UTC) when created_at_set, else the wall clock at the
     * start of the run. The library reads no environment: the `wfsim`
     * tool sets this from $SOURCE_DATE_EPOCH. */
    int created_at_set;
    int64_t created_at_us;
    /* ZSTD level of the Parquet pages: 0 for the default (-3), else -7..-1
     * (zstd's fast levels) or 1..19 (other bytes, the same values; any
     * other value is WF_EINPUT). The tool sets it from $WFSIM_ZSTD_LEVEL. */
    int zstd_level;
    /* The MD5 lanes of the draws and event ids: 0 for the best this CPU has
     * (AVX-512 16, AVX2 8, else scalar), or 1, 8 or 16 for at most that
     * many (tests and benchmarks; the same bytes at every level; any other
     * value is WF_EINPUT). Process-wide from the run on. The tool sets it
     * from $WFSIM_MD5_LANES. */
    int md5_lanes;
    /* Leave OUT/census.parquet and OUT/rejected_rows.csv out (an ensemble
     * writes the census once for all its replicates); the summary still
     * records the census and its digest. */
    int no_census_files;
} wf_run_options;

/* Simulates start_year..end_year and writes OUT (docs/model.md 5). OUT is written
 * into a temporary directory beside it and renamed into place at the end;
 * on failure an existing OUT is left as it was. */
wf_status wf_events_run(const wf_config *cfg, const wf_tables *tab,
                        const wf_census *cen, const wf_run_options *opt,
                        wf_error *err);

/* ---- in-memory runs and Arrow (docs/python.md) ---------------------------
 *
 * The Arrow C data interface and C stream interface, as the Arrow
 * specification defines them (the ABI is fixed; the guards let a host that
 * already has them, from arrow/c/abi.h or nanoarrow, include this header
 * too). */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4
struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};
struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};
#endif
#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};
#endif

/* Loads a census from an Arrow stream of record batches holding the
 * columns of docs/model.md 2.1 (names and aliases as in the CSV). Cells may be
 * strings or typed (dates, timestamps, integers, decimals, floats,
 * booleans, dictionary-encoded strings); each is judged by the CSV
 * loader's rules on its text. Errors give `name` as the file, the 1-based
 * data row as the line and the 1-based column position as the column. The
 * stream is read to its end, not released (the caller owns it). */
wf_status wf_census_load_arrow(struct ArrowArrayStream *stream, const char *name,
                               const wf_config *cfg, const wf_tables *tab,
                               wf_census **out, wf_error *err);

/* Loads a configuration from YAML text in memory (name is the file in
 * error messages). Otherwise as wf_config_load. */
wf_status wf_config_parse(const char *name, const char *text, size_t len,
                          wf_config **out, wf_error *err);

typedef struct wf_result wf_result;

typedef struct wf_memrun_options {
    int threads;           /* 0: all cores */
    int snapshots;         /* keep the workforce snapshot of every year */
    int64_t created_at_us; /* the created_at column; < 0: the clock now */
} wf_memrun_options;

/* Simulates like wf_events_run but keeps every year's events (and
 * snapshot) in memory. The result holds its own copy of everything it
 * needs (the inputs may be freed once this returns). Thread-safe: runs
 * with separate results may go on at once. */
wf_status wf_run_memory(const wf_config *cfg, const wf_tables *tab,
                        const wf_census *cen, const wf_memrun_options *opt,
                        wf_result **out, wf_error *err);
/* The events (docs/model.md 5.1, plus simulation_year) or the snapshot (5.2,
 * plus simulation_year) as an Arrow stream, one record batch for each
 * year (or up to 1,048,576 rows of it). The columns are built the first
 * time they are asked for and kept: later streams and the arrays they
 * hand out share them (no copy), and keep the result alive until they
 * are released. Any number of streams, from any threads. Snapshot:
 * WF_EUSAGE when the run kept none. */
wf_status wf_result_events(wf_result *r, struct ArrowArrayStream *out, wf_error *err);
wf_status wf_result_snapshot(wf_result *r, struct ArrowArrayStream *out, wf_error *err);
int wf_result_has_snapshot(const wf_result *r);
/* The census rows skip mode left out (census.invalid_rows: skip; else
 * WF_EUSAGE), with the columns of OUT/rejected_rows.csv: line, column
 * (int64), reason, then the census's own columns as read (utf8); one
 * batch, none when no row was rejected. The stream holds its own copy. */
wf_status wf_result_rejected_rows(wf_result *r, struct ArrowArrayStream *out,
                                  wf_error *err);
int64_t wf_result_event_count(const wf_result *r);
/* generation_summary.json's text (docs/model.md 5.3), malloc'ed, caller frees;
 * NULL when out of memory. */
char *wf_result_summary_json(const wf_result *r);
/* Writes the layout of wf_events_run (events, snapshot when kept, summary)
 * into out_dir, replaced whole or not at all; the values are those of
 * wf_events_run with the same inputs and created_at. */
wf_status wf_result_write(wf_result *r, const char *out_dir, int threads,
                          wf_error *err);
/* Drops the caller's reference; the memory goes when the last stream or
 * array using it is released too. NULL is fine. */
void wf_result_free(wf_result *r);

/* ---- ensembles: scenarios x seeds ---------------------------------------- */

/* Called once per finished replicate, under a lock, from whichever thread
 * finished it: done of total replicates are written. */
typedef void (*wf_ensemble_progress_fn)(void *ctx, int done, int total);

typedef struct wf_ensemble_options {
    const char *out_dir;   /* OUT: replaced as a whole when the run succeeds */
    /* Every replicate's wf_events_run options but out_dir and threads:
     * created_at (when not set, the wall clock at the start of the
     * ensemble, the same for every replicate) and zstd_level. */
    wf_run_options run;
    int64_t first_seed;    /* seeds first_seed .. first_seed + n_seeds - 1 */
    int n_seeds;           /* >= 1 */
    int threads;           /* 0: all cores */
    wf_ensemble_progress_fn progress; /* optional */
    void *progress_ctx;
} wf_ensemble_options;

/* Runs every (scenario, seed) replicate: scenarios[i] with random_seed set
 * to each seed. The census and tables are shared (loaded once, read only);
 * up to `threads` replicates are simulated at once, each exactly as
 * wf_events_run would with that configuration, into
 *
 *   OUT/scenario_id=S/plan_design_id=P/random_seed=R/simulation_year=Y/part-00000.parquet
 *   OUT/scenario_id=S/plan_design_id=P/random_seed=R/generation_summary.json
 *   OUT/ensemble_summary.json
 *
 * so memory follows the replicates in flight, not their number, and the
 * files do not depend on the thread count. Errors: WF_EINPUT when the
 * scenarios' scenario_id values repeat or their years differ (key named),
 * else as wf_events_run (the first failing replicate's; OUT untouched). */
wf_status wf_ensemble_run(const wf_config *const *scenarios, int n_scenarios,
                          const wf_tables *tab, const wf_census *cen,
                          const wf_ensemble_options *opt, wf_error *err);

/* Makes directory `staging` the directory `final` in one atomic step (the
 * previous `final`, if any, is then deleted): for outputs written by other
 * programs, such as SQL mode's export. */
wf_status wf_dir_replace(const char *staging, const char *final, wf_error *err);

#endif
