/* samsa-rawload's shared declarations: option parsing and the report (rawload.c), one entry
 * point per mode (rawload_produce.c, rawload_consume.c). */
#ifndef SAMSA_RAWLOAD_H
#define SAMSA_RAWLOAD_H

#include "rawload_wire.h"

/* Prints the reason and the usage on stderr, exits 2. */
__attribute__((noreturn)) void usage(const char *why);
/* "--name value" as an integer in [lo, hi]; def when absent; anything else is a usage error. */
long long num_opt(int argc, char **argv, const char *name, long long def, long long lo, long long hi);
/* The one JSON line (samsa-loadgen's keys plus wireBytes, requests); sorts lat in place. */
void print_report(const char *mode, long long n, long long bytes, long long wire, long long requests, double secs,
                  double *lat, long long nlat);

int run_produce(int argc, char **argv, const char *bootstrap, const char *topic, long long n, long long size);
int run_consume(int argc, char **argv, const char *bootstrap, const char *topic, long long n, long long size);

#endif
