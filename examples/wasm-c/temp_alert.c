// A wasm function in C: reads a temperature from the payload ({"celsius": 31.5}, or a bare number) and
// replies with JSON naming the sensor (level 1 of the topic sensors/<sensor>/temperature) and whether it
// is above 30 degrees; an alert is also published on alerts/all. Needs no C library beyond wasi-libc.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEDGE_IMPORT(name) __attribute__((import_module("sedge"), import_name(name)))

SEDGE_IMPORT("result") void sedge_result(const void *ptr, int32_t len);
SEDGE_IMPORT("content_type") void sedge_content_type(const char *ptr, int32_t len);
SEDGE_IMPORT("attr") int32_t sedge_attr(const char *name, int32_t name_len, char *buf, int32_t cap);
SEDGE_IMPORT("publish") int32_t sedge_publish(const char *topic, int32_t topic_len, const void *data, int32_t len);
SEDGE_IMPORT("log") void sedge_log(int32_t level, const char *ptr, int32_t len);

// The host copies each event's payload here. A bump allocator over a static arena: nothing is ever
// freed, and nothing needs to be, since memory is rewound after every event. (malloc would work too,
// but its first call grows the memory, which makes Sedge replace the guest instead of rewinding it.)
static char arena[64 * 1024];
static size_t used;

__attribute__((export_name("sedge_alloc"))) void *sedge_alloc(int32_t len) {
    size_t n = ((size_t) (len > 0 ? len : 0) + 7) & ~(size_t) 7;
    if (n > sizeof arena - used) {
        return NULL; // Sedge fails the event: "sedge_alloc returned 0"
    }
    void *p = arena + used;
    used += n;
    return p;
}

static const char *level(const char *topic, int n, int *len) {
    const char *start = topic;
    for (int i = 0; i < n; i++) {
        start = strchr(start, '/');
        if (start == NULL) {
            *len = 0;
            return topic;
        }
        start++;
    }
    const char *end = strchr(start, '/');
    *len = end == NULL ? (int) strlen(start) : (int) (end - start);
    return start;
}

// The reading: the number after "celsius": in a JSON object such as {"celsius": 31.5}, or a bare number.
// Returns 0 and sets *celsius, or -1 when there is no number.
static int reading(const char *text, double *celsius) {
    const char *p = strstr(text, "\"celsius\"");
    if (p != NULL) {
        p = strchr(p + 9, ':');
        if (p == NULL) {
            return -1;
        }
        p++;
    } else {
        p = text;
    }
    char *end;
    *celsius = strtod(p, &end);
    return end == p ? -1 : 0;
}

__attribute__((export_name("handle"))) int32_t handle(const char *data, int32_t len) {
    char text[256];
    if (len <= 0 || len >= (int32_t) sizeof text) {
        return 2; // not a reading
    }
    memcpy(text, data, (size_t) len);
    text[len] = '\0';
    double celsius;
    if (reading(text, &celsius) != 0) {
        return 2;
    }
    char topic[256];
    int32_t n = sedge_attr("subject", 7, topic, sizeof topic - 1);
    if (n < 0 || n >= (int32_t) sizeof topic) {
        return 3;
    }
    topic[n] = '\0';
    int sensor_len;
    const char *sensor = level(topic, 1, &sensor_len);
    int alert = celsius > 30.0;
    char reply[320];
    int reply_len = snprintf(reply, sizeof reply, "{\"sensor\":\"%.*s\",\"celsius\":%.1f,\"alert\":%s}",
                             sensor_len, sensor, celsius, alert ? "true" : "false");
    if (alert) {
        printf("alert for %.*s\n", sensor_len, sensor);
        fflush(stdout); // memory is rewound after the event: an unflushed buffer would be lost
        sedge_publish("alerts/all", 10, reply, reply_len);
    }
    sedge_result(reply, reply_len);
    sedge_content_type("application/json", 16);
    return 0;
}
