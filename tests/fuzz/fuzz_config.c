/*
 * fuzz_config.c - fuzz target: the YAML configuration loader.
 *
 * Three kinds of input. Most are a YAML file for wf_config_parse (the
 * loader's text entry, which wf_config_load calls once it has read the
 * file, so nothing per input touches a file): it must answer WF_OK or
 * WF_EINPUT; a refusal names the file (line and column inside it) and
 * says what is wrong; an accepted file gives canonical JSON, a copy with
 * the same digest, and the same digest and plan design JSON when parsed a
 * second time (every section, plan_design included, goes through here:
 * the fuzzer follows the loader's sections as they change). An input
 * starting with '!' is an override instead: "!KEY\nVALUE" applied with
 * wf_config_set to the defaults; on refusal the configuration must be left
 * exactly as it was (same digest), and a refusal names the key. An input
 * starting with '@' is a command line's overrides: lines "KEY=VALUE" (at
 * most 8) for wf_config_load_with on the defaults; the answer is WF_OK or
 * WF_EINPUT, an accepted result keeps start_year <= end_year and holds each
 * id exactly as the last override of its key gave it.
 */
#include <string.h>

#include "fuzz.h"
#include "wfsim.h"

static void fuzz_override(const uint8_t *data, size_t size)
{
    char key[256], value[4096];
    size_t i = 1, k = 0, v = 0;
    while (i < size && data[i] != '\n' && k + 1 < sizeof key)
        key[k++] = (char)data[i++];
    key[k] = '\0';
    if (i < size && data[i] == '\n')
        i++;
    while (i < size && v + 1 < sizeof value)
        value[v++] = (char)data[i++];
    value[v] = '\0';

    wf_error err = {0};
    wf_config *cfg = NULL;
    FUZZ_CHECK(wf_config_load(NULL, &cfg, &err) == WF_OK);
    char before[65], after[65];
    wf_config_digest(cfg, before);
    wf_status st = wf_config_set(cfg, key, value, &err);
    FUZZ_CHECK(st == WF_OK || st == WF_EINPUT);
    wf_config_digest(cfg, after);
    if (st != WF_OK) {
        FUZZ_CHECK(strcmp(before, after) == 0);
        FUZZ_CHECK(err.message[0] != '\0');
    }
    FUZZ_CHECK(wf_config_start_year(cfg) <= wf_config_end_year(cfg));
    wf_config_free(cfg);
}

static void fuzz_overrides(const uint8_t *data, size_t size)
{
    char text[4096];
    size_t n = size - 1 < sizeof text - 1 ? size - 1 : sizeof text - 1;
    memcpy(text, data + 1, n);
    text[n] = '\0';
    wf_config_override ov[8];
    size_t k = 0;
    for (char *line = text, *next; line && k < 8; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        ov[k] = (wf_config_override){line, eq + 1, k % 2 ? "--option" : NULL};
        k++;
    }
    wf_error err = {0};
    wf_config *cfg = NULL;
    wf_status st = wf_config_load_with(NULL, ov, k, &cfg, &err);
    FUZZ_CHECK(st == WF_OK || st == WF_EINPUT);
    if (st != WF_OK) {
        FUZZ_CHECK(cfg == NULL && err.message[0] != '\0' && err.file[0] == '\0');
        return;
    }
    FUZZ_CHECK(wf_config_start_year(cfg) <= wf_config_end_year(cfg));
    char *json = wf_config_to_json(cfg);
    FUZZ_CHECK(json != NULL);
    for (size_t i = 0; i < k; i++) {
        const char *key = ov[i].key;
        if (strcmp(key, "simulation.scenario_id") && strcmp(key, "simulation.plan_design_id"))
            continue;
        size_t last = i;
        for (size_t j = i + 1; j < k; j++)
            if (!strcmp(ov[j].key, key))
                last = j;
        if (last != i)
            continue;
        char want[4200];
        snprintf(want, sizeof want, "\"%s\":\"%s\"", strchr(key, '.') + 1, ov[i].value);
        FUZZ_CHECK(strstr(json, want) != NULL);
    }
    free(json);
    wf_config_free(cfg);
}

static void fuzz_file(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    wf_error err = {0};
    wf_config *cfg = NULL;
    wf_status st = wf_config_parse("config.yaml", text, size, &cfg, &err);
    FUZZ_CHECK(st == WF_OK || st == WF_EINPUT);
    if (st == WF_OK) {
        FUZZ_CHECK(cfg != NULL);
        FUZZ_CHECK(wf_config_start_year(cfg) <= wf_config_end_year(cfg));
        char *json = wf_config_to_json(cfg);
        FUZZ_CHECK(json != NULL && json[0] == '{');
        free(json);
        const char *metric[16];
        double value[16];
        FUZZ_CHECK(wf_config_thresholds(cfg, metric, value, 16) <= 16);
        char d1[65], d2[65], d3[65];
        wf_config_digest(cfg, d1);
        wf_config *copy = wf_config_copy(cfg);
        FUZZ_CHECK(copy != NULL);
        wf_config_digest(copy, d3);
        FUZZ_CHECK(strcmp(d1, d3) == 0);
        wf_config_free(copy);
        wf_config *again = NULL;
        FUZZ_CHECK(wf_config_parse("config.yaml", text, size, &again, &err) == WF_OK);
        wf_config_digest(again, d2);
        FUZZ_CHECK(strcmp(d1, d2) == 0);
        /* the plan design (outside the digest) reads back the same too */
        char *pd1 = wf_config_plan_design_json(cfg), *pd2 = wf_config_plan_design_json(again);
        FUZZ_CHECK(pd1 && pd2 && pd1[0] == '{' && strcmp(pd1, pd2) == 0);
        free(pd1);
        free(pd2);
        wf_config_free(again);
    } else {
        FUZZ_CHECK(cfg == NULL);
        FUZZ_CHECK(strcmp(err.file, "config.yaml") == 0);
        FUZZ_CHECK(err.message[0] != '\0');
        FUZZ_CHECK(err.line >= 0 && (size_t)err.line <= size + 1);
        FUZZ_CHECK(err.column >= 0 && (size_t)err.column <= size + 1);
    }
    wf_config_free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 0 && data[0] == '!')
        fuzz_override(data, size);
    else if (size > 0 && data[0] == '@')
        fuzz_overrides(data, size);
    else
        fuzz_file(data, size);
    return 0;
}
