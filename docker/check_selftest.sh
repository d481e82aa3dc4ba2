#!/usr/bin/env bash
# The sed programs below are single-quoted on purpose: their $ and ${ are text to match, not expansions.
# shellcheck disable=SC2016
# Proves that docker/check_stack.py catches what it claims to: each case breaks one thing in a scratch copy of the
# repository and expects a failure whose message contains the given words. Needs python3 with PyYAML and promtool.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tar --exclude=target --exclude=.git --exclude=docker/.env -cf - . | tar -xf - -C "$scratch"

python3 docker/check_stack.py static >/dev/null || { echo "check_stack.py static fails on the unbroken files" >&2; exit 1; }

caught=0
missed=()
# file, sed expression that breaks it, words expected in a FAIL line
expect_failure() {
  local file=$1 expression=$2 words=$3 output
  cp "$scratch/$file" "$scratch/$file.orig"
  sed -i "$expression" "$scratch/$file"
  if cmp -s "$scratch/$file" "$scratch/$file.orig"; then
    missed+=("$file: '$expression' changed nothing")
  else
    if output=$(cd "$scratch" && python3 docker/check_stack.py static 2>&1); then
      missed+=("$file: '$expression' (the checks passed; expected a failure about '$words')")
    elif grep "FAIL" <<<"$output" | grep -qF -- "$words"; then
      caught=$((caught + 1))
    else
      missed+=("$file: '$expression' (expected a failure about '$words')")
    fi
  fi
  mv "$scratch/$file.orig" "$scratch/$file"
}

expect_failure docker/compose.yaml 's/monitor.port=9464/monitor.port=9465/' 'published'
expect_failure docker/compose.yaml 's#prom/prometheus:v2.55.1#prom/prometheus:latest#' 'pinned'
expect_failure docker/compose.yaml 's#data.s3.path-style=true#data.s3.pathstyle=true#' 'configuration key'
expect_failure docker/compose.yaml 's#"127.0.0.1:3000:3000"#"3000:3000"#' 'loopback'
expect_failure docker/compose.yaml 's#^      - demo$#      - demmo#' 'ships'
expect_failure docker/compose.yaml 's#s3://data/demo#s3://data/demo2#' 'uploads the corpus'
expect_failure docker/compose.yaml 's#"data/demo"#"data/corpus"#' 'the folder synth wrote'
expect_failure docker/compose.yaml 's#condition: service_completed_successfully#condition: service_healthy#' 'healthy'
expect_failure docker/compose.yaml 's#DEMO_CLIPS:-240#DEMO_CLIPZ:-240#' '.env.example'
expect_failure docker/compose.yaml 's#restart: on-failure:3#restart: sometimes#' 'restart policy'
expect_failure docker/compose.yaml 's#    pull_policy: never##' 'never pulls'
expect_failure docker/compose.yaml 's#AWS_ACCESS_KEY_ID: ${CRISSCROSS_S3_ACCESS_KEY#AWS_ACCESS_KEY_ID: ${MINIO_ROOT_USER#' 'credentials'
expect_failure docker/prometheus/prometheus.yml 's#scrape_interval: 5s#scrape_interval: 15s#' '5 s'
expect_failure docker/prometheus/prometheus.yml 's#trainer:9464#trainer:9463#' 'scrapes'
expect_failure docker/grafana/dashboards/crisscross.json 's#crisscross_collapse_std{#crisscross_collapse_stddev{#' 'unknown metric'
expect_failure docker/grafana/dashboards/crisscross.json 's#crisscross_native_tracked_bytes{#crisscross_native_physical_bytes{#' 'a panel for each'
expect_failure docker/grafana/dashboards/crisscross.json 's#"crisscross_loss{instance=~\\"$instance\\"}"#"sum by (term crisscross_loss)"#' 'PromQL'
expect_failure docker/grafana/dashboards/crisscross.json 's#"uid": "crisscross-prometheus"#"uid": "prom"#' 'datasource'
expect_failure docker/grafana/provisioning/dashboards/crisscross.yaml 's#path: /etc/grafana/dashboards#path: /var/lib/grafana/dashboards#' 'provider'
expect_failure docker/Dockerfile 's#^USER crisscross#USER root#' 'non-root'
expect_failure docker/Dockerfile 's#^COPY app/src app/src#COPY . .#' 'whole context'
expect_failure docker/Dockerfile 's#^COPY evaluation/src evaluation/src##' 'module evaluation'
expect_failure docker/Dockerfile 's#eclipse-temurin:17.0.13_11-jre-jammy#eclipse-temurin:17-jre-alpine#' 'Alpine'
expect_failure docker/Dockerfile 's#^EXPOSE 9464#EXPOSE 8080#' 'EXPOSE'
expect_failure docker/Dockerfile 's#maxbytes=200%#maxbytes=150%#' 'same runtime'
expect_failure docker/Dockerfile 's#--no-log-init ##' 'DL3046'
expect_failure docker/Dockerfile 's#^WORKDIR /src#WORKDIR src#' 'DL3000'
expect_failure docker/Dockerfile.cuda 's#--no-install-recommends ##' 'DL3015'
expect_failure docker/Dockerfile.cuda 's#^\# hadolint ignore=DL3008##' 'DL3008'
expect_failure docker/Dockerfile.cuda 's#^SHELL .*##' 'DL4006'
expect_failure docker/Dockerfile.cuda 's#| sha256sum --check --strict -#> /dev/null#' 'checksum'
expect_failure docker/Dockerfile.cuda 's#RUN mvn -B -ntp -Pcuda -DskipTests package#RUN mvn -B -ntp -DskipTests package#' 'Pcuda'
expect_failure docker/Dockerfile.dockerignore 's#^!trainer/src/##' 'lets every'
expect_failure docker/minio/trainer-policy.json 's#"arn:aws:s3:::data/\*"#"arn:aws:s3:::*"#' 'wildcard'
expect_failure docker/minio/trainer-policy.json 's#"s3:GetObject", "s3:PutObject", "s3:DeleteObject"#"s3:GetObject", "s3:PutObject"#' 'DeleteObject'
expect_failure docker/minio/trainer-policy.json 's#"Action": \["s3:GetObject"\]#"Action": ["s3:GetObject", "s3:PutObject"]#' 'read-only'
expect_failure docker/minio/minio-init.sh 's#local/data local/checkpoints#local/data#' 'creates bucket'
expect_failure docker/.env.example 's#^TRAINER_MEMORY=8g##' 'TRAINER_MEMORY'
expect_failure docker/.env.example 's#DEV-ONLY##; s#dev-only#prod#g' 'dev-only'

echo "check_selftest: $caught breakages caught, ${#missed[@]} missed"
for miss in "${missed[@]}"; do
  echo "  MISSED  $miss"
done
[ ${#missed[@]} -eq 0 ]
