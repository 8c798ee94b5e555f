/*
 * config_int.h - what the configuration loader (config.c) shares with the
 * plan design reader (plan_design.c), and nothing else includes.
 *
 * config.c walks the YAML events of the file; the flat sections go key by
 * key through its table. The plan_design section is nested (lists of
 * mappings, docs/config.md), so config.c copies it into a small tree of
 * cfg_node and hands the tree to wf_pd_read, which checks it against the
 * plan design's own shape. Scalars keep their text, style and position, so
 * both files type a value by the same YAML core-schema rules (cfg_resolve)
 * and report errors the same way (cfg_error: file, line, column, key).
 */
#ifndef WF_CONFIG_INT_H
#define WF_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "plan_design.h"
#include "wfsim.h"

typedef enum ytype { Y_NULL, Y_BOOL, Y_INT, Y_FLOAT, Y_STR } ytype;

typedef struct scalar {
    const char *text;
    size_t len;
    bool quoted;       /* any non-plain style: always a string */
    long line, column; /* 1-based; 0 for an override */
} scalar;

/* A YAML node of a nested section. A mapping's kids are 2 * n nodes, key
 * then value; a sequence's are its n items. For a mapping or sequence,
 * s holds only the position of its start. Texts are owned copies. */
typedef enum cfg_ntype { CFG_SCALAR, CFG_MAP, CFG_SEQ } cfg_ntype;

typedef struct cfg_node {
    cfg_ntype type;
    scalar s;
    size_t n;
    struct cfg_node *kids;
} cfg_node;

/* Frees what the node owns (not the node itself). */
void cfg_node_free(cfg_node *node);

/* The core-schema type of a scalar (docs/config.md). */
ytype cfg_resolve(const scalar *v);
/* "an integer", "a quoted string", ... for messages. */
const char *cfg_type_name(ytype t, bool quoted);
/* A printable copy of a scalar's text for messages (cut at 60 bytes). */
const char *cfg_show(const scalar *v, char buf[80]);
/* Sets a WF_EINPUT error at file:line:column naming `key` (unless err
 * already holds one) and returns WF_EINPUT. */
wf_status cfg_error(wf_error *err, const char *file, const char *key, long line,
                    long column, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Reads the plan_design section's mapping `sec` (from `file`, for
 * messages) over the defaults already in *pd: checks every key and value
 * against docs/config.md's shape, the first problem an error naming the
 * key path (plan_design.match.tiers[1].rate) and its position. On an
 * error *pd is left partly read: the caller discards the configuration. */
wf_status wf_pd_read(const cfg_node *sec, const char *file, wf_plan_design *pd,
                     wf_error *err);

#endif
