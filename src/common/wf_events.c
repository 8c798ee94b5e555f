/*
 * wf_events.c - the names of the event table's enumerations (wf_events.h).
 */
#include "wf_events.h"

const char *const wf_event_type_names[WF_EV_COUNT] = {
#define X(name, text) text,
    WF_EVENT_TYPES(X)
#undef X
};

const char *const wf_event_category_names[WF_CAT_COUNT] = {
#define X(name, text) text,
    WF_EVENT_CATEGORIES(X)
#undef X
};

const char *const wf_enrollment_source_names[WF_SRC_COUNT] = {
#define X(name, text) text,
    WF_ENROLLMENT_SOURCES(X)
#undef X
};

const char *const wf_employment_status_names[WF_STATUS_COUNT] = {
#define X(name, text) text,
    WF_EMPLOYMENT_STATUSES(X)
#undef X
};
