#!/bin/sh
# HAProxy for Ray Serve's fast data path, with its stats page and its Prometheus
# endpoint bound to WRITING_INTERNAL_HOST (127.0.0.1 unless set) instead of every
# interface. Ray 2.60 writes `bind *:STATS_PORT` and `bind :METRICS_PORT` and has
# no setting for their host; the public HTTP frontend keeps http_options.host.
# serve/local.py's serve_runtime_env points RAY_SERVE_HAPROXY_BINARY_PATH here and
# WRITING_HAPROXY_BINARY at the real binary.
set -eu
config=""
previous=""
for arg in "$@"; do
    if [ "$previous" = "-f" ]; then config="$arg"; fi
    previous="$arg"
done
host="${WRITING_INTERNAL_HOST:-127.0.0.1}"
ports="${RAY_SERVE_HAPROXY_STATS_PORT:-8404}|${RAY_SERVE_HAPROXY_METRICS_PORT:-9101}"
if [ -n "$config" ] && [ -f "$config" ]; then
    sed -i -E "s/^([[:space:]]*bind )\*?:(${ports})[[:space:]]*$/\1${host}:\2/" "$config"
fi
exec "${WRITING_HAPROXY_BINARY:?the real haproxy binary}" "$@"
