#!/usr/bin/env bash
# Checks the container files without a container engine. A check whose tool is missing is skipped with a message.
#
#   docker/check.sh                  static checks (seconds)
#   docker/check.sh --build          also runs the image build's own steps in a scratch folder, then the image's
#                                    entrypoint as an unprivileged user (a few minutes; Maven needs the network
#                                    unless ~/.m2 holds every dependency: add --offline)
#   docker/check.sh --live [URL]     also points a local Prometheus, configured by docker/prometheus/prometheus.yml,
#                                    at a running trainer's monitor (default http://127.0.0.1:9464, the compose
#                                    stack's) and evaluates every dashboard query against it
#   COMPOSE_SPEC_SCHEMA=path/to/compose-spec.json docker/check.sh
#                                    also validates compose.yaml against the Compose Specification's JSON schema
#                                    (schema/compose-spec.json of github.com/compose-spec/compose-spec)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

build=0
offline=()
live=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=1 ;;
    --offline) offline=(--offline) ;;
    --live)
      live="http://127.0.0.1:9464"
      if [ $# -gt 1 ] && [[ "$2" == http* ]]; then live=$2; shift; fi ;;
    *) echo "usage: docker/check.sh [--build [--offline]] [--live [URL]]" >&2; exit 2 ;;
  esac
  shift
done

failed=()
run_check() {
  local name=$1
  shift
  if "$@"; then
    return 0
  fi
  failed+=("$name")
}

skip() {
  echo "  skip  $*"
}

echo "== promtool check config"
if command -v promtool >/dev/null; then
  run_check "promtool check config" promtool check config docker/prometheus/prometheus.yml
else
  skip "promtool is not installed (apt-get install prometheus)"
fi

echo
echo "== shellcheck"
if command -v shellcheck >/dev/null; then
  run_check "shellcheck" shellcheck docker/check.sh docker/check_selftest.sh docker/minio/minio-init.sh && echo "  ok    shellcheck: no findings"
else
  skip "shellcheck is not installed (apt-get install shellcheck)"
fi

echo
echo "== docker compose config"
if docker compose version >/dev/null 2>&1; then
  # Interpolated with .env.example, since docker/.env holds each developer's own values.
  run_check "docker compose config" docker compose --env-file docker/.env.example -f docker/compose.yaml config --quiet \
    && echo "  ok    docker compose config accepts compose.yaml"
elif command -v docker-compose >/dev/null; then
  # Compose v1 (Debian's docker-compose 1.29) knows every key used here but the top-level `name`, a v2 addition.
  probe=$(mktemp --suffix=.yaml)
  grep -v '^name: ' docker/compose.yaml >"$probe"
  run_check "docker-compose config" docker-compose --project-directory docker --env-file docker/.env.example \
      -f "$probe" config --quiet \
    && echo "  ok    docker-compose $(docker-compose version --short) config accepts compose.yaml (without its name: line)"
  rm -f "$probe"
else
  skip "neither the docker compose plugin nor docker-compose is installed; the compose-spec schema check covers it"
fi

echo
if ! command -v python3 >/dev/null; then
  skip "python3 is not installed: compose, Dockerfile, Grafana and MinIO checks"
elif ! python3 -c 'import yaml' 2>/dev/null; then
  skip "python3 has no PyYAML (apt-get install python3-yaml): compose, Dockerfile, Grafana and MinIO checks"
else
  run_check "static checks" python3 docker/check_stack.py static
  if [ "$build" = 1 ]; then
    if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
      skip "--build needs mvn and a JDK 17 (apt-get install maven openjdk-17-jdk-headless)"
    else
      run_check "build emulation" python3 docker/check_stack.py build "${offline[@]}"
    fi
  fi
  if [ -n "$live" ]; then
    run_check "live monitor" python3 docker/check_stack.py live --url "$live"
  fi
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "docker/check.sh: FAILED: ${failed[*]}"
  exit 1
fi
echo "docker/check.sh: all checks that could run passed"
