#!/bin/sh
# minio-init in compose.yaml, run by the MinIO client image: the buckets, the trainer's S3 user limited to them,
# and the demo corpus uploaded to s3://data/demo/. Every step can run again: `docker compose up` repeats it.
set -eu

mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing local/data local/checkpoints

# Creating a policy or a user that exists updates it; attaching an attached policy is accepted.
mc admin policy create local crisscross-trainer /init/trainer-policy.json
mc admin user add local "$CRISSCROSS_S3_ACCESS_KEY" "$CRISSCROSS_S3_SECRET_KEY"
mc admin policy attach local crisscross-trainer --user "$CRISSCROSS_S3_ACCESS_KEY"

if [ ! -f /corpus/demo/manifest.csv ]; then
  echo "minio-init: /corpus/demo/manifest.csv is missing; did the demo-corpus service run?" >&2
  exit 1
fi
# --remove: objects of an earlier, larger corpus would otherwise stay under the prefix the trainer lists.
mc mirror --overwrite --remove /corpus/demo local/data/demo
echo "minio-init: s3://data/demo holds $(mc ls --recursive local/data/demo | wc -l) objects"
