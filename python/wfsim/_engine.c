/*
 * _engine.c - the wfsim engine as a CPython extension module.
 *
 * Written against include/wfsim.h alone, as the command-line tool is. The
 * Python API (wfsim/_api.py) is the public face; this module does only
 * what needs C:
 *
 *   simulate(...)         loads configuration, tables and census (a path or
 *                         an Arrow stream capsule) and runs the model in
 *                         memory, the GIL released throughout; returns a
 *                         Result
 *   Result.stream(which)  a PyCapsule "arrow_array_stream" over the events
 *                         or the snapshot (zero copies: the arrays point
 *                         into the result, which they keep alive)
 *   Result.summary_json(), Result.write_parquet(dir, threads)
 *   config_json(...)      a configuration checked, as canonical JSON
 *   ensemble(...)         wf_ensemble_run: scenarios x seeds into a folder
 *   generate_census(...)  wf_census_generate
 *
 * Failures raise _engine.Error(status, file, line, column, key, message,
 * text); _api.py turns it into the wfsim exception of that status.
 * Nothing here keeps global state: calls from several threads run at once.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wfsim.h"

static PyObject *engine_error; /* _engine.Error */

static PyObject *raise_error(const wf_error *err)
{
    char text[2048];
    wf_error_format(err, text, sizeof text);
    PyObject *args = Py_BuildValue("(isllsss)", (int)err->status, err->file, err->line,
                                   err->column, err->key, err->message, text);
    if (args) {
        PyErr_SetObject(engine_error, args);
        Py_DECREF(args);
    }
    return NULL;
}

/* ---- Result ------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    wf_result *r;
} ResultObject;

static void result_dealloc(ResultObject *self)
{
    wf_result_free(self->r);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* A capsule's stream is released by whoever took it (the consumer sets
 * its release to NULL); one never taken is released here. */
static void stream_capsule_free(PyObject *capsule)
{
    struct ArrowArrayStream *s = PyCapsule_GetPointer(capsule, "arrow_array_stream");
    if (!s) {
        PyErr_WriteUnraisable(capsule);
        return;
    }
    if (s->release)
        s->release(s);
    free(s);
}

static PyObject *result_stream(ResultObject *self, PyObject *args)
{
    const char *which;
    if (!PyArg_ParseTuple(args, "s", &which))
        return NULL;
    wf_status (*open)(wf_result *, struct ArrowArrayStream *, wf_error *) =
        !strcmp(which, "events")     ? wf_result_events
        : !strcmp(which, "snapshot") ? wf_result_snapshot
        : !strcmp(which, "rejected") ? wf_result_rejected_rows
                                     : NULL;
    if (!open)
        return PyErr_Format(PyExc_ValueError, "no table '%s'", which);
    struct ArrowArrayStream *s = calloc(1, sizeof *s);
    if (!s)
        return PyErr_NoMemory();
    wf_error err = {0};
    wf_status st = open(self->r, s, &err);
    if (st != WF_OK) {
        free(s);
        return raise_error(&err);
    }
    PyObject *cap = PyCapsule_New(s, "arrow_array_stream", stream_capsule_free);
    if (!cap) {
        s->release(s);
        free(s);
    }
    return cap;
}

static PyObject *result_summary_json(ResultObject *self, PyObject *noargs)
{
    (void)noargs;
    char *text = wf_result_summary_json(self->r);
    if (!text)
        return PyErr_NoMemory();
    PyObject *o = PyUnicode_FromString(text);
    free(text);
    return o;
}

static PyObject *result_write_parquet(ResultObject *self, PyObject *args)
{
    PyObject *path_obj;
    int threads = 0;
    if (!PyArg_ParseTuple(args, "O&|i", PyUnicode_FSConverter, &path_obj, &threads))
        return NULL;
    wf_error err = {0};
    wf_status st;
    const char *path = PyBytes_AS_STRING(path_obj);
    Py_BEGIN_ALLOW_THREADS
    st = wf_result_write(self->r, path, threads, &err);
    Py_END_ALLOW_THREADS
    Py_DECREF(path_obj);
    if (st != WF_OK)
        return raise_error(&err);
    Py_RETURN_NONE;
}

static PyObject *result_get_events(ResultObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromLongLong((long long)wf_result_event_count(self->r));
}

static PyObject *result_get_has_snapshot(ResultObject *self, void *closure)
{
    (void)closure;
    return PyBool_FromLong(wf_result_has_snapshot(self->r));
}

static PyMethodDef result_methods[] = {
    {"stream", (PyCFunction)result_stream, METH_VARARGS,
     "stream('events' | 'snapshot' | 'rejected') -> PyCapsule 'arrow_array_stream'"},
    {"summary_json", (PyCFunction)result_summary_json, METH_NOARGS,
     "generation_summary.json's text"},
    {"write_parquet", (PyCFunction)result_write_parquet, METH_VARARGS,
     "write_parquet(dir, threads=0): the `wfsim events` layout into dir"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef result_getset[] = {
    {"event_count", (getter)result_get_events, NULL, "events over all years", NULL},
    {"has_snapshot", (getter)result_get_has_snapshot, NULL, "snapshot kept", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject ResultType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "wfsim._engine.Result",
    .tp_basicsize = sizeof(ResultObject),
    .tp_dealloc = (destructor)result_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An in-memory run of the engine (wrapped by wfsim.Result).",
    .tp_methods = result_methods,
    .tp_getset = result_getset,
};

/* ---- inputs ------------------------------------------------------------------------ */

/* What simulate and config_json receive, as C strings owned by Python
 * objects that outlive the call. */
typedef struct inputs {
    const char *config_path;        /* or NULL */
    const char *config_name;        /* with config_text */
    const char *config_text;        /* or NULL */
    Py_ssize_t config_len;
    const char *keys[16], *values[16];
    int n_overrides;
} inputs;

static int parse_overrides(PyObject *list, inputs *in)
{
    if (!PyList_Check(list) || PyList_GET_SIZE(list) > 16) {
        PyErr_SetString(PyExc_TypeError, "overrides: a list of at most 16 (key, value) pairs");
        return -1;
    }
    in->n_overrides = (int)PyList_GET_SIZE(list);
    for (int i = 0; i < in->n_overrides; i++) {
        if (!PyArg_ParseTuple(PyList_GET_ITEM(list, i), "ss", &in->keys[i], &in->values[i]))
            return -1;
    }
    return 0;
}

/* Loads and overrides the configuration (GIL released by the caller). */
static wf_status load_config(const inputs *in, wf_config **cfg, wf_error *err)
{
    wf_status st = in->config_text
                       ? wf_config_parse(in->config_name, in->config_text,
                                         (size_t)in->config_len, cfg, err)
                       : wf_config_load(in->config_path, cfg, err);
    for (int i = 0; st == WF_OK && i < in->n_overrides; i++)
        st = wf_config_set(*cfg, in->keys[i], in->values[i], err);
    return st;
}

static PyObject *py_config_json(PyObject *mod, PyObject *args)
{
    (void)mod;
    inputs in = {0};
    PyObject *overrides;
    if (!PyArg_ParseTuple(args, "zzz#O", &in.config_path, &in.config_name, &in.config_text,
                          &in.config_len, &overrides) ||
        parse_overrides(overrides, &in) < 0)
        return NULL;
    wf_error err = {0};
    wf_config *cfg = NULL;
    wf_status st = load_config(&in, &cfg, &err);
    if (st != WF_OK)
        return raise_error(&err);
    char *json = wf_config_to_json(cfg);
    int threads = wf_config_threads(cfg);
    wf_config_free(cfg);
    if (!json)
        return PyErr_NoMemory();
    PyObject *o = Py_BuildValue("(si)", json, threads);
    free(json);
    return o;
}

/* The census argument: a path, or a capsule whose stream is taken (moved
 * out of the capsule; released by census_release once read). */
typedef struct census_in {
    const char *path;
    PyObject *bytes;                /* owns path */
    struct ArrowArrayStream stream; /* when not a path */
} census_in;

static int census_take(PyObject *census, census_in *c)
{
    memset(c, 0, sizeof *c);
    if (PyCapsule_CheckExact(census)) {
        struct ArrowArrayStream *s = PyCapsule_GetPointer(census, "arrow_array_stream");
        if (!s)
            return -1;
        if (!s->release) {
            PyErr_SetString(PyExc_ValueError, "the census stream was already consumed");
            return -1;
        }
        c->stream = *s;
        s->release = NULL;
        return 0;
    }
    if (!PyUnicode_FSConverter(census, &c->bytes))
        return -1;
    c->path = PyBytes_AS_STRING(c->bytes);
    return 0;
}

/* Loads it (GIL released). */
static wf_status census_load(census_in *c, const wf_config *cfg, const wf_tables *tab,
                             wf_census **out, wf_error *err)
{
    return c->path ? wf_census_load(c->path, cfg, tab, out, err)
                   : wf_census_load_arrow(&c->stream, "census", cfg, tab, out, err);
}

static void census_release(census_in *c)
{
    if (c->stream.release)
        c->stream.release(&c->stream);
}

static PyObject *py_simulate(PyObject *mod, PyObject *args, PyObject *kw)
{
    (void)mod;
    static char *kwlist[] = {"census", "config_path", "config_name", "config_text",
                             "overrides", "tables", "threads", "snapshots",
                             "created_at_us", NULL};
    inputs in = {0};
    PyObject *census, *overrides;
    const char *tables = NULL;
    int threads = 0, snapshots = 0;
    long long created_at = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "Ozzz#Oz|ipL", kwlist, &census,
                                     &in.config_path, &in.config_name, &in.config_text,
                                     &in.config_len, &overrides, &tables, &threads,
                                     &snapshots, &created_at) ||
        parse_overrides(overrides, &in) < 0)
        return NULL;
    census_in cin;
    if (census_take(census, &cin) < 0)
        return NULL;
    wf_error err = {0};
    wf_config *cfg = NULL;
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    wf_result *res = NULL;
    wf_status st;
    Py_BEGIN_ALLOW_THREADS
    st = load_config(&in, &cfg, &err);
    if (st == WF_OK)
        st = wf_tables_load(tables, &tab, &err);
    if (st == WF_OK)
        st = census_load(&cin, cfg, tab, &cen, &err);
    if (st == WF_OK) {
        wf_memrun_options opt = {
            .threads = threads > 0 ? threads : wf_config_threads(cfg),
            .snapshots = snapshots,
            .created_at_us = created_at,
        };
        st = wf_run_memory(cfg, tab, cen, &opt, &res, &err);
    }
    census_release(&cin);
    wf_census_free(cen);
    wf_tables_free(tab);
    wf_config_free(cfg);
    Py_END_ALLOW_THREADS
    Py_XDECREF(cin.bytes);
    if (st != WF_OK)
        return raise_error(&err);
    ResultObject *obj = PyObject_New(ResultObject, &ResultType);
    if (!obj) {
        wf_result_free(res);
        return NULL;
    }
    obj->r = res;
    return (PyObject *)obj;
}

#define MAX_SCENARIOS 64

static PyObject *py_ensemble(PyObject *mod, PyObject *args, PyObject *kw)
{
    (void)mod;
    static char *kwlist[] = {"census", "scenarios", "overrides", "first_seed", "n_seeds",
                             "out", "tables", "threads", "created_at_us", "census_dir", NULL};
    PyObject *census, *scenarios, *overrides, *out_obj;
    long long first_seed, created_at = -1;
    int n_seeds, threads = 0;
    const char *tables = NULL, *census_dir = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOOLiO&z|iLz", kwlist, &census, &scenarios,
                                     &overrides, &first_seed, &n_seeds,
                                     PyUnicode_FSConverter, &out_obj, &tables, &threads,
                                     &created_at, &census_dir))
        return NULL;
    inputs in[MAX_SCENARIOS];
    int n = PyList_Check(scenarios) ? (int)PyList_GET_SIZE(scenarios) : -1;
    if (n < 1 || n > MAX_SCENARIOS) {
        Py_DECREF(out_obj);
        return PyErr_Format(PyExc_ValueError, "scenarios: a list of 1 to %d configurations",
                            MAX_SCENARIOS);
    }
    memset(in, 0, sizeof in);
    for (int i = 0; i < n; i++) {
        if (!PyArg_ParseTuple(PyList_GET_ITEM(scenarios, i), "zzz#", &in[i].config_path,
                              &in[i].config_name, &in[i].config_text, &in[i].config_len) ||
            parse_overrides(overrides, &in[i]) < 0) {
            Py_DECREF(out_obj);
            return NULL;
        }
    }
    census_in cin;
    if (census_take(census, &cin) < 0) {
        Py_DECREF(out_obj);
        return NULL;
    }
    const char *out = PyBytes_AS_STRING(out_obj);
    wf_error err = {0};
    wf_config *cfg[MAX_SCENARIOS] = {0};
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    wf_status st = WF_OK;
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; st == WF_OK && i < n; i++)
        st = load_config(&in[i], &cfg[i], &err);
    if (st == WF_OK)
        st = wf_tables_load(tables, &tab, &err);
    if (st == WF_OK)
        st = census_load(&cin, cfg[0], tab, &cen, &err);
    if (st == WF_OK) {
        wf_ensemble_options opt = {
            .out_dir = out,
            .run = {.created_at_set = created_at >= 0,
                    .created_at_us = created_at >= 0 ? created_at : 0},
            .first_seed = first_seed,
            .n_seeds = n_seeds,
            .threads = threads > 0 ? threads : wf_config_threads(cfg[0]),
        };
        st = wf_ensemble_run((const wf_config *const *)cfg, n, tab, cen, &opt, &err);
    }
    /* then the accepted census, normalised (and the rejected rows in skip
     * mode), where `wfsim ensemble` writes them: what its dbt build reads */
    if (st == WF_OK && census_dir) {
        if (mkdir(census_dir, 0777) != 0 && errno != EEXIST) {
            st = err.status = WF_EIO;
            snprintf(err.file, sizeof err.file, "%s", census_dir);
            snprintf(err.message, sizeof err.message, "cannot create the folder: %s",
                     strerror(errno));
        } else {
            st = wf_census_write(cen, census_dir, &err);
        }
    }
    census_release(&cin);
    wf_census_free(cen);
    wf_tables_free(tab);
    for (int i = 0; i < n; i++)
        wf_config_free(cfg[i]);
    Py_END_ALLOW_THREADS
    Py_XDECREF(cin.bytes);
    Py_DECREF(out_obj);
    if (st != WF_OK)
        return raise_error(&err);
    Py_RETURN_NONE;
}

static PyObject *py_generate_census(PyObject *mod, PyObject *args)
{
    (void)mod;
    PyObject *path_obj;
    long n;
    unsigned long long seed;
    int start_year;
    if (!PyArg_ParseTuple(args, "O&lKi", PyUnicode_FSConverter, &path_obj, &n, &seed,
                          &start_year))
        return NULL;
    wf_error err = {0};
    wf_tables *tab = NULL;
    wf_status st;
    const char *path = PyBytes_AS_STRING(path_obj);
    Py_BEGIN_ALLOW_THREADS
    st = wf_tables_load(NULL, &tab, &err);
    if (st == WF_OK)
        st = wf_census_generate(path, n, (uint64_t)seed, start_year, tab, &err);
    wf_tables_free(tab);
    Py_END_ALLOW_THREADS
    Py_DECREF(path_obj);
    if (st != WF_OK)
        return raise_error(&err);
    Py_RETURN_NONE;
}

static PyMethodDef engine_methods[] = {
    {"simulate", (PyCFunction)(void (*)(void))py_simulate, METH_VARARGS | METH_KEYWORDS,
     "simulate(census, config_path, config_name, config_text, overrides, tables, "
     "threads=0, snapshots=False, created_at_us=-1) -> Result"},
    {"config_json", py_config_json, METH_VARARGS,
     "config_json(path, name, text, overrides) -> (canonical JSON, threads)"},
    {"ensemble", (PyCFunction)(void (*)(void))py_ensemble, METH_VARARGS | METH_KEYWORDS,
     "ensemble(census, scenarios, overrides, first_seed, n_seeds, out, tables, "
     "threads=0, created_at_us=-1, census_dir=None)"},
    {"generate_census", py_generate_census, METH_VARARGS,
     "generate_census(path, n, seed, start_year)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef engine_module = {
    PyModuleDef_HEAD_INIT, "_engine",
    "The wfsim engine (C); use the wfsim package, not this module.", -1, engine_methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__engine(void); /* the one exported symbol */

PyMODINIT_FUNC PyInit__engine(void)
{
    if (PyType_Ready(&ResultType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&engine_module);
    if (!m)
        return NULL;
    engine_error = PyErr_NewException("wfsim._engine.Error", NULL, NULL);
    if (!engine_error || PyModule_AddObject(m, "Error", engine_error) < 0 ||
        PyModule_AddStringConstant(m, "version", WF_VERSION) < 0) {
        Py_XDECREF(engine_error);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(engine_error);
    Py_INCREF(&ResultType);
    PyModule_AddObject(m, "Result", (PyObject *)&ResultType);
    return m;
}
