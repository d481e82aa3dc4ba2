package crisscross.trainer.checkpoint;

import crisscross.pipeline.storage.ObjectStore;
import crisscross.pipeline.storage.S3Location;
import crisscross.pipeline.storage.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the checkpoint store for {@code checkpoint.dir}: a local directory or an {@code s3://} prefix. */
public final class CheckpointStores {
  private CheckpointStores() {}

  /**
   * @param location a local directory or {@code s3://bucket/prefix}
   * @param localScratch where uploads to object storage are staged
   */
  public static CheckpointStore open(String location, int keep, long failEveryNthWrite, S3Settings s3,
      Path localScratch) throws IOException {
    if (S3Location.isS3(location)) {
      Path staging = localScratch.resolve("checkpoint-staging");
      Files.createDirectories(staging);
      ObjectCheckpointStore.removeStaging(staging);
      return new ObjectCheckpointStore(ObjectStore.open(location, s3), keep, staging, failEveryNthWrite);
    }
    return new LocalCheckpointStore(Path.of(location), keep, failEveryNthWrite);
  }
}
